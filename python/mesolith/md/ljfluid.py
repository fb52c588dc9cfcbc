"""A Lennard-Jones fluid set up through mesolith's pair-force builder (the MD validation).

Everything is in LJ reduced units (sigma = epsilon = m = kB = 1), which OpenMM receives
as nm, kJ/mol and amu; its time unit (ps) is then exactly the LJ time sigma sqrt(m/eps),
and a reduced temperature T* is passed as T*/R kelvin (see :mod:`mesolith.md.units`).

The potential is truncated (not shifted) at ``cutoff`` with OpenMM's long-range
correction on, so the sampled potential energy already includes the energy tail. The
pressure is the virial estimator over pairs inside the cutoff plus the standard tail
term, both assuming g(r) = 1 beyond the cutoff (Allen & Tildesley, Computer Simulation
of Liquids, 2nd ed., Sec. 2.8), which is the treatment the full-potential
Johnson-Zollweg-Gubbins equation of state is compared against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from mesolith.md.jzg import lj_tail_pressure
from mesolith.md.pair_force import type_pair_force
from mesolith.md.platform import select_platform
from mesolith.md.units import openmm_temperature

__all__ = ["LJFluid", "LJFluidResult", "block_error", "lj_virial"]

LJ_EXPRESSION = "4*eps(type1,type2)*((sig(type1,type2)/r)^12 - (sig(type1,type2)/r)^6)"


def block_error(samples: np.ndarray, n_blocks: int = 10) -> float:
    """Standard error of the mean of correlated ``samples`` from ``n_blocks`` block means."""
    samples = np.asarray(samples, float)
    m = len(samples) // n_blocks
    if m < 1:
        raise ValueError(f"need >= {n_blocks} samples for block averaging, got {len(samples)}")
    means = samples[: m * n_blocks].reshape(n_blocks, m).mean(axis=1)
    return float(means.std(ddof=1) / np.sqrt(n_blocks))


def lj_virial(positions: np.ndarray, box: float, cutoff: float) -> tuple[float, float]:
    """Pair energy and virial sum_{i<j} r_ij . F_ij of a LJ system inside ``cutoff``.

    Independent of OpenMM (scipy KD-tree with periodic box), used for the pressure
    and to cross-check OpenMM's energy.
    """
    pos = np.mod(positions, box)
    tree = cKDTree(pos, boxsize=box)
    pairs = tree.query_pairs(cutoff, output_type="ndarray")
    d = pos[pairs[:, 0]] - pos[pairs[:, 1]]
    d -= box * np.round(d / box)
    r2 = np.einsum("ij,ij->i", d, d)
    inv6 = r2**-3
    energy = float(np.sum(4 * (inv6 * inv6 - inv6)))
    virial = float(np.sum(24 * (2 * inv6 * inv6 - inv6)))
    return energy, virial


@dataclass(frozen=True)
class LJFluidResult:
    """Averages of a LJ run in reduced units, with block-averaged standard errors."""

    density: float
    temperature: float
    energy_per_particle: float
    energy_error: float
    pressure: float
    pressure_error: float
    samples: int


class LJFluid:
    """A single-type LJ fluid in a cubic periodic box, thermostatted by Langevin dynamics.

    Parameters
    ----------
    n_side : int
        Particles start on a simple-cubic lattice of ``n_side**3`` sites.
    density, temperature : float
        Reduced number density rho* and temperature T*.
    cutoff : float
        Truncation radius in sigma (long-range correction on).
    seed : int
        Seed of the Langevin noise and initial velocities.
    platform, threads : optional
        See :func:`mesolith.md.platform.select_platform`.

    Examples
    --------
    >>> fluid = LJFluid(6, density=0.7, temperature=2.0)  # doctest: +SKIP
    >>> res = fluid.run(equilibration=1000, production=5000)  # doctest: +SKIP
    """

    def __init__(self, n_side: int = 8, density: float = 0.7, temperature: float = 2.0,
                 cutoff: float = 3.0, seed: int = 1, timestep: float = 0.004,
                 friction: float = 1.0, platform: str | None = None, threads: int | None = None):
        import openmm as mm

        self.n = int(n_side) ** 3
        self.density = float(density)
        self.temperature = float(temperature)
        self.cutoff = float(cutoff)
        self.box = (self.n / self.density) ** (1.0 / 3.0)
        if self.cutoff > self.box / 2:
            raise ValueError(f"cutoff = {cutoff}: must be <= half the box ({self.box / 2:.3f})")
        grid = (np.arange(n_side) + 0.5) * self.box / n_side
        self.initial_positions = np.stack(np.meshgrid(grid, grid, grid, indexing="ij"),
                                          axis=-1).reshape(-1, 3)
        system = mm.System()
        system.setDefaultPeriodicBoxVectors(
            mm.Vec3(self.box, 0, 0), mm.Vec3(0, self.box, 0), mm.Vec3(0, 0, self.box))
        for _ in range(self.n):
            system.addParticle(1.0)
        force = type_pair_force(LJ_EXPRESSION, np.zeros(self.n, int),
                                {"eps": np.ones((1, 1)), "sig": np.ones((1, 1))},
                                cutoff=self.cutoff, long_range_correction=True)
        system.addForce(force)
        integrator = mm.LangevinMiddleIntegrator(
            openmm_temperature(self.temperature), float(friction), float(timestep))
        integrator.setRandomNumberSeed(int(seed) % 2**31 or 1)
        plat, props = select_platform(platform, threads)
        self.context = mm.Context(system, integrator, plat, props)
        self.integrator = integrator
        self.context.setPositions(self.initial_positions)
        self.context.setVelocitiesToTemperature(openmm_temperature(self.temperature),
                                                int(seed) % 2**31 or 1)

    def sample(self) -> tuple[float, np.ndarray]:
        """Current OpenMM potential energy (with tail) and positions."""
        state = self.context.getState(getEnergy=True, getPositions=True)
        energy = state.getPotentialEnergy().value_in_unit_system(_md_unit_system())
        return float(energy), state.getPositions(asNumpy=True)._value

    def instantaneous_pressure(self, positions: np.ndarray) -> float:
        """Virial pressure inside the cutoff + tail, with the thermostat's kinetic part rho T."""
        _, virial = lj_virial(positions, self.box, self.cutoff)
        volume = self.box**3
        return (self.density * self.temperature + virial / (3 * volume)
                + lj_tail_pressure(self.density, self.cutoff))

    def run(self, equilibration: int = 2000, production: int = 10000,
            sample_every: int = 20) -> LJFluidResult:
        """Equilibrate, then sample energy and pressure every ``sample_every`` steps."""
        self.integrator.step(int(equilibration))
        energies, pressures = [], []
        for _ in range(int(production) // int(sample_every)):
            self.integrator.step(int(sample_every))
            energy, pos = self.sample()
            energies.append(energy / self.n)
            pressures.append(self.instantaneous_pressure(pos))
        energies, pressures = np.array(energies), np.array(pressures)
        return LJFluidResult(self.density, self.temperature,
                             float(energies.mean()), block_error(energies),
                             float(pressures.mean()), block_error(pressures), len(energies))


def _md_unit_system():
    from openmm import unit

    return unit.md_unit_system
