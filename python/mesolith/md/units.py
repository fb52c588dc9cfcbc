"""Reduced units of the drying model and how they map onto OpenMM's unit system.

The drying model works in reduced units chosen so that colloid-scale numbers are of
order one, and OpenMM is fed those numbers *as if* they were its native units:

=========  =====================  =================================  ==================
quantity   reduced unit            SI value                           OpenMM unit used
=========  =====================  =================================  ==================
length     ``LENGTH``              1e-6 m (1 um)                      nm
energy     ``ENERGY``              1e-18 J                            kJ/mol
mass       ``MASS``                1e-15 kg                           amu (dalton)
time       ``TIME = L sqrt(M/E)``  3.162e-5 s                         ps
pressure   ``ENERGY / LENGTH^3``   1 Pa                               kJ/mol/nm^3
=========  =====================  =================================  ==================

Because 1 kJ/mol / 1 amu = 1 nm^2/ps^2, OpenMM's time unit is then exactly the reduced
time unit. A thermostat temperature ``T`` [K] becomes the reduced thermal energy
``kB T / ENERGY``, which OpenMM receives as the temperature ``kB T / ENERGY / R`` (R in
kJ/mol/K), so that OpenMM's ``R T_openmm`` equals the reduced thermal energy.

DCD files written by OpenMM store nm as 10 Angstrom; MDAnalysis therefore reads our
trajectories with one "Angstrom" equal to ``LENGTH / 10`` = 0.1 um (:data:`DCD_LENGTH`).
"""

from __future__ import annotations

import math

__all__ = [
    "BOLTZMANN",
    "DCD_LENGTH",
    "ENERGY",
    "LENGTH",
    "MASS",
    "MOLAR_GAS_CONSTANT_KJ",
    "TIME",
    "openmm_temperature",
    "reduced_thermal_energy",
]

LENGTH = 1e-6  # m
ENERGY = 1e-18  # J
MASS = 1e-15  # kg
TIME = LENGTH * math.sqrt(MASS / ENERGY)  # s
PRESSURE = ENERGY / LENGTH**3  # Pa
FORCE = ENERGY / LENGTH  # N
DCD_LENGTH = LENGTH / 10.0  # m per MDAnalysis "Angstrom" in our DCD files

BOLTZMANN = 1.380649e-23  # J/K (exact, SI 2019)
MOLAR_GAS_CONSTANT_KJ = 8.314462618e-3  # kJ/(mol K) (exact, SI 2019)


def reduced_thermal_energy(temperature_k: float) -> float:
    """Thermal energy ``kB T`` in reduced energy units for ``temperature_k`` [K]."""
    return BOLTZMANN * temperature_k / ENERGY


def openmm_temperature(reduced_kt: float) -> float:
    """Temperature [OpenMM kelvin] whose ``R T`` equals ``reduced_kt`` (kJ/mol as reduced)."""
    return reduced_kt / MOLAR_GAS_CONSTANT_KJ
