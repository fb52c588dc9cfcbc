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

__all__ = ["Mobility", "PeriodicMobility", "mobility"]


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
        with np.errstate(over="ignore", divide="ignore"):
            stokes = 1.0 / (6.0 * np.pi * float(viscosity) * self.radii)
        if not (np.isfinite(stokes) & (stokes > 0)).all():  # found by fuzzing: 5e-324 radii
            raise ValueError(f"viscosity = {viscosity} Pa s with radii down to "
                             f"{self.radii.min():.3g} m: the Stokes mobility 1/(6 pi eta a) "
                             "overflows or underflows")
        self.viscosity = float(viscosity)
        self.hydrodynamics = hydrodynamics

    @property
    def size(self) -> int:
        return self.radii.size

    def _check_dense_memory(self, copies: int, what: str) -> None:
        """Refuse a dense 3N x 3N matrix (``copies`` of them) that cannot fit in free memory."""
        from mesolith.memory import check_memory

        check_memory(copies * (3.0 * self.size) ** 2 * 8,
                     f"{what} of {self.size} particles (dense 3N x 3N)")

    def matrix(self) -> np.ndarray:
        """Dense (3N, 3N) mobility [m/(N s)], particle-major (x0, y0, z0, x1, ...)."""
        self._check_dense_memory(1, "mobility matrix")
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
        if method == "cholesky":
            self._check_dense_memory(2, "Cholesky factor of the mobility")
        return _core.bd.sqrt_apply(self.positions, self.radii, self.viscosity, w, method,
                                   tolerance, max_iterations, self.hydrodynamics)


class PeriodicMobility(Mobility):
    """RPY mobility of spheres (equal or unequal radii) in a cubic periodic box of edge
    ``box`` [m]: the Ewald sum of Beenakker (J. Chem. Phys. 85, 1581, 1986), generalised
    to unequal radii (a^2 -> (a_i^2 + a_j^2)/2 in each pair's sums, each particle's own
    radius in its self term), with the Zuk et al. (2014) overlap correction for every
    image closer than a_i + a_j. Dense, O(N^2) memory and O(N^2) work to build: for checks
    and systems up to about a thousand particles.

    Parameters
    ----------
    positions : (N, 3) array [m]
    radii : (N,) array [m], each < box / 2
    viscosity : float [Pa s]
    box : float [m]
        Edge of the cubic periodic box.
    xi : float [1/m], optional
        Ewald split parameter (default 3 / box); the result does not depend on it.
    tolerance : float
        Relative truncation error of the real- and wave-space sums.

    Examples
    --------
    >>> m = mobility([[0, 0, 0]], [1e-6], 1e-3, box=10e-6)
    >>> round(float(m.matrix()[0, 0] * 6 * np.pi * 1e-3 * 1e-6), 4)  # Hasimoto: 0.7205
    0.7205
    """

    def __init__(self, positions, radii, viscosity: float, box: float,
                 xi: float | None = None, tolerance: float = 1e-12):
        super().__init__(positions, radii, viscosity, "rpy")
        edges = np.atleast_1d(np.asarray(box, dtype=np.float64))
        if edges.size not in (1, 3) or np.ptp(edges) != 0:
            raise ValueError(f"box = {box}: must be one edge length (a cubic box) in m")
        self.box = float(edges[0])
        a_max = float(self.radii.max())
        if not (np.isfinite(self.box) and self.box > 2 * a_max):
            raise ValueError(f"box = {self.box}: must be > 2 x largest radius = {2 * a_max} m")
        if xi is not None and not (np.isfinite(xi) and xi > 0):
            raise ValueError(f"xi = {xi}: must be > 0 1/m (or None for 3 / box)")
        if not 0 < tolerance < 1:
            raise ValueError(f"tolerance = {tolerance}: must be in (0, 1)")
        self.xi = 0.0 if xi is None else float(xi)
        self.tolerance = float(tolerance)
        self._matrix = None

    def matrix(self) -> np.ndarray:
        """Dense (3N, 3N) periodic mobility [m/(N s)], particle-major, computed once."""
        if self._matrix is None:
            self._check_dense_memory(1, "periodic mobility matrix")
            self._matrix = _core.bd.ewald_mobility_matrix_poly(
                self.positions, self.radii, self.viscosity, self.box, self.xi,
                self.tolerance)
        return self._matrix

    def apply(self, forces) -> np.ndarray:
        f = as_array(forces, "forces", np.float64, shape=(self.size, 3))
        return (self.matrix() @ f.ravel()).reshape(-1, 3)

    def sqrt_apply(self, w, method="cholesky", tolerance: float = 1e-4,
                   max_iterations: int = 200):
        """L w with L the Cholesky factor of the periodic matrix (dense)."""
        w = as_array(w, "w", np.float64, shape=(self.size, 3))
        if method != "cholesky":
            raise NotImplementedError("periodic mobility: only the dense Cholesky sampler")
        return (np.linalg.cholesky(self.matrix()) @ w.ravel()).reshape(-1, 3), {"iterations": 0}


def mobility(positions, radii, viscosity: float, box=None,
             hydrodynamics: Literal["rpy", "none"] = "rpy",
             method: Literal["ewald", "pse"] = "ewald", tol: float = 1e-4) -> Mobility:
    """The mobility of spheres at ``positions`` [m] with ``radii`` [m] in a fluid of
    ``viscosity`` [Pa s]: free space (``box=None``, polydisperse, matrix-free) or a cubic
    periodic box of edge ``box`` [m]: ``method="ewald"`` is the dense Beenakker sum (equal
    or unequal radii, see :class:`PeriodicMobility`), ``method="pse"`` the O(N log N)
    positively split Ewald operator (equal or unequal radii) with relative accuracy ``tol`` (see
    :class:`mesolith.bd.pse.PseMobility`)."""
    if method not in ("ewald", "pse"):
        raise ValueError(f"method = {method!r}: must be 'ewald' or 'pse'")
    if box is not None:
        if hydrodynamics != "rpy":
            raise ValueError("hydrodynamics = 'none' needs no box; leave box=None")
        if method == "pse":
            from mesolith.bd.pse import PseMobility

            return PseMobility(positions, radii, viscosity, box, tolerance=tol)
        return PeriodicMobility(positions, radii, viscosity, box)
    if method == "pse":
        raise ValueError("method = 'pse' needs a periodic box: give box=")
    return Mobility(positions, radii, viscosity, hydrodynamics)
