"""Ermak-McCammon steps with the dense Ewald-summed RPY mobility in a cubic periodic box.

    r(t + dt) = r + M F dt + sqrt(2 kT dt) L w,    L L^T = M,  w ~ N(0, I),

with M the periodic RPY mobility of spheres of equal or unequal radii (Beenakker's Ewald
sum generalised to polydisperse suspensions, Zuk et al. overlap correction;
:class:`mesolith.bd.PeriodicMobility`) and L its lower Cholesky factor. The periodic RPY
tensor is divergence-free (it is transverse in Fourier space, overlaps included), so
there is no kT div M term.

Every step forms the 3N x 3N matrix (O(N^2) pair sums) and factors it (O(N^3) work,
2 x (3N)^2 doubles of memory): this is for moderate N, at most
:data:`EWALD_MAX_PARTICLES`; large systems use PSE
(``hydrodynamics = "pse"``).

:class:`EwaldIntegrator` has the interface of the C++ ``_core.bd.Integrator`` that
:class:`mesolith.bd.Simulation` uses, in the same reduced units (length = smallest
radius, energy = kT). Positions are kept unwrapped (the kernels take minimum images),
so displacements and MSD read directly. The noise of step n is keyed by (seed,
particle, n) and the matrix does not depend on the thread count, so a run is the same
for 1 and 2 threads and continues bit for bit after a restart.
"""

from __future__ import annotations

import numpy as np

from mesolith import _core
from mesolith.bd.periodic_integrator import PeriodicIntegrator

__all__ = ["EWALD_MAX_PARTICLES", "EwaldIntegrator", "ewald_memory_bytes"]

#: Largest particle count for ``hydrodynamics = "ewald"``: 3000 x 3000 matrices, about
#: 0.14 GB for the matrix and its factor, and seconds per step on a few cores.
EWALD_MAX_PARTICLES = 1000


def ewald_memory_bytes(n: int) -> float:
    """Bytes the dense periodic dynamics hold at once: the matrix, its Cholesky factor and
    the table of wave phases (about 2 x 150 waves per particle at the default accuracy)."""
    return 2 * (3.0 * n) ** 2 * 8 + 2 * 150 * 8 * n


class EwaldIntegrator(PeriodicIntegrator):
    """Brownian dynamics with dense periodic (Ewald) RPY hydrodynamics (reduced units, see
    the module docstring)."""

    mode = "ewald"

    def __init__(self, positions, radii, species, external, force_params, *, kT: float,
                 viscosity: float, dt: float, box: float, seed: int, first_step: int = 0,
                 max_drift: float = 0.0, tolerance: float = 1e-12):
        super().__init__(positions, radii, species, external, force_params, kT=kT, dt=dt,
                         box=box, seed=seed, first_step=first_step, max_drift=max_drift)
        self.viscosity = float(viscosity)
        self.tolerance = float(tolerance)

    def mobility_matrix(self, positions=None) -> np.ndarray:
        """The dense periodic mobility (3N, 3N) at ``positions`` (default: current)."""
        x = self._x if positions is None else np.ascontiguousarray(positions, np.float64)
        return _core.bd.ewald_mobility_matrix_poly(x, self._radii, self.viscosity, self.box,
                                                   0.0, self.tolerance)

    def _drift_and_noise(self, forces):
        m = self.mobility_matrix()
        drift = (m @ forces.ravel()).reshape(-1, 3) * self.dt
        try:
            chol = np.linalg.cholesky(m)
        except np.linalg.LinAlgError:
            raise RuntimeError(f"step {self.step}: the periodic mobility is not positive "
                               "definite (non-finite positions?)") from None
        w = _core.bd.standard_normals(self.seed, self.step, self._radii.size)
        return drift, (chol @ w.ravel()).reshape(-1, 3)
