"""Validation of the Brownian dynamics engine against analytical results.

- two spheres: the mobility matrix vs the formulas of Zuk, Wajnryb, Mizerski,
  Szymczak (J. Fluid Mech. 741, R5, 2014), overlapping to far apart, equal and
  unequal radii, and the contact values 0.625 / 0.4375;
- one sphere: MSD gives the Stokes-Einstein D0 = kT / (6 pi eta a);
- fluctuation-dissipation: displacement covariance = 2 kT M dt (Cholesky, Lanczos);
- Lanczos M^(1/2) w vs the exact matrix square root at its tolerance;
- non-interacting spheres under gravity above a wall: barometric profile.
"""

from __future__ import annotations

import numpy as np

__all__ = ["zuk_pair_block"]

ZUK = "Zuk et al., J. Fluid Mech. 741, R5 (2014)"


def zuk_pair_block(r_vec, ai: float, aj: float, eta: float) -> np.ndarray:
    """3x3 mobility block of two spheres, written directly from Zuk et al. (2014).

    An independent NumPy transcription of the three branches, used to check the
    compiled kernel.
    """
    r = float(np.linalg.norm(r_vec))
    eye = np.eye(3)
    if r <= abs(ai - aj):
        return eye / (6 * np.pi * eta * max(ai, aj))
    rr = np.outer(r_vec, r_vec) / r**2
    if r > ai + aj:
        s = (ai**2 + aj**2) / r**2
        return ((1 + s / 3) * eye + (1 - s) * rr) / (8 * np.pi * eta * r)
    d2 = (ai - aj) ** 2
    iso = 16 * r**3 * (ai + aj) - (d2 + 3 * r**2) ** 2
    aniso = 3 * (d2 - r**2) ** 2
    return (iso * eye + aniso * rr) / (6 * np.pi * eta * ai * aj * 32 * r**3)
