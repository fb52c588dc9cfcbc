"""Numerical faults of a drying run: NaN, runaway beads, deep overlaps, energy blow-ups.

A time step too long for the contact stiffness makes Langevin MD unstable: the kinetic
energy grows step after step until positions become infinite or NaN (OpenMM then stops
with "Particle coordinate is NaN"). After every chunk of steps
:meth:`~mesolith.md.drying.DryingSimulation.run` looks at the state for

* a position or velocity that is not finite, or a potential energy that is not finite;
* a bead that moved more than :data:`JUMP_LIMIT` of its radius per step on average;
* two beads overlapping by more than :data:`OVERLAP_LIMIT` of the smaller radius
  (the contact well keeps real contacts far shallower);
* a bead fast enough to cross more than :data:`JUMP_LIMIT` of its radius in one step:
  the kinetic energy blew up (beads pushed by the free surface and the capillary load
  carry thousands of kT, so the energy is judged by what it does to a step).

When one is found, :func:`locate_fault` replays the chunk from its start one step at a
time (from OpenMM's own checkpoint of the chunk start, which holds the integrator's
random-number state, so the replay repeats the chunk exactly) and raises
:class:`~mesolith.reliability.faults.NumericalFault` naming the first bad step, the bead
(index and type) and the likely cause. Checkpoints are written only after a chunk
passed, so the last checkpoint on disk stays a good state.
"""

from __future__ import annotations

import numpy as np

from mesolith.md.slurry import CBD
from mesolith.md.units import LENGTH
from mesolith.reliability.faults import NumericalFault, deepest_overlap

__all__ = ["JUMP_LIMIT", "OVERLAP_LIMIT", "bead_fault", "locate_fault", "provoke_md_faults",
           "rerun_identical", "runaway"]

#: Largest displacement per step (mean over a chunk, or speed x time step), in radii of
#: the bead. Sane drying runs stay below 0.02 (measured on both presets, 12-30 AM beads,
#: time steps 0.002 and 0.01 tau); a step that crosses half a radius skips the contact
#: well (2 % of a 5 um bead's radius) entirely.
JUMP_LIMIT = 0.5
#: Largest overlap, as a fraction of the smaller radius, of two beads (sane runs: < 0.17).
OVERLAP_LIMIT = 0.5


def _name(types: np.ndarray, i: int) -> str:
    return f"bead {i} ({'CBD' if types[i] == CBD else 'AM'})"


def _overlap(pos: np.ndarray, diam: np.ndarray, types: np.ndarray, box_xy: float) -> str | None:
    """The deepest overlap beyond the limit (x, y periodic), or None."""
    deepest = deepest_overlap(pos, 0.5 * diam, box_xy)
    if deepest is None or deepest[2] <= OVERLAP_LIMIT:
        return None
    i, j, depth = deepest
    return (f"{_name(types, i)} and {_name(types, j)} overlap by {depth:.0%} of the smaller "
            "radius")


def bead_fault(pos: np.ndarray, vel: np.ndarray, masses: np.ndarray, diam: np.ndarray,
               types: np.ndarray, box_xy: float, kt: float, dt: float, *,
               previous: np.ndarray | None = None, steps: int = 1,
               energy: float | None = None) -> str | None:
    """Describe the first fault in a drying state (reduced units), or None if it is sane.

    Parameters
    ----------
    pos, vel : ndarray, shape (n, 3)
        Unwrapped positions and velocities (reduced units).
    masses, diam : ndarray, shape (n,)
        Bead masses and current diameters (reduced units).
    types : ndarray of int
        0 AM, 1 CBD.
    box_xy : float
        Lateral periodic box edge (reduced).
    kt : float
        Thermal energy (reduced), for the kinetic energy in the message.
    dt : float
        Time step (reduced).
    previous : ndarray, optional
        Positions ``steps`` steps earlier, for the displacement check.
    energy : float, optional
        Potential energy (reduced); only its finiteness is checked (contacts pressed by
        the capillary load store large but finite energies).
    """
    bad = ~(np.isfinite(pos).all(axis=1) & np.isfinite(vel).all(axis=1))
    if bad.any():
        return f"{_name(types, int(np.argmax(bad)))} has a non-finite position or velocity"
    if energy is not None and not np.isfinite(energy):
        return f"the potential energy is {energy}"
    if previous is not None:
        jump = np.linalg.norm(pos - previous, axis=1) / (0.5 * diam * max(steps, 1))
        i = int(np.argmax(jump))
        if jump[i] > JUMP_LIMIT:
            return (f"{_name(types, i)} moved {jump[i] * 0.5 * diam[i] * steps * LENGTH:.3g} m "
                    f"in {steps} step(s) ({jump[i]:.3g} radii per step)")
    speed = np.linalg.norm(vel, axis=1)
    per_step = speed * dt / (0.5 * diam)
    i = int(np.argmax(per_step))
    if per_step[i] > JUMP_LIMIT:
        kinetic = 0.5 * masses[i] * speed[i] ** 2 / kt
        return (f"the kinetic energy blew up: {_name(types, i)} has {kinetic:.3g} kT and "
                f"crosses {per_step[i]:.3g} radii per step")
    return _overlap(pos, diam, types, box_xy)


def runaway(vel: np.ndarray, radii: np.ndarray, dt: float) -> bool:
    """Whether a velocity is not finite or crosses more than :data:`JUMP_LIMIT` of the
    smallest radius ``radii`` per step (the quick look between full checks)."""
    speed = np.sqrt(np.einsum("ij,ij->i", vel, vel)) * dt
    return not bool(np.all(speed <= JUMP_LIMIT * radii))


def _cause(cfg) -> str:
    return (f"likely cause: the time step timestep = {cfg.timestep:g} tau is too large for "
            "these forces (try timestep / 10); the last good checkpoint is kept")


def locate_fault(drying, good: dict, error: Exception | None) -> None:
    """Replay the chunk that started at ``good`` one step at a time; raise at the first fault.

    ``good`` is what :meth:`DryingSimulation._chunk_start` saved: OpenMM's checkpoint of
    the chunk start, the free-surface state, the step and the positions. ``error`` is the
    exception OpenMM raised during the chunk, if any.
    """
    from mesolith.md.state import surface_from_state

    sim = drying.simulation
    cfg = drying.config
    end = sim.currentStep if error is None else None
    sim.context.reinitialize(preserveState=False)
    sim.context.loadCheckpoint(good["openmm"])
    evaporation = drying._replay_evaporation()
    surface_from_state(evaporation, good["surface"])
    sim.reporters = [evaporation]  # the others only read positions
    previous = good["positions"]
    while end is None or sim.currentStep < end:
        try:
            sim.step(1)
        except Exception as exc:  # noqa: BLE001 - OpenMM's NaN check is the fault itself
            raise NumericalFault(f"MD step {sim.currentStep + 1}: the step failed ({exc}); "
                                 f"{_cause(cfg)}") from None
        problem = drying._state_fault(previous, 1, energy=True)
        if problem:
            raise NumericalFault(f"MD step {sim.currentStep}: {problem}; {_cause(cfg)}")
        previous = drying._current_positions()
        if end is None and sim.currentStep >= good["step"] + good["steps"]:
            break
    where = error or "a fault the step-by-step replay did not repeat"
    raise NumericalFault(f"MD steps {good['step']}-{sim.currentStep}: {where}; {_cause(cfg)}")


def provoke_md_faults() -> list[tuple[str, str | None]]:
    """Provoke MD faults on purpose; returns (case, message or None if it went unseen).

    Used by ``mesolith validate --reliability``: a blow-up that is not reported would be a
    silent wrong answer.
    """
    import tempfile

    from mesolith.md.config import preset
    from mesolith.md.drying import DryingSimulation

    out = []
    for name, changes in (("time step 25x too large", {"timestep": 0.05}),
                          ("stiff contacts, weak damping", {"timestep": 0.05, "damping": 0.1,
                                                            "contact_stiffness": 5e6})):
        cfg = preset("nmp_pvdf", n_am=12, box_xy=18e-6, steps=2000, relax_steps=0, seed=3,
                     platform="CPU", threads=1, **changes)
        with tempfile.TemporaryDirectory(prefix="mesolith-md-fault-") as tmp:
            try:
                DryingSimulation(cfg, tmp).run(progress=False)
            except NumericalFault as exc:
                out.append((name, str(exc)))
                continue
        out.append((name, None))
    return out


def rerun_identical() -> bool:
    """Whether two drying runs with the same seed and ``threads = 1`` agree bit for bit."""
    import tempfile

    from mesolith.md.config import preset
    from mesolith.md.drying import DryingSimulation

    cfg = preset("water_cmc_sbr", n_am=12, box_xy=18e-6, steps=1500, relax_steps=100,
                 seed=9, platform="CPU", threads=1)
    runs = []
    for _ in range(2):
        with tempfile.TemporaryDirectory(prefix="mesolith-md-rerun-") as tmp:
            sim = DryingSimulation(cfg, tmp).run(progress=False)
            runs.append((sim.positions, sim.thickness))
    return all(np.array_equal(a, b) for a, b in zip(runs[0], runs[1], strict=True))
