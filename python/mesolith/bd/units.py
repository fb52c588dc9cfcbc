"""Reduced units used inside the compiled engine, and the conversions at its edge.

length   L   = the smallest particle radius            [m]
energy   kT  = k_B T                                    [J]
time     tau = 6 pi eta L^3 / kT                        [s]
force    kT / L                                         [N]

In these units the viscosity is 1 / (6 pi), so a sphere of radius a (in L) has
the Stokes-Einstein diffusion coefficient D0 = 1 / a.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["BOLTZMANN", "ELEMENTARY_CHARGE", "VACUUM_PERMITTIVITY", "AVOGADRO", "ReducedUnits"]

BOLTZMANN = 1.380649e-23  # J/K (SI 2019, exact)
ELEMENTARY_CHARGE = 1.602176634e-19  # C (exact)
VACUUM_PERMITTIVITY = 8.8541878128e-12  # F/m (CODATA 2018)
AVOGADRO = 6.02214076e23  # 1/mol (exact)


@dataclass(frozen=True)
class ReducedUnits:
    """Length, energy and time units of a run (all SI)."""

    length: float
    temperature: float
    viscosity: float

    @property
    def energy(self) -> float:
        return BOLTZMANN * self.temperature

    @property
    def time(self) -> float:
        return 6.0 * math.pi * self.viscosity * self.length**3 / self.energy

    @property
    def force(self) -> float:
        return self.energy / self.length

    @property
    def reduced_viscosity(self) -> float:
        return 1.0 / (6.0 * math.pi)
