"""The hydrodynamic mobility on its own: dense matrix, matrix-free product, noise.

``mobility(positions, radii, viscosity)`` gives an object with ``.matrix()``
(dense 3N x 3N) and ``.apply(forces)`` (matrix-free), in SI units, so the
polydisperse RPY tensor can be used outside a simulation.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from mesolith import _core
from mesolith._arrays import as_array

__all__ = ["Mobility", "mobility"]


class Mobility:
    """Translational mobility of N spheres in free space (Zuk et al. 2014 RPY).

    Parameters
    ----------
    positions : (N, 3) array [m]
    radii : (N,) array [m]
    viscosity : float [Pa s]
    hydrodynamics : {"rpy", "none"}
        ``"none"`` is the free-draining (diagonal) mobility.

    Examples
    --------
    >>> m = mobility([[0, 0, 0], [3e-6, 0, 0]], [1e-6, 1e-6], 1e-3)
    >>> m.matrix().shape
    (6, 6)
    """

    def __init__(self, positions, radii, viscosity: float,
                 hydrodynamics: Literal["rpy", "none"] = "rpy"):
        self.radii = as_array(radii, "radii", np.float64, ndim=1)
        n = self.radii.size
        self.positions = as_array(positions, "positions", np.float64, shape=(n, 3))
        if not (self.radii > 0).all():
            raise ValueError("radii: must be > 0 m")
        if not viscosity > 0:
            raise ValueError(f"viscosity = {viscosity}: must be > 0 Pa s")
        if hydrodynamics not in ("rpy", "none"):
            raise ValueError(f"hydrodynamics = {hydrodynamics!r}: must be 'rpy' or 'none'")
        self.viscosity = float(viscosity)
        self.hydrodynamics = hydrodynamics

    @property
    def size(self) -> int:
        return self.radii.size

    def matrix(self) -> np.ndarray:
        """Dense (3N, 3N) mobility [m/(N s)], particle-major (x0, y0, z0, x1, ...)."""
        return _core.bd.mobility_matrix(self.positions, self.radii, self.viscosity,
                                        self.hydrodynamics)

    def apply(self, forces) -> np.ndarray:
        """Velocities (N, 3) [m/s] from forces (N, 3) [N], without forming the matrix."""
        f = as_array(forces, "forces", np.float64, shape=(self.size, 3))
        return _core.bd.mobility_apply(self.positions, self.radii, self.viscosity, f,
                                       self.hydrodynamics)

    def sqrt_apply(self, w, method: Literal["cholesky", "lanczos"] = "lanczos",
                   tolerance: float = 1e-4, max_iterations: int = 200):
        """B w with B B^T = M [sqrt(m/(N s))], and a dict with the Lanczos iterations.

        ``cholesky``: B = L, the lower Cholesky factor (dense, O(N^3)).
        ``lanczos``: B = M^(1/2) by the Krylov method of Ando et al. (2012).
        """
        w = as_array(w, "w", np.float64, shape=(self.size, 3))
        return _core.bd.sqrt_apply(self.positions, self.radii, self.viscosity, w, method,
                                   tolerance, max_iterations, self.hydrodynamics)


def mobility(positions, radii, viscosity: float, box=None,
             hydrodynamics: Literal["rpy", "none"] = "rpy") -> Mobility:
    """The mobility of spheres at ``positions`` [m] with ``radii`` [m] in a fluid of
    ``viscosity`` [Pa s]. Only free space (``box=None``) is implemented."""
    if box is not None:
        raise NotImplementedError("periodic (Ewald) mobility is not implemented yet; use box=None")
    return Mobility(positions, radii, viscosity, hydrodynamics)
