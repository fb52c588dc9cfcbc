"""``DryingSimulation``: dry a slurry film on a current collector with OpenMM."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from mesolith.io import atomic_output, write_results
from mesolith.md.config import DryingConfig
from mesolith.md.files import universe, write_pdb, write_vtp
from mesolith.md.model import build_model
from mesolith.md.platform import select_platform
from mesolith.md.reporters import (
    DCDFrameReporter,
    DryingSchedule,
    EvaporationReporter,
    FilmReporter,
    current_diameters,
)
from mesolith.md.slurry import Slurry, build_slurry
from mesolith.md.units import LENGTH, MASS, TIME, openmm_temperature, reduced_thermal_energy
from mesolith.md.voxelize import voxelize
from mesolith.progress import progress_bar

__all__ = ["DryingSimulation"]


class DryingSimulation:
    """Coarse-grained drying of an electrode slurry film (SI units at this interface).

    Parameters
    ----------
    config : DryingConfig or dict
        The run; a dict is validated (errors name field, value and allowed range).
    output_dir : path, optional
        Where ``drying.pdb``, ``drying.dcd`` and the results go; default a new temporary
        directory.
    slurry : Slurry, optional
        Starting beads (reduced units); default a random slurry drawn from the seed.

    Examples
    --------
    >>> from mesolith.md import DryingSimulation, preset
    >>> sim = DryingSimulation(preset("nmp_pvdf", n_am=20, box_xy=18e-6, steps=2000))
    >>> sim.run(progress=False).final_thickness  # doctest: +SKIP
    1.1e-05
    """

    def __init__(self, config: DryingConfig | dict, output_dir: str | Path | None = None,
                 slurry: Slurry | None = None):
        if isinstance(config, dict):
            config = DryingConfig.from_dict(config, source="<config>", prefix="md")
        self.config = config
        self.output_dir = Path(output_dir) if output_dir else Path(
            tempfile.mkdtemp(prefix="mesolith-md-"))
        self.slurry = slurry if slurry is not None else build_slurry(config)
        from mesolith.memory import check_memory

        # OpenMM keeps positions, velocities, forces and neighbour lists per bead
        check_memory(2048.0 * self.slurry.n, f"the MD system of {self.slurry.n} beads")
        self.model = build_model(self.slurry, config)
        self.schedule = DryingSchedule(
            steps=config.steps, height0=self.slurry.height,
            solid_height=self.slurry.solid_volume() / self.slurry.box_xy**2,
            dry_ratio=self.slurry.dry_ratio,
            binder_final=config.chemistry.binder_strengthening, dt=config.timestep)
        self._positions = self.slurry.positions.copy()
        self._film: FilmReporter | None = None
        self.simulation = None

    # -- running -------------------------------------------------------------------------
    def _topology(self):
        from openmm import app

        top = app.Topology()
        chain = top.addChain()
        for t in self.slurry.types:
            name = "AM" if t == 0 else "CBD"
            top.addAtom(name, None, top.addResidue(name, chain))
        top.setPeriodicBoxVectors(self.model.system.getDefaultPeriodicBoxVectors())
        return top

    def _make_simulation(self):
        import openmm as mm
        from openmm import app

        cfg = self.config
        kt = reduced_thermal_energy(cfg.temperature)
        integrator = mm.LangevinMiddleIntegrator(openmm_temperature(kt), cfg.damping,
                                                 cfg.timestep)
        integrator.setRandomNumberSeed(int(cfg.seed % (2**31 - 1)) + 1)
        platform, props = select_platform(cfg.platform, cfg.threads or None)
        sim = app.Simulation(self._topology(), self.model.system, integrator, platform, props)
        sim.context.setPositions(self._positions)
        sim.context.setVelocities(np.zeros((self.slurry.n, 3)))  # the slurry starts at rest
        return sim

    def setup(self):
        """Create the OpenMM ``app.Simulation`` (platform, context, positions); ``run`` calls
        it if needed. Returns it."""
        if self.simulation is None:
            self.simulation = self._make_simulation()
        return self.simulation

    def run(self, progress: bool = True, max_steps: int | None = None) -> DryingSimulation:
        """Dry the film: ``steps`` of evaporation, then ``relax_steps`` at dry parameters.

        ``max_steps`` stops the run early (the first ``max_steps`` steps of the schedule),
        e.g. for timing.

        Writes ``drying.pdb`` (topology, final positions), ``drying.dcd`` (frames every
        ``trajectory_interval`` steps) and ``particles.vtp`` into :attr:`output_dir`.
        """
        cfg = self.config
        if self._film is not None:
            raise RuntimeError("this DryingSimulation has already run; make a new one "
                               "(pass slurry=... to reuse its starting beads)")
        sim = self.setup()
        # move the free surface as seldom as possible while each jump stays <= s/10
        per_step = self.schedule.wall_speed * cfg.timestep
        move = int(np.clip(0.1 * self.model.contact_range / per_step, 1, cfg.report_interval))
        evap = EvaporationReporter(cfg.report_interval, self.schedule, self.slurry,
                                   self.model.wall_stiffness, self.model.capillary_force,
                                   move_interval=move)
        film = self._film = FilmReporter(cfg.report_interval, self.slurry, evap)
        total = cfg.steps + cfg.relax_steps
        if max_steps is not None:
            total = max(1, min(total, int(max_steps)))
        self.output_dir.mkdir(parents=True, exist_ok=True)
        dcd_path = self.output_dir / "drying.dcd"
        chunk = max(cfg.report_interval, total // 100)
        with atomic_output(dcd_path) as tmp, open(tmp, "wb") as handle:
            sim.reporters = [film, DCDFrameReporter(handle, sim.topology,
                                                    cfg.trajectory_interval, cfg.timestep),
                             evap]
            evap.report(sim, sim.context.getState(getPositions=True))  # set step-0 state
            with progress_bar(total, "drying", enabled=progress) as bar:
                done = 0
                while done < total:
                    n = min(chunk, total - done)
                    sim.step(n)
                    done += n
                    bar.advance(n)
            handle.flush()
        self._positions = sim.context.getState(getPositions=True).getPositions(
            asNumpy=True)._value
        write_pdb(self.output_dir / "drying.pdb", self.slurry.types,
                  self.slurry.diameter * np.where(self.slurry.types == 1,
                                                  self.slurry.dry_ratio, 1.0),
                  self._positions, self.model.box, self.slurry.mass)
        self.write_vtp(self.output_dir / "particles.vtp")
        return self

    # -- results (SI) --------------------------------------------------------------------
    def _require_run(self) -> FilmReporter:
        if self._film is None or not self._film.record.step:
            raise RuntimeError("run() the simulation before reading its results")
        return self._film

    @property
    def time(self) -> np.ndarray:
        """Physical drying time of each report [s]: solvent removed / evaporation rate
        (the MD itself runs on a compressed time axis, see docs/theory/md.md)."""
        rec = self._require_run().record
        sch = self.schedule
        t_dry = (sch.height0 - sch.solid_height) * LENGTH / self.config.evaporation_rate
        steps = np.asarray(rec.step, float)
        return steps / sch.steps * t_dry

    @property
    def thickness(self) -> np.ndarray:
        """Film thickness at each report (highest bead top) [m]."""
        return np.asarray(self._require_run().record.thickness) * LENGTH

    @property
    def porosity(self) -> np.ndarray:
        """Porosity 1 - V_beads / (A H) at each report (wet CBD beads count as solid)."""
        return np.asarray(self._require_run().record.porosity)

    @property
    def final_thickness(self) -> float:
        """Thickness at the last report [m]."""
        return float(self.thickness[-1])

    @property
    def final_porosity(self) -> float:
        return float(self.porosity[-1])

    @property
    def positions(self) -> np.ndarray:
        """Current bead centres [m], x and y wrapped into the box."""
        pos = np.array(self._positions, float) * LENGTH
        pos[:, :2] %= self.slurry.box_xy * LENGTH
        return pos

    @property
    def diameters(self) -> np.ndarray:
        """Current bead diameters [m] (CBD beads at their current shrink)."""
        f = self.schedule.fraction(self.simulation.currentStep if self.simulation else 0)
        return current_diameters(self.slurry, self.schedule.shrink(f)) * LENGTH

    @property
    def masses(self) -> np.ndarray:
        """Dry solid mass of each bead [kg] (conserved by drying)."""
        return self.slurry.mass * MASS

    @property
    def box_xy(self) -> float:
        return self.slurry.box_xy * LENGTH

    @property
    def trajectory(self):
        """The run as an MDAnalysis ``Universe`` (DCD + PDB; 1 Angstrom there = 0.1 um)."""
        self._require_run()
        return universe(self.output_dir / "drying.pdb", self.output_dir / "drying.dcd")

    def to_microstructure(self, voxel_size: float):
        """The current film voxelised: labels 0 pore, 1 AM, 2 CBD (z from the collector).

        ``voxel_size`` [m] is adjusted slightly so that voxels tile the periodic box.
        """
        height = self.final_thickness if self._film else self.slurry.height * LENGTH
        return voxelize(self.positions, self.diameters, self.slurry.types, self.box_xy,
                        height, voxel_size)

    def write_vtp(self, path: str | Path) -> Path:
        """Write the beads (positions, diameters [m], phase) as VTK PolyData."""
        return write_vtp(path, self.positions, self.diameters, self.slurry.types)

    def save(self, path: str | Path) -> Path:
        """Write thickness and porosity vs time and the final beads to HDF5 (atomically)."""
        self._require_run()
        cfg = self.config
        data = {"drying": {"time": self.time, "thickness": self.thickness,
                           "porosity": self.porosity,
                           "surface": np.asarray(self._film.record.surface) * LENGTH},
                "beads": {"positions": self.positions, "diameters": self.diameters,
                          "types": self.slurry.types, "masses": self.masses}}
        units = {"drying/time": "s", "drying/thickness": "m", "drying/surface": "m",
                 "beads/positions": "m", "beads/diameters": "m", "beads/masses": "kg"}
        return write_results(path, data, config=cfg.model_dump(mode="json"), seed=cfg.seed,
                             threads=cfg.threads, units=units,
                             attrs={"md_time_unit_s": TIME})
