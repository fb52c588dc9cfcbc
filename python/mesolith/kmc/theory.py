"""Closed-form results the kMC engine is checked against (lattice units, energies in eV)."""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "coexistence_coverages",
    "coverage_from_isotherm",
    "langmuir_coverage",
    "mean_field_coexistence",
    "mean_field_isotherm",
    "onsager_critical_kt",
    "quasi_chemical_isotherm",
    "tracer_diffusion_coefficient",
]

KB_EV = 8.617333262e-5  # Boltzmann constant, eV/K


def langmuir_coverage(kc: float) -> float:
    """Langmuir coverage K c / (1 + K c), with K c = adsorption rate / desorption rate."""
    return kc / (1.0 + kc)


def tracer_diffusion_coefficient(total_hop_rate: float, dimension: int, spacing: float = 1.0):
    """Single-walker D = a^2 Gamma_total / (2 d) (Gamma_total = sum over the 2d directions)."""
    return spacing**2 * total_hop_rate / (2 * dimension)


def onsager_critical_kt(interaction: float) -> float:
    """kT_c of the square-lattice gas with NN pair energy ``interaction`` (eV):
    |eps| / (2 ln(1 + sqrt 2)) (Onsager 1944, via the lattice-gas/Ising map J = |eps|/4)."""
    return abs(interaction) / (2.0 * math.log(1.0 + math.sqrt(2.0)))


def coexistence_coverages(interaction: float, kt: float) -> tuple[float, float]:
    """Coverages of the dilute and dense phases that coexist on the square-lattice gas with
    attractive NN energy ``interaction`` (eV) below T_c, at mu = 2 eps: (1 -+ m)/2 with
    Yang's spontaneous magnetization m = [1 - sinh(2J/kT)^-4]^(1/8), J = |eps|/4 (Yang,
    Phys. Rev. 85, 808, 1952). The width m of this two-phase region is the plateau of the
    chemical potential (the potential) against composition. (0.5, 0.5) at or above T_c."""
    if interaction >= 0:
        raise ValueError(f"interaction = {interaction!r}: coexistence needs attraction (< 0 eV)")
    x = math.sinh(2.0 * abs(interaction) / 4.0 / kt) ** -4
    m = (1.0 - x) ** 0.125 if x < 1.0 else 0.0
    return 0.5 * (1.0 - m), 0.5 * (1.0 + m)


def mean_field_coexistence(interaction: float, kt: float, z: int = 4) -> tuple[float, float]:
    """The same in the Bragg-Williams (mean-field) approximation: m = tanh(z J m / kT),
    J = |eps|/4, with T_c(MF) = z |eps| / 4 (about 1.76 times Onsager's on the square
    lattice); for comparison with the exact result."""
    tc_ratio = z * abs(interaction) / 4.0 / kt
    if tc_ratio <= 1.0:
        return 0.5, 0.5
    m = 1.0
    for _ in range(500):  # fixed-point iteration converges: tanh is a contraction near m*
        m = math.tanh(tc_ratio * m)
    return 0.5 * (1.0 - m), 0.5 * (1.0 + m)


def mean_field_isotherm(theta, interaction: float, kt: float, z: int):
    """Frumkin (Bragg-Williams) isotherm: mu/kT = ln(theta/(1-theta)) + z eps theta / kT."""
    theta = np.asarray(theta, dtype=float)
    return np.log(theta / (1 - theta)) + z * interaction * theta / kt


def quasi_chemical_isotherm(theta, interaction: float, kt: float, z: int):
    """Quasi-chemical (Bethe/Fowler-Guggenheim) isotherm, mu/kT as a function of theta.

    mu/kT = ln(theta/(1-theta)) + (z/2) ln[(beta - 1 + 2 theta)(1 - theta) /
            ((beta + 1 - 2 theta) theta)] + z eps / (2 kT),
    beta = sqrt(1 - 4 theta (1 - theta) (1 - exp(-eps/kT))) (Hill, Statistical
    Thermodynamics, ch. 14; Fowler & Guggenheim 1939). Particle-hole symmetric about
    mu = z eps / 2; reduces to the Frumkin form to first order in eps/kT.
    """
    theta = np.asarray(theta, dtype=float)
    x = interaction / kt
    beta = np.sqrt(1 - 4 * theta * (1 - theta) * (1 - np.exp(-x)))
    ratio = (beta - 1 + 2 * theta) * (1 - theta) / ((beta + 1 - 2 * theta) * theta)
    return np.log(theta / (1 - theta)) + 0.5 * z * np.log(ratio) + 0.5 * z * x


def coverage_from_isotherm(mu_over_kt: float, isotherm, **kwargs) -> float:
    """Invert a monotonic isotherm mu/kT(theta) for theta by bisection."""
    lo, hi = 1e-12, 1 - 1e-12
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if isotherm(mid, **kwargs) < mu_over_kt:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)
