"""``DryingSimulation``: dry a slurry film on a current collector with OpenMM."""

from __future__ import annotations

import os
import tempfile
import time as _time
from pathlib import Path

import numpy as np

from mesolith.interrupt import graceful_interrupt
from mesolith.io import write_results
from mesolith.io.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from mesolith.io.hdf5 import ResultsFormatError, read_results
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
from mesolith.md.slurry import CBD, Slurry, build_slurry
from mesolith.md.state import (
    DCD_HEAD_BYTES,
    film_from_state,
    film_state,
    slurry_from_state,
    slurry_state,
    surface_from_state,
    surface_state,
)
from mesolith.md.units import LENGTH, MASS, TIME, openmm_temperature, reduced_thermal_energy
from mesolith.md.voxelize import voxelize
from mesolith.progress import progress_bar

__all__ = ["CHECKPOINT_NAME", "DryingInterrupted", "DryingSimulation"]

CHECKPOINT_NAME = "checkpoint.h5"
#: Steps between the quick speed checks inside a chunk (see ``_guarded_steps``).
GUARD_STEPS = 10
DCD_PART_NAME = "drying.dcd.part"  # the trajectory while it is being written


class DryingInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a drying run after it wrote a checkpoint (``.checkpoint``)."""

    def __init__(self, checkpoint: Path, step: int):
        super().__init__(f"drying stopped at step {step}; checkpoint written to {checkpoint} "
                         "(resume with DryingSimulation.from_checkpoint)")
        self.checkpoint = Path(checkpoint)
        self.step = int(step)


def _trajectory_state(handle) -> dict:
    """Length and leading bytes of an open trajectory file (its position is kept)."""
    where = handle.tell()
    size = os.fstat(handle.fileno()).st_size
    handle.seek(0)
    head = handle.read(min(size, DCD_HEAD_BYTES))
    handle.seek(where)
    return {"size": int(size), "head": np.frombuffer(head, np.uint8).copy()}


def _checkpoint_config(path: Path) -> DryingConfig:
    """The configuration stored in a drying checkpoint, after checking what the file is."""
    try:
        res = read_results(path)
    # h5py reports some damaged object headers as RuntimeError, which read_results passes on
    except (ResultsFormatError, OSError, RuntimeError) as exc:
        raise CheckpointError(f"{path}: checkpoint refused (damaged file?): {exc}") from None
    if res.attrs.get("kind") != "checkpoint" or res.attrs.get("engine") != "md":
        raise CheckpointError(
            f"{path}: not a drying checkpoint (kind = {res.attrs.get('kind')!r}, engine = "
            f"{res.attrs.get('engine')!r})")
    return DryingConfig.model_validate(res.config)


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
        self._evaporation: EvaporationReporter | None = None
        self._dcd_handle = None
        self._trajectory_state: dict | None = None
        self.simulation = None
        self._masses: np.ndarray | None = None
        #: Where :meth:`checkpoint` writes by default (``checkpoint.h5`` in the output
        #: directory; a recipe's md stage puts it in ``<output_dir>/checkpoints/md.h5``).
        self.checkpoint_path = self.output_dir / CHECKPOINT_NAME
        #: Also checkpoint at the first chunk boundary after this many wall-clock seconds
        #: (0: only every ``checkpoint_interval`` steps). Chunk boundaries depend on the
        #: step alone, so the clock changes when files are written, never the trajectory.
        self.checkpoint_seconds = 0.0

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
        platform, props = select_platform(cfg.platform, cfg.threads or None, cfg.deterministic)
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

    def _replay_evaporation(self) -> EvaporationReporter:
        """A new free-surface driver with this run's settings (at its initial state)."""
        cfg = self.config
        # move the free surface as seldom as possible while each jump stays <= s/10
        per_step = self.schedule.wall_speed * cfg.timestep
        move = int(np.clip(0.1 * self.model.contact_range / per_step, 1, cfg.report_interval))
        return EvaporationReporter(
            cfg.report_interval, self.schedule, self.slurry, self.model.wall_stiffness,
            self.model.capillary_force, move_interval=move)

    def _make_reporters(self) -> None:
        self._evaporation = self._replay_evaporation()
        self._film = FilmReporter(self.config.report_interval, self.slurry, self._evaporation)

    @property
    def step(self) -> int:
        """MD steps done so far (including those before a checkpoint this run resumed)."""
        return int(self.simulation.currentStep) if self.simulation is not None else 0

    @property
    def seed(self) -> int:
        """The run's seed (``config.seed``)."""
        return int(self.config.seed)

    @property
    def finished(self) -> bool:
        """Whether the run has reached ``steps + relax_steps``."""
        return self.step >= self.config.steps + self.config.relax_steps

    def run(self, progress: bool = True, max_steps: int | None = None,
            reporters: list | None = None) -> DryingSimulation:
        """Dry the film: ``steps`` of evaporation, then ``relax_steps`` at dry parameters.

        ``max_steps`` stops the run at that step (the first ``max_steps`` steps of the
        schedule), e.g. for timing; a later ``run()`` continues from there.

        Writes ``drying.pdb`` (topology, final positions), ``drying.dcd`` (frames every
        ``trajectory_interval`` steps) and ``particles.vtp`` into :attr:`output_dir`, and a
        checkpoint every ``checkpoint_interval`` steps. The first Ctrl-C finishes the
        current chunk, writes a checkpoint and raises :class:`DryingInterrupted`; resume
        with :meth:`from_checkpoint`. ``reporters`` are further OpenMM reporters
        (``describeNextReport``/``report``) run alongside ours. With
        :attr:`checkpoint_seconds` > 0 a checkpoint is also written at the first chunk
        boundary after that many wall-clock seconds (the trajectory does not change).

        Raises
        ------
        NumericalFault
            When a chunk produced a non-finite state, a runaway bead, a deep overlap or an
            energy blow-up; the message names the first bad step, the bead and its type,
            and the likely cause. No checkpoint is written after a bad chunk.
        """
        cfg = self.config
        sim = self.setup()
        total = cfg.steps + cfg.relax_steps
        if max_steps is not None:
            total = max(1, min(total, int(max_steps)))
        if sim.currentStep >= total:
            raise RuntimeError(
                f"this DryingSimulation has already run to step {sim.currentStep}; make a "
                "new one (pass slurry=... to reuse its starting beads)")
        self.output_dir.mkdir(parents=True, exist_ok=True)
        fresh = self._film is None
        if fresh:
            self._make_reporters()
        part = self.output_dir / DCD_PART_NAME
        handle = open(part, "w+b") if fresh else self._reopen_trajectory(part)
        try:
            self._dcd = DCDFrameReporter(handle, sim.topology, cfg.trajectory_interval,
                                         cfg.timestep, append=not fresh)
            sim.reporters = [self._film, self._dcd, self._evaporation, *(reporters or [])]
            if fresh:  # set the step-0 state of the free surface and ramps
                self._evaporation.report(sim, sim.context.getState(getPositions=True))
            self._dcd_handle = handle
            self._step_to(total, progress)
        finally:
            handle.close()
            self._dcd_handle = None
            self._positions = sim.context.getState(getPositions=True).getPositions(
                asNumpy=True)._value
        with open(part, "rb+") as fh:  # complete: the trajectory appears under its name
            os.fsync(fh.fileno())
            self._trajectory_state = _trajectory_state(fh)  # a later run() appends
        os.replace(part, self.output_dir / "drying.dcd")
        write_pdb(self.output_dir / "drying.pdb", self.slurry.types,
                  self.slurry.diameter * np.where(self.slurry.types == 1,
                                                  self.slurry.dry_ratio, 1.0),
                  self._positions, self.model.box, self.slurry.mass)
        self.write_vtp(self.output_dir / "particles.vtp")
        return self

    def _step_to(self, total: int, progress: bool) -> None:
        """Step to ``total`` in chunks (progress), checking each chunk for numerical faults
        and checkpointing after good chunks: on the step schedule, after
        :attr:`checkpoint_seconds`, or on Ctrl-C."""
        sim = self.simulation
        every = self.config.checkpoint_interval
        full = self.config.steps + self.config.relax_steps
        chunk = max(self.config.report_interval, full // 100)
        start = sim.currentStep
        last_write = _time.monotonic()
        with graceful_interrupt() as stop, progress_bar(total - start, "drying",
                                                        enabled=progress) as bar:
            while sim.currentStep < total:
                step = sim.currentStep
                target = min(total, (step // chunk + 1) * chunk)
                if every:
                    target = min(target, (step // every + 1) * every)
                good = self._chunk_start(target - step)
                error = self._guarded_steps(target)
                # the chunk boundaries are a function of the step alone
                boundary = target < full and (target % chunk == 0 or
                                              (bool(every) and target % every == 0))
                # the potential energy is evaluated only where a fresh context follows (or
                # at the end), so that its force evaluation cannot change the trajectory
                self._check_chunk(good, error, energy=boundary or target == full)
                bar.advance(target - step)
                scheduled = bool(every) and target % every == 0
                timed = (boundary and self.checkpoint_seconds > 0
                         and _time.monotonic() - last_write >= self.checkpoint_seconds)
                # checkpoint on schedule, on Ctrl-C, after checkpoint_seconds, and (when
                # checkpointing) where max_steps stops the run early
                if target < full and (stop.requested or scheduled or timed
                                      or (every and target == total)):
                    path = self.checkpoint()
                    last_write = _time.monotonic()
                    if stop.requested:
                        raise DryingInterrupted(path, target)
                if boundary and (every or self.checkpoint_seconds > 0):
                    # A resumed run starts from a fresh Context, whose neighbour list (and
                    # so its force summation order) is built at the checkpoint positions;
                    # the running one rebuilds it only after enough motion. Starting afresh
                    # at every chunk boundary keeps a run resumed from any checkpoint
                    # bit-identical to one never stopped (OpenMM restores the state). A
                    # run that writes no checkpoints cannot be resumed, so it skips the
                    # restarts and their cost.
                    sim.context.reinitialize(preserveState=True)

    # -- numerical faults ----------------------------------------------------------------
    def _current_positions(self) -> np.ndarray:
        return self.simulation.context.getState(getPositions=True).getPositions(
            asNumpy=True)._value

    def _guarded_steps(self, target: int) -> Exception | None:
        """Step to ``target``, looking at the speeds every :data:`GUARD_STEPS` steps.

        An unstable time step multiplies the speeds tenfold or more per step, and OpenMM's
        CPU platform crashes the process once coordinates overflow; the look stops the
        chunk early, while the state can still be examined. Splitting ``Simulation.step``
        changes nothing in the trajectory (the reporters run at the same steps). Returns
        the exception OpenMM raised, if any.
        """
        from mesolith.md.faults import runaway

        sim = self.simulation
        dt = self.config.timestep
        sl = self.slurry  # the smallest radius each bead reaches (CBD shrinks as it dries)
        radii = 0.5 * sl.diameter * np.where(sl.types == CBD, sl.dry_ratio, 1.0)
        try:
            while sim.currentStep < target:
                sim.step(min(GUARD_STEPS, target - sim.currentStep))
                state = sim.context.getState(getVelocities=True)
                if runaway(state.getVelocities(asNumpy=True)._value, radii, dt):
                    break
        except Exception as exc:  # noqa: BLE001 - OpenMM's NaN check: located by the caller
            return exc
        return None

    def _chunk_start(self, steps: int) -> dict:
        """What a replay of the next ``steps`` steps needs (see :mod:`mesolith.md.faults`)."""
        from mesolith.md.state import surface_state

        sim = self.simulation
        return {"openmm": sim.context.createCheckpoint(), "step": int(sim.currentStep),
                "steps": int(steps), "surface": surface_state(self._evaporation),
                "positions": self._current_positions()}

    def _state_fault(self, previous: np.ndarray, steps: int, energy: bool) -> str | None:
        """The first fault in the current state (see :func:`mesolith.md.faults.bead_fault`)."""
        from mesolith.md.faults import bead_fault

        sim = self.simulation
        state = sim.context.getState(getPositions=True, getVelocities=True, getEnergy=energy)
        if self._masses is None:
            system = self.model.system
            self._masses = np.array([system.getParticleMass(i)._value
                                     for i in range(system.getNumParticles())])
        diam = current_diameters(self.slurry, self.schedule.shrink(
            self.schedule.fraction(sim.currentStep)))
        return bead_fault(
            state.getPositions(asNumpy=True)._value, state.getVelocities(asNumpy=True)._value,
            self._masses, diam, self.slurry.types, self.slurry.box_xy,
            reduced_thermal_energy(self.config.temperature), self.config.timestep,
            previous=previous, steps=steps,
            energy=state.getPotentialEnergy()._value if energy else None)

    def _check_chunk(self, good: dict, error: Exception | None, energy: bool) -> None:
        """Raise :class:`~mesolith.reliability.faults.NumericalFault` if the chunk that
        started at ``good`` went wrong, naming the first bad step and bead."""
        from mesolith.md.faults import locate_fault

        steps = self.simulation.currentStep - good["step"]
        if error is None and self._state_fault(good["positions"], steps, energy) is None:
            return
        reporters = self.simulation.reporters
        try:
            locate_fault(self, good, error)
        finally:
            self.simulation.reporters = reporters

    # -- checkpoints ---------------------------------------------------------------------
    def checkpoint(self, path: str | Path | None = None) -> Path:
        """Write the full state atomically (default :attr:`checkpoint_path`).

        Holds OpenMM's own ``Context`` checkpoint (positions, velocities, global parameters,
        step, the integrator's random-number state), the drying schedule state (free-surface
        position, surface force, arrest), the reporters' records, the starting slurry and the
        length of the trajectory written so far. Resuming it on the same platform and thread
        count continues the run bit for bit.
        """
        if self._film is None or self.simulation is None:
            raise RuntimeError("nothing to checkpoint: run() has not started")
        sim = self.simulation
        if self._dcd_handle is not None:
            self._dcd_handle.flush()
            os.fsync(self._dcd_handle.fileno())
            dcd = _trajectory_state(self._dcd_handle)
        else:
            dcd = self._trajectory_state or {"size": 0, "head": np.zeros(0, np.uint8)}
        state = {
            "openmm": np.frombuffer(sim.context.createCheckpoint(), np.uint8),
            "platform": sim.context.getPlatform().getName(),
            "surface": surface_state(self._evaporation),
            "film": film_state(self._film.record),
            "slurry": slurry_state(self.slurry),
            "trajectory": dcd,
        }
        cfg = self.config
        return save_checkpoint(path or self.checkpoint_path, "md", state, step=sim.currentStep,
                               config=cfg.model_dump(mode="json"), seed=cfg.seed)

    @classmethod
    def from_checkpoint(cls, path: str | Path, output_dir: str | Path | None = None
                        ) -> DryingSimulation:
        """A simulation restored from a checkpoint; ``run()`` continues it.

        ``output_dir`` defaults to the checkpoint's directory (where the partial trajectory
        of the interrupted run lies).

        Raises
        ------
        CheckpointError
            If the file is corrupted, not a drying checkpoint, or was written on another
            OpenMM platform.
        """
        path = Path(path)
        config = _checkpoint_config(path)
        ckpt = load_checkpoint(path, "md", config.model_dump(mode="json"))
        sim = cls(config, output_dir or path.parent, slurry=slurry_from_state(
            ckpt.state["slurry"]))
        sim._restore(ckpt.state, path)
        return sim

    def _restore(self, state: dict, path: Path) -> None:
        sim = self.setup()
        name = sim.context.getPlatform().getName()
        if str(state["platform"]) != name:
            raise CheckpointError(
                f"{path}: written on OpenMM platform {state['platform']!r}, this run uses "
                f"{name!r}; set md.platform to resume it")
        try:
            sim.context.loadCheckpoint(np.asarray(state["openmm"], np.uint8).tobytes())
        except Exception as exc:  # OpenMMException: a damaged or foreign Context blob
            raise CheckpointError(f"{path}: OpenMM refused its context state: {exc}") from None
        self._make_reporters()
        surface_from_state(self._evaporation, state["surface"])
        film_from_state(self._film.record, state["film"])
        self._trajectory_state = state["trajectory"]
        self._positions = sim.context.getState(getPositions=True).getPositions(
            asNumpy=True)._value

    def _reopen_trajectory(self, part: Path):
        """The partial DCD cut back to its length at the checkpoint, ready to append."""
        size = int(self._trajectory_state["size"])
        head = np.asarray(self._trajectory_state["head"], np.uint8).tobytes()
        done = self.output_dir / "drying.dcd"
        if not part.exists() and done.exists():  # a run stopped by max_steps, continued
            os.replace(done, part)
        if not part.exists() or part.stat().st_size < size:
            raise CheckpointError(
                f"{part}: the partial trajectory of the checkpointed run is missing or "
                f"shorter than the {size} bytes it had; resume in its output directory")
        handle = open(part, "r+b")
        handle.truncate(size)
        handle.seek(0)
        handle.write(head)
        handle.seek(0, os.SEEK_END)
        return handle

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
