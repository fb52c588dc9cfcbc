"""Johnson-Zollweg-Gubbins equation of state of the full Lennard-Jones fluid.

J. K. Johnson, J. A. Zollweg, K. E. Gubbins, "The Lennard-Jones equation of state
revisited", Mol. Phys. 78, 591-618 (1993): a 33-parameter modified Benedict-Webb-Rubin
fit (Table 10, gamma = 3) to simulations of the untruncated potential, in reduced
units (sigma = epsilon = kB = 1). Valid for 0.7 <= T* <= 6 over the fluid range.
"""

from __future__ import annotations

import math

__all__ = ["jzg_energy", "jzg_pressure", "lj_tail_energy", "lj_tail_pressure"]

_X = (
    0.8623085097507421, 2.976218765822098, -8.402230115796038, 0.1054136629203555,
    -0.8564583828174598, 1.582759470107601, 0.7639421948305453, 1.753173414312048,
    2.798291772190376e3, -4.8394220260857657e-2, 0.9963265197721935, -3.698000291272493e1,
    2.084012299434647e1, 8.305402124717285e1, -9.574799715203068e2, -1.477746229234994e2,
    6.398607852471505e1, 1.603993673294834e1, 6.805916615864377e1, -2.791293578795945e3,
    -6.245128304568454, -8.116836104958410e3, 1.488735559561229e1, -1.059346754655084e4,
    -1.131607632802822e2, -8.867771540418822e3, -3.986982844450543e1, -4.689270299917261e3,
    2.593535277438717e2, -2.694523589434903e3, -7.218487631550215e2, 1.721802063863269e2,
)
_GAMMA = 3.0


def _x(i: int) -> float:
    return _X[i - 1]


def _a(t: float) -> list[float]:
    x = _x
    return [
        x(1) * t + x(2) * math.sqrt(t) + x(3) + x(4) / t + x(5) / t**2,
        x(6) * t + x(7) + x(8) / t + x(9) / t**2,
        x(10) * t + x(11) + x(12) / t,
        x(13),
        x(14) / t + x(15) / t**2,
        x(16) / t,
        x(17) / t + x(18) / t**2,
        x(19) / t**2,
    ]


def _b(t: float) -> list[float]:
    x = _x
    return [
        x(20) / t**2 + x(21) / t**3,
        x(22) / t**2 + x(23) / t**4,
        x(24) / t**2 + x(25) / t**3,
        x(26) / t**2 + x(27) / t**4,
        x(28) / t**2 + x(29) / t**3,
        x(30) / t**2 + x(31) / t**3 + x(32) / t**4,
    ]


def _c(t: float) -> list[float]:  # -T^2 d(a_i/T)/dT: the energy coefficients
    x = _x
    return [
        x(2) * math.sqrt(t) / 2 + x(3) + 2 * x(4) / t + 3 * x(5) / t**2,
        x(7) + 2 * x(8) / t + 3 * x(9) / t**2,
        x(11) + 2 * x(12) / t,
        x(13),
        2 * x(14) / t + 3 * x(15) / t**2,
        2 * x(16) / t,
        2 * x(17) / t + 3 * x(18) / t**2,
        3 * x(19) / t**2,
    ]


def _d(t: float) -> list[float]:
    x = _x
    return [
        3 * x(20) / t**2 + 4 * x(21) / t**3,
        3 * x(22) / t**2 + 5 * x(23) / t**4,
        3 * x(24) / t**2 + 4 * x(25) / t**3,
        3 * x(26) / t**2 + 5 * x(27) / t**4,
        3 * x(28) / t**2 + 4 * x(29) / t**3,
        3 * x(30) / t**2 + 4 * x(31) / t**3 + 5 * x(32) / t**4,
    ]


def _g(rho: float) -> list[float]:
    f = math.exp(-_GAMMA * rho**2)
    g = [(1 - f) / (2 * _GAMMA)]
    for i in range(2, 7):
        g.append(-(f * rho ** (2 * (i - 1)) - 2 * (i - 1) * g[-1]) / (2 * _GAMMA))
    return g


def jzg_pressure(density: float, temperature: float) -> float:
    """Pressure P* = P sigma^3/epsilon of the full LJ fluid at reduced ``density``, ``temperature``.

    Examples
    --------
    >>> round(jzg_pressure(1e-6, 2.0) / 2e-6, 4)  # ideal-gas limit
    1.0
    """
    rho, t = density, temperature
    f = math.exp(-_GAMMA * rho**2)
    p = rho * t
    p += sum(a * rho ** (i + 2) for i, a in enumerate(_a(t)))
    p += f * sum(b * rho ** (2 * i + 3) for i, b in enumerate(_b(t)))
    return p


def jzg_energy(density: float, temperature: float) -> float:
    """Configurational (excess) internal energy per particle U*/N of the full LJ fluid."""
    rho, t = density, temperature
    u = sum(c * rho ** (i + 1) / (i + 1) for i, c in enumerate(_c(t)))
    u += sum(d * g for d, g in zip(_d(t), _g(rho), strict=True))
    return u


def lj_tail_energy(density: float, cutoff: float) -> float:
    """Energy per particle beyond ``cutoff`` for g(r) = 1 (Allen & Tildesley, eq. 2.144)."""
    rc = cutoff
    return 8 * math.pi * density / 3 * (rc**-9 / 3 - rc**-3)


def lj_tail_pressure(density: float, cutoff: float) -> float:
    """Pressure beyond ``cutoff`` for g(r) = 1 (Allen & Tildesley, eq. 2.145)."""
    rc = cutoff
    return 16 * math.pi * density**2 / 3 * (2 * rc**-9 / 3 - rc**-3)
