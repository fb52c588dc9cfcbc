"""Numerical faults of particle dynamics: NaN, overlaps beyond a bound, blow-ups.

A Brownian-dynamics step that is too long for the forces shows itself in one of four
ways, which :func:`particle_fault` looks for in a state:

* a position that is not finite;
* a particle that moved more than :data:`JUMP_LIMIT` of its radius per step;
* two particles overlapping by more than :data:`OVERLAP_LIMIT` of the smaller radius;
* a potential energy that is not finite.

A huge but finite energy alone is not a fault: the BD pair potentials saturate at
overlap (about 4e73 kT) and the drift limiter ``max_drift`` lets a run recover from a
shallow overlap, so the overlap depth and the jump length are the tests that matter.

:func:`check_bd_chunk` runs after each chunk of steps; when it finds a fault it replays
the chunk one step at a time from the last good state (the noise is a function of
(seed, particle, step), so the replay is exact) and raises :class:`NumericalFault`
naming the first bad step, the particle and the likely cause. Checkpoints are written
only after a good chunk, so the last checkpoint on disk is a good state.
"""

from __future__ import annotations

import numpy as np

__all__ = ["JUMP_LIMIT", "OVERLAP_LIMIT", "NumericalFault", "check_bd_chunk", "deepest_overlap",
           "particle_fault"]

#: Largest overlap (fraction of the smaller radius) a valid repulsive model lets through.
OVERLAP_LIMIT = 0.5
#: Largest displacement per step (in radii of the particle) of a valid BD step.
JUMP_LIMIT = 10.0


class NumericalFault(ArithmeticError):
    """A dynamics step produced NaN, overlapping particles or an energy blow-up."""


def particle_fault(positions: np.ndarray, radii: np.ndarray, *, previous: np.ndarray | None = None,
                   steps: int = 1, energy_kT: float | None = None) -> str | None:
    """Describe the first fault in a state (SI positions and radii), or None if it is sane."""
    bad = ~np.isfinite(positions).all(axis=1)
    if bad.any():
        return f"particle {int(np.argmax(bad))} has a non-finite position"
    if previous is not None:
        jump = np.linalg.norm(positions - previous, axis=1) / (radii * max(steps, 1))
        i = int(np.argmax(jump))
        if jump[i] > JUMP_LIMIT:
            return (f"particle {i} moved {jump[i] * radii[i] * steps:.3g} m "
                    f"({jump[i]:.3g} radii per step)")
    if energy_kT is not None and not np.isfinite(energy_kT):
        return f"the potential energy blew up to {energy_kT} kT"
    deepest = deepest_overlap(positions, radii)
    if deepest is not None and deepest[2] > OVERLAP_LIMIT:
        i, j, depth = deepest
        return f"particles {i} and {j} overlap by {depth:.0%} of the smaller radius"
    return None


def deepest_overlap(positions: np.ndarray, radii: np.ndarray,
                    box_xy: float | None = None) -> tuple[int, int, float] | None:
    """The most overlapping pair (i, j, overlap depth / smaller radius), or None if no two
    spheres touch; ``box_xy`` makes x and y periodic with that edge (z stays open)."""
    from scipy.spatial import cKDTree

    if len(radii) < 2:
        return None
    p = np.array(positions, dtype=np.float64)
    if box_xy is None:
        tree = cKDTree(p)
    else:
        p[:, :2] %= box_xy
        p[:, :2] = np.minimum(p[:, :2], np.nextafter(box_xy, 0))  # % can round up to box_xy
        p[:, 2] -= p[:, 2].min()
        span = float(p[:, 2].max()) + 4.0 * float(radii.max()) + 1.0  # z: never wraps
        tree = cKDTree(p, boxsize=[box_xy, box_xy, span])
    pairs = tree.query_pairs(2.0 * float(radii.max()), output_type="ndarray")
    if not len(pairs):
        return None
    i, j = pairs[:, 0], pairs[:, 1]
    d = p[i] - p[j]
    if box_xy is not None:
        d[:, :2] -= box_xy * np.round(d[:, :2] / box_xy)
    depth = (radii[i] + radii[j] - np.linalg.norm(d, axis=1)) / np.minimum(radii[i], radii[j])
    k = int(np.argmax(depth))
    return int(i[k]), int(j[k]), float(depth[k])


def _state_fault(sim, previous, steps) -> str | None:
    positions = sim.positions
    if not np.isfinite(positions).all():
        return particle_fault(positions, sim.radii)
    return particle_fault(positions, sim.radii, previous=previous, steps=steps,
                          energy_kT=sim.potential_energy() / sim.units.energy)


def _cause(sim) -> str:
    return (f"likely cause: the time step dt = {sim.config.dt:.3g} s is too large for these "
            "forces (try dt / 10, or a max_drift); the last good checkpoint is kept")


def check_bd_chunk(sim, good: dict, error: Exception | None = None) -> None:
    """Raise :class:`NumericalFault` if the chunk run since ``good`` went wrong.

    ``good`` is ``{"positions" (reduced), "positions_si", "bonds", "step"}`` before the
    chunk; ``error`` an exception the engine raised during it (e.g. a Lanczos solve that
    failed on NaN positions).
    """
    steps = sim.step - good["step"]
    if error is None and _state_fault(sim, good["positions_si"], steps) is None:
        return
    start = particle_fault(good["positions_si"], sim.radii)
    if start:  # only a run's first state was never checked
        raise NumericalFault(f"Brownian dynamics step {good['step']}: {start} before any step; "
                             "likely cause: overlapping start positions (place the particles "
                             "with a gap, or let mesolith place them)")
    replay = type(sim)(sim.config, seed=sim.seed, _state=good)
    previous = good["positions_si"]
    # after an engine error, sim.step counts the steps that completed: the next one failed
    for _ in range(max(steps, 1) if error is None else steps + 1):
        try:
            replay._engine.run(1)
        except Exception as exc:  # noqa: BLE001 - an engine failure at this step is the fault
            raise NumericalFault(f"Brownian dynamics step {replay.step + 1}: the step failed "
                                 f"({exc}); {_cause(sim)}") from None
        problem = _state_fault(replay, previous, 1)
        if problem:
            raise NumericalFault(f"Brownian dynamics step {replay.step}: {problem}; "
                                 f"{_cause(sim)}")
        previous = replay.positions
    raise NumericalFault(f"Brownian dynamics step {sim.step}: {error or 'fault'}; {_cause(sim)}")


def provoke_bd_faults() -> list[tuple[str, str | None]]:
    """Provoke each BD fault on purpose; returns (case, message or None if it went unseen).

    Used by ``mesolith validate --reliability``: a fault that is not reported would be a
    silent wrong answer.
    """
    from mesolith.bd import Simulation

    cfg = {"species": [{"name": "CB", "preset": "carbon_black", "count": 20}],
           "box": (1e-6, 1e-6, 1e-6), "save_every": 5, "hydrodynamics": "none",
           "dt": 1e-3, "max_drift": 0.0}
    out = []
    for name, depth, steps in (("a shallow overlap blows the pair apart (dt too large)", 0.3, 10),
                               ("deep overlap in the start positions", 1.6, 1)):
        pos = Simulation(cfg, seed=1).positions  # carbon black: radius 25 nm
        pos[1] = pos[0] + [(2.0 - depth) * 25e-9, 0.0, 0.0]
        # the deep overlap keeps the drift limiter on, so the pair cannot jump apart
        changes = {} if depth < 1 else {"dt": 1e-7, "max_drift": 0.05}
        sim = Simulation(dict(cfg, **changes), positions=pos, seed=1)
        try:
            sim.run(steps, progress=False)
        except NumericalFault as exc:
            out.append((name, str(exc)))
            continue
        out.append((name, None))
    return out
