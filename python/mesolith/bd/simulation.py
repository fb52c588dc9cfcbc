"""The Brownian dynamics simulation object."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from mesolith import _core
from mesolith._arrays import as_array
from mesolith.bd.config import BDConfig
from mesolith.bd.placement import random_sequential_placement
from mesolith.bd.units import (
    AVOGADRO,
    BOLTZMANN,
    ELEMENTARY_CHARGE,
    VACUUM_PERMITTIVITY,
    ReducedUnits,
)
from mesolith.progress import progress_bar
from mesolith.reliability.faults import check_bd_chunk

__all__ = ["Simulation"]

#: Below this many particles the 'auto' noise sampler uses the dense Cholesky factor.
AUTO_CHOLESKY_MAX = 300


def _check_bd_memory(n: int, config: BDConfig) -> None:
    """Fail before placement if the particle arrays (and a dense 3N x 3N mobility with its
    Cholesky factor, for the Cholesky sampler) cannot fit in free memory."""
    from mesolith.memory import check_memory

    dense = config.hydrodynamics == "rpy" and (
        config.noise == "cholesky" or (config.noise == "auto" and n <= AUTO_CHOLESKY_MAX))
    needed = 400.0 * n + (2 * (3.0 * n) ** 2 * 8 if dense else 0)
    if config.hydrodynamics == "ewald":
        from mesolith.bd.ewald_dynamics import ewald_memory_bytes

        dense = True
        needed = 400.0 * n + ewald_memory_bytes(n)
    what = f"Brownian dynamics of {n} particles"
    check_memory(needed, what + (" (dense 3N x 3N mobility + Cholesky factor)" if dense else ""))


class Simulation:
    """Ermak-McCammon Brownian dynamics of a slurry with hydrodynamic interactions.

    Parameters
    ----------
    config : BDConfig or dict
        The ``[bd]`` configuration (SI units).
    positions : (N, 3) array [m], optional
        Start positions; by default the particles are placed at random without
        overlap inside ``config.box``.
    seed : int
        Seed of the counter-based generator (noise and placement).

    Examples
    --------
    >>> sim = Simulation({"species": [{"name": "NMC", "preset": "nmc", "count": 4}],
    ...                   "dt": 1e-4}, seed=1)
    >>> sim.run(10, progress=False).positions.shape
    (4, 3)
    """

    def __init__(self, config: BDConfig | dict, positions=None, seed: int = 0, *,
                 _state: dict | None = None):
        if not isinstance(config, BDConfig):
            config = BDConfig.from_dict(dict(config), source="<config>", prefix="bd")
        self.config = config
        self.seed = int(seed)
        solvent = config.solvent_properties()
        self.viscosity = solvent["viscosity"]
        resolved = [s.resolved(config.solvent) for s in config.species]
        self.species_names = [s.name for s in config.species]
        counts = [s.count for s in config.species]
        self.species = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        self.radii = np.repeat([r["radius"] for r in resolved], counts).astype(np.float64)
        n = self.radii.size
        _check_bd_memory(n, config)
        self.units = ReducedUnits(float(self.radii.min()), config.temperature, self.viscosity)
        u = self.units
        if _state is not None:  # restart: reduced positions as saved, bit for bit
            x_reduced = as_array(_state["positions"], "positions", np.float64, shape=(n, 3))
        else:
            if positions is None:
                positions = random_sequential_placement(self.radii, config.box, self.seed,
                                                        gap=0.05 * u.length)
            x_reduced = as_array(positions, "positions", np.float64, shape=(n, 3)) / u.length
        # gravity minus buoyancy, along -z
        density = np.repeat([r["density"] for r in resolved], counts)
        weight = (density - solvent["density"]) * (4.0 / 3.0) * math.pi * self.radii**3
        external = np.zeros((n, 3))
        external[:, 2] = -weight * config.gravity / u.force
        self._external_si = external * u.force
        params = self._force_params(resolved, solvent)
        noise = config.noise
        if noise == "auto":
            noise = "cholesky" if n <= AUTO_CHOLESKY_MAX else "lanczos"
        self.noise_method = noise
        first_step = 0 if _state is None else int(_state["step"])
        if config.hydrodynamics == "pse":
            self._engine = self._pse_engine(x_reduced, external, params, first_step)
        elif config.hydrodynamics == "ewald":
            self._engine = self._ewald_engine(x_reduced, external, params, first_step)
        else:
            self._engine = _core.bd.Integrator(
                x_reduced, self.radii / u.length, self.species, external, params,
                kT=1.0, viscosity=u.reduced_viscosity, dt=config.dt / u.time,
                shear_rate=config.shear_rate * u.time, hydrodynamics=config.hydrodynamics,
                noise=noise, tolerance=config.lanczos_tolerance,
                max_iterations=config.lanczos_max_iterations, seed=self.seed,
                max_drift=config.max_drift, first_step=first_step)
        if config.wall_mobility:
            self._engine.set_wall_mobility(True)
        if _state is not None and len(_state["bonds"]):
            self._engine.set_bonds(np.ascontiguousarray(_state["bonds"], dtype=np.uint32))
        self._frames = [self.positions]
        self._frame_steps = [self.step]

    def _pse_engine(self, x_reduced, external, params, first_step: int):
        """The periodic PSE integrator (mesolith.bd.pse_dynamics), after checking that the
        run is one it models: no wall, no binder bonds, no shear."""
        from mesolith.bd.pse_dynamics import PseIntegrator

        cfg, u = self.config, self.units
        problems = []
        if not cfg.box[0] > 2 * self.radii.max():
            problems.append(f"box = {cfg.box[0]} m must be > 2 x the largest radius "
                            f"= {2 * self.radii.max()} m")
        if cfg.wall:
            problems.append("wall = true (the PSE box is periodic in z)")
        if cfg.shear_rate != 0:
            problems.append("shear_rate != 0 (needs Lees-Edwards boundaries)")
        if len(params.bondable) and any(params.bondable):
            problems.append("binder bonds (set bond_stiffness = 0 or use non-binder species)")
        if problems:
            raise ValueError("hydrodynamics = 'pse': " + "; ".join(problems))
        self.noise_method = "pse"
        return PseIntegrator(
            x_reduced, self.radii / u.length, self.species, external, params, kT=1.0,
            viscosity=u.reduced_viscosity, dt=cfg.dt / u.time, box=cfg.box[0] / u.length,
            seed=self.seed, tolerance=cfg.pse_tolerance, first_step=first_step,
            max_drift=cfg.max_drift)

    def _ewald_engine(self, x_reduced, external, params, first_step: int):
        """The dense periodic integrator (mesolith.bd.ewald_dynamics), after checking that
        the run is one it models: no binder bonds (the config already refused walls,
        shear, a non-cubic box and too many particles)."""
        from mesolith.bd.ewald_dynamics import EwaldIntegrator

        cfg, u = self.config, self.units
        if len(params.bondable) and any(params.bondable):
            raise ValueError("hydrodynamics = 'ewald': binder bonds are not available (set "
                             "bond_stiffness = 0 or use non-binder species)")
        box = cfg.box[0]
        if not box > 2 * self.radii.max():
            raise ValueError(f"hydrodynamics = 'ewald': box = {box} m must be > 2 x the "
                             f"largest radius = {2 * self.radii.max()} m")
        self.noise_method = "cholesky"
        return EwaldIntegrator(
            x_reduced, self.radii / u.length, self.species, external, params, kT=1.0,
            viscosity=u.reduced_viscosity, dt=cfg.dt / u.time, box=box / u.length,
            seed=self.seed, first_step=first_step, max_drift=cfg.max_drift)

    def _force_params(self, resolved: list[dict], solvent: dict):
        cfg, u = self.config, self.units
        p = _core.bd.ForceParams()
        s = len(resolved)
        p.n_species = s
        p.repulsion_energy = cfg.repulsion_energy_kT
        p.repulsion_range = cfg.repulsion_range
        p.wall = cfg.wall
        eps = solvent["relative_permittivity"] * VACUUM_PERMITTIVITY
        kappa = math.sqrt(2.0 * AVOGADRO * ELEMENTARY_CHARGE**2 * cfg.ionic_strength
                          / (eps * BOLTZMANN * cfg.temperature))
        self.debye_length = 1.0 / kappa
        if cfg.dlvo:
            ham = np.array([r["hamaker"] for r in resolved])
            p.hamaker = list((np.sqrt(np.outer(ham, ham)) / u.energy).ravel())
            p.surface_potential = [r["zeta_potential"] for r in resolved]
            p.double_layer_prefactor = math.pi * eps * u.length / u.energy
            p.debye_kappa = kappa * u.length
            p.min_gap = cfg.min_gap / u.length
            p.dlvo_cutoff_gap = max(cfg.dlvo_range / (kappa * u.length), 0.2)
        binder = np.array([r["binder"] for r in resolved])
        if binder.any() and cfg.bond_stiffness > 0:
            p.bondable = [int(binder[i] or binder[j]) for i in range(s) for j in range(s)]
            p.bond_stiffness = cfg.bond_stiffness * u.length**2 / u.energy
            p.bond_break_force = cfg.bond_break_force / u.force
            p.bond_capture_gap = cfg.bond_capture_gap / u.length
        return p

    # ---- running ---------------------------------------------------------------------------
    def run(self, steps: int, progress: bool = True, record_every: int | None = None):
        """Advance ``steps`` time steps, keeping a trajectory frame every ``record_every``
        steps (default ``config.save_every``). Returns ``self``."""
        if steps < 0:
            raise ValueError(f"steps = {steps}: must be >= 0")
        every = int(record_every or self.config.save_every)
        done = 0
        with progress_bar(steps, "Brownian dynamics", enabled=progress) as bar:
            while done < steps:
                chunk = min(every - self.step % every, steps - done)
                good = {"positions": self._engine.positions, "positions_si": self.positions,
                        "bonds": self.bonds, "step": self.step}
                try:
                    self._engine.run(chunk)
                except RuntimeError as exc:
                    check_bd_chunk(self, good, exc)  # finds the step and particle, raises
                check_bd_chunk(self, good)  # NaN, jumps, overlaps, energy blow-up
                done += chunk
                bar.advance(chunk)
                if self.step % every == 0:
                    self._frames.append(self.positions)
                    self._frame_steps.append(self.step)
        return self

    # ---- state -----------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return self.radii.size

    @property
    def step(self) -> int:
        return int(self._engine.step)

    @property
    def time(self) -> float:
        """Simulated time [s]."""
        return self.step * self.config.dt

    @property
    def positions(self) -> np.ndarray:
        """Current positions (N, 3) [m] (a copy)."""
        return self._engine.positions * self.units.length

    @property
    def bonds(self) -> np.ndarray:
        """Binder bonds as (K, 2) particle index pairs."""
        return self._engine.bonds

    @property
    def trajectory(self) -> np.ndarray:
        """Recorded frames (F, N, 3) [m]."""
        return np.array(self._frames)

    @property
    def frame_times(self) -> np.ndarray:
        """Times of the recorded frames [s]."""
        return np.array(self._frame_steps) * self.config.dt

    @property
    def lanczos_iterations(self) -> int:
        """Lanczos iterations of the last step (0 with Cholesky or no HI)."""
        return int(self._engine.lanczos_iterations)

    @property
    def drift_limited(self) -> int:
        """How many particle steps had their deterministic displacement shortened to
        ``config.max_drift`` (0 means the run is plain Ermak-McCammon)."""
        return int(self._engine.drift_limited)

    def forces(self) -> np.ndarray:
        """Conservative forces (N, 3) [N] at the current positions (bonds included)."""
        f, _ = self._engine.forces(self._engine.positions)
        return f * self.units.force

    def potential_energy(self) -> float:
        """Potential energy [J] at the current positions."""
        _, e = self._engine.forces(self._engine.positions)
        return e * self.units.energy

    def diffusion_coefficients(self) -> np.ndarray:
        """Stokes-Einstein D0 = kT / (6 pi eta a) of each particle [m^2/s]."""
        return self.units.energy / (6.0 * math.pi * self.viscosity * self.radii)

    def clusters(self, gap: float | None = None):
        """Cluster labels and sizes; see :func:`mesolith.bd.analysis.clusters`."""
        from mesolith.bd.analysis import clusters

        if gap is None:
            gap = self.config.bond_capture_gap + self.config.repulsion_range * self.units.length
        return clusters(self.positions, self.radii, gap=gap, bonds=self.bonds)

    def sedimentation_profile(self, bins=50, start: int = 0):
        """Number density n(z) [m^-3] per species over the recorded frames from ``start``
        on, heights from 0 to the box top; see
        :func:`mesolith.bd.analysis.sedimentation_profile`."""
        from mesolith.bd.analysis import sedimentation_profile

        lx, ly, lz = self.config.box
        return sedimentation_profile(self.trajectory[start:], self.species, lx * ly,
                                     bins=bins, z_range=(0.0, lz))

    # ---- output ----------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write positions, trajectory, radii, species and bonds to HDF5 (atomically)."""
        from mesolith.io import write_results

        data = {
            "particles": {
                "positions": self.positions,
                "radii": self.radii,
                "species": self.species,
                "species_names": np.array(self.species_names),
                "bonds": self.bonds.astype(np.int64),
            },
            "trajectory": {"positions": self.trajectory, "time": self.frame_times},
        }
        units = {"particles/positions": "m", "particles/radii": "m",
                 "trajectory/positions": "m", "trajectory/time": "s"}
        return write_results(path, data, config=self.config, seed=self.seed,
                             attrs={"engine": "bd", "step": self.step}, units=units)

    def checkpoint(self, path: str | Path) -> Path:
        """Write the state needed to continue this run exactly (atomically, HDF5).

        The noise of step n depends only on (seed, particle, n), so a run restarted with
        :meth:`restart` continues bit for bit as if it had not stopped.
        """
        from mesolith.io import write_results

        state = {"positions": self._engine.positions, "bonds": self.bonds.astype(np.int64),
                 "step": np.int64(self.step),
                 # recorded frames too, so a resumed run writes the whole trajectory
                 "frames": np.array(self._frames), "frame_steps": np.array(self._frame_steps)}
        return write_results(path, {"state": state}, config=self.config, seed=self.seed,
                             attrs={"engine": "bd", "kind": "checkpoint"},
                             units={"state/positions": "reduced (smallest radius)",
                                    "state/frames": "m"})

    @classmethod
    def restart(cls, path: str | Path) -> Simulation:
        """Continue from a file written by :meth:`checkpoint`."""
        from mesolith.io import read_results

        res = read_results(path)
        if res.attrs.get("kind") != "checkpoint" or res.attrs.get("engine", "bd") != "bd":
            raise ValueError(f"{path}: not a mesolith.bd checkpoint")
        state = {"positions": res["state/positions"], "bonds": res["state/bonds"],
                 "step": int(res["state/step"])}
        sim = cls(BDConfig.model_validate(res.config), seed=int(res.attrs["seed"]),
                  _state=state)
        if "state/frames" in res.data:
            sim._frames = list(np.asarray(res["state/frames"]))
            sim._frame_steps = [int(s) for s in res["state/frame_steps"]]
        return sim

    def write_dcd(self, path: str | Path) -> Path:
        """Trajectory as CHARMM/NAMD DCD (Angstrom) plus a PDB topology beside it."""
        from mesolith.bd.trajectory import write_dcd, write_pdb

        path = Path(path)
        write_dcd(path, self.trajectory, timestep=self.config.dt * self.config.save_every)
        write_pdb(path.with_suffix(".pdb"), self._frames[0], self.radii, self.species,
                  self.species_names, box=self.config.box)
        return path

    def write_vtp(self, path: str | Path) -> Path:
        """Current particles as VTK PolyData (.vtp) with radius and species arrays."""
        from mesolith.io.vtk import write_points

        return write_points(path, self.positions, {"radius": self.radii,
                                                   "species": self.species})
