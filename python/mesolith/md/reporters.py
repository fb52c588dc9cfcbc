"""OpenMM reporters that drive and record drying inside OpenMM's own step loop.

They follow ``openmm.app``'s reporter protocol (``describeNextReport`` / ``report``), so
``Simulation.step`` runs uninterrupted between the steps they ask for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mesolith.md.slurry import CBD, Slurry

__all__ = ["DCDFrameReporter", "DryingSchedule", "EvaporationReporter", "FilmReporter"]


@dataclass
class DryingSchedule:
    """How solvent loss maps onto the model (reduced units).

    Evaporation at a constant rate removes the solvent linearly in time: after step n the
    removed fraction is f = min(1, n / steps). The free surface recedes with the solvent
    (from H0 towards the solids-only thickness H_s = V_solid / A, reached at f = 1) unless
    the solid network holds it up (capillary arrest). CBD beads lose their solvent in
    proportion, their volume going linearly from wet to dry; wells involving CBD deepen
    linearly from 1 to ``binder_final`` as the binder solidifies.
    """

    steps: int
    height0: float
    solid_height: float
    dry_ratio: float
    binder_final: float
    dt: float

    def fraction(self, step: int) -> float:
        return min(1.0, step / self.steps)

    def shrink(self, f: float) -> float:
        return (1.0 - f * (1.0 - self.dry_ratio**3)) ** (1.0 / 3.0)

    def binder(self, f: float) -> float:
        return 1.0 + f * (self.binder_final - 1.0)

    @property
    def wall_speed(self) -> float:
        """Recession speed of the free surface [reduced length per reduced time]."""
        return (self.height0 - self.solid_height) / (self.steps * self.dt)


def current_diameters(slurry: Slurry, shrink: float) -> np.ndarray:
    """Bead diameters with CBD beads shrunk by ``shrink`` (reduced units)."""
    return np.where(slurry.types == CBD, slurry.diameter * shrink, slurry.diameter)


class EvaporationReporter:
    """Drives drying: the free surface every ``move_interval`` steps, the CBD shrink and
    binder ramps (which change slowly) and the force check every ``check_interval`` steps.

    The surface descends at the evaporation speed while the force the beads exert on it
    stays below the capillary limit; above it the meniscus is held by the particle
    network and waits (it resumes when shrinking CBD lets the film settle). Moving it in
    small steps (``move_interval``, no state transfer) keeps each jump far below the
    contact range; the force is measured from positions every ``check_interval`` steps.
    """

    def __init__(self, check_interval: int, schedule: DryingSchedule, slurry: Slurry,
                 wall_stiffness: float, capillary_force: float, move_interval: int = 10):
        self.check_interval = int(check_interval)
        self.move_interval = max(1, min(int(move_interval), self.check_interval))
        self.schedule = schedule
        self.slurry = slurry
        self.k = wall_stiffness
        self.f_cap = capillary_force
        self.ztop = schedule.height0
        self.wall_force = 0.0
        self.arrested = False
        self._last_step = 0

    def describeNextReport(self, simulation):  # noqa: N802 (OpenMM protocol)
        step = simulation.currentStep
        to_move = self.move_interval - step % self.move_interval
        to_check = self.check_interval - step % self.check_interval
        steps = min(to_move, to_check)
        include = ["positions"] if steps == to_check else []
        return {"steps": steps, "periodic": False, "include": include}

    def report(self, simulation, state):
        sch = self.schedule
        step = simulation.currentStep
        f = sch.fraction(step)
        ctx = simulation.context
        if step % self.check_interval == 0:
            # the ramps change slowly: update them with the force check only
            shrink = sch.shrink(f)
            z = state.getPositions(asNumpy=True)._value[:, 2]
            d = current_diameters(self.slurry, shrink)
            push = z + 0.5 * d - self.ztop
            self.wall_force = float(self.k * push[push > 0].sum())
            self.arrested = self.wall_force >= self.f_cap
            ctx.setParameter("shrink", shrink)
            ctx.setParameter("binder", sch.binder(f))
        elapsed, self._last_step = step - self._last_step, step
        if not self.arrested and f < 1.0 and elapsed > 0:
            ztop = max(self.ztop - sch.wall_speed * elapsed * sch.dt, sch.solid_height)
            if ztop != self.ztop:
                self.ztop = ztop
                ctx.setParameter("ztop", ztop)


@dataclass
class FilmRecord:
    step: list[int] = field(default_factory=list)
    thickness: list[float] = field(default_factory=list)
    porosity: list[float] = field(default_factory=list)
    surface: list[float] = field(default_factory=list)
    surface_force: list[float] = field(default_factory=list)
    solid_mass: list[float] = field(default_factory=list)


class FilmReporter:
    """Records film thickness (highest bead top), porosity 1 - V_beads / (A H), the free
    surface position and the mass of beads inside the film (reduced units)."""

    def __init__(self, interval: int, slurry: Slurry, evaporation: EvaporationReporter):
        self.interval = int(interval)
        self.slurry = slurry
        self.evaporation = evaporation
        self.record = FilmRecord()

    def describeNextReport(self, simulation):  # noqa: N802 (OpenMM protocol)
        steps = self.interval - simulation.currentStep % self.interval
        return {"steps": steps, "periodic": False, "include": ["positions"]}

    def report(self, simulation, state):
        sch = self.evaporation.schedule
        pos = state.getPositions(asNumpy=True)._value
        d = current_diameters(self.slurry, sch.shrink(sch.fraction(simulation.currentStep)))
        top = pos[:, 2] + 0.5 * d
        thickness = float(top.max())
        volume = float(np.sum(np.pi / 6 * d**3))
        area = self.slurry.box_xy**2
        inside = (pos[:, 2] > 0) & (pos[:, 2] < thickness)
        rec = self.record
        rec.step.append(int(simulation.currentStep))
        rec.thickness.append(thickness)
        rec.porosity.append(1.0 - volume / (area * thickness))
        rec.surface.append(self.evaporation.ztop)
        rec.surface_force.append(self.evaporation.wall_force)
        rec.solid_mass.append(float(self.slurry.mass[inside].sum()))


class DCDFrameReporter:
    """Writes positions to an open binary file with OpenMM's ``DCDFile`` (the caller owns
    the file, so that it can be written to a temporary path and renamed when complete).
    ``append=True`` continues a file this reporter wrote before (a resumed run)."""

    def __init__(self, handle, topology, interval: int, dt: float, append: bool = False):
        from openmm.app import DCDFile

        self.interval = int(interval)
        self._dcd = DCDFile(handle, topology, dt, 0, self.interval, append=append)

    def describeNextReport(self, simulation):  # noqa: N802 (OpenMM protocol)
        steps = self.interval - simulation.currentStep % self.interval
        return {"steps": steps, "periodic": False, "include": ["positions"]}

    def report(self, simulation, state):
        self._dcd.writeModel(state.getPositions(asNumpy=True)._value,
                             periodicBoxVectors=state.getPeriodicBoxVectors())
