"""Positively split Ewald (PSE): the periodic RPY mobility in O(N log N).

The mobility of spheres in a cubic periodic box is split (Fiore, Balboa
Usabiaga, Donev and Swan, J. Chem. Phys. 146, 124116, 2017) into a short-ranged
real-space part, a sparse matrix evaluated with cell lists in C++, and a smooth
wave-space part, applied by Gaussian spreading to a grid, FFT, the scaled RPY Green's
function and interpolation back (spectral Ewald). Both parts are positive
semi-definite, so a Brownian displacement with covariance M is the sum of two
independent pieces: Lanczos on the sparse real part, and random Fourier
coefficients scaled by the square root of the Green's function for the wave part.
Unequal radii use the two-field split t_i(k) t_j(k), t_i = 1 - k^2 a_i^2 / 6, with
xi a_max <= XI_A_MAX so that the real part stays positive definite (docs/theory/bd.md).

The FFTs are scipy.fft (pocketfft) with one worker per OpenMP thread; spreading,
interpolation, the Green's function and all random numbers are C++ kernels
(``mesolith._core.bd.pse_*``). Parameters (split ``xi``, grid ``M``, Gaussian support
``P``) follow from a requested relative tolerance; see docs/theory/bd.md.

Internally lengths are in radii and the viscosity is 1; the SI conversion is done
here, at the edge.
"""

from __future__ import annotations

import copy
import math
from dataclasses import asdict, dataclass

import numpy as np
import scipy.fft

from mesolith import _core
from mesolith._arrays import as_array
from mesolith.bd.mobility import PeriodicMobility

__all__ = ["PseMobility", "PseParameters", "pse_parameters"]

#: Rough relative costs (seconds) used to pick xi: one real-space pair term per product,
#: one FFT point*log2, one grid point of spreading/interpolation. Only their ratios matter;
#: the optimum is flat (N = 1e4, volume fraction 0.1, 1 thread: a whole step measured 0.17 s
#: of CPU at the chosen xi a = 0.33; per-operation timings put 0.3 < xi a < 0.5 within ~10 %).
_COST_PAIR, _COST_FFT, _COST_GRID = 4e-9, 2e-9, 1.5e-9
#: Lanczos iterations assumed for the real-space noise when choosing xi.
_LANCZOS_GUESS = 12
#: Each part is truncated at the requested tolerance divided by these factors, so that the
#: sum of the two errors over many pairs stays below the tolerance (measured: with factor 1
#: the error of M F was 1-3x the tolerance).
_REAL_SAFETY, _WAVE_SAFETY = 10.0, 4.0
#: Largest xi a_max with unequal radii. The real-space self block of a sphere of radius a
#: is (1 - (3x - 10x^3/3 + 7x^5/3) / sqrt(pi)) / (6 pi eta a), x = xi a: 0.35 of Stokes at
#: x = 0.5, negative beyond x = 0.93; dense real-space matrices of random clouds (ratios
#: 1.5-40, near contact) were positive definite up to x = 0.8 and not at 1. A larger xi
#: also makes the wave and real parts of the large spheres cancel more (radius ratio 10,
#: tol 1e-4: their velocity error 3e-5 at xi a_max = 1, 3e-4 at 2, 1e-3 at 3).
XI_A_MAX = 0.5


@dataclass(frozen=True)
class PseParameters:
    """Numerical parameters of the PSE operator (lengths in radii).

    xi : Ewald split parameter [1/radius]; m : grid points per edge; support : Gaussian
    support P (grid points per direction); eta : Gaussian width parameter;
    real_cutoff : real-space cut-off [radii] (set by the C++ kernel table).
    """

    xi: float
    m: int
    support: int
    eta: float
    tolerance: float
    box: float


def _wave_cutoff_q(tol: float, xi_a_max: float = 0.0) -> float:
    """q = k^2/(4 xi^2) where the Hasimoto factor (1 + q) exp(-q) falls to tol; with
    unequal radii times the largest per-particle factor squared, (1 + 2/3 q (xi a_max)^2)^2
    (t_i(k) = 1 - k^2 a_i^2 / 6 grows with k)."""
    c = 2.0 / 3.0 * xi_a_max**2
    q = -math.log(tol)
    for _ in range(100):  # fixed point of q = ln((1 + q) (1 + c q)^2 / tol)
        q = math.log((1.0 + q) * (1.0 + c * q) ** 2 / tol)
    return q


def _grid_for(xi: float, box: float, tol: float, a_max: float | None = None
              ) -> tuple[int, int, float]:
    """Grid points M, support P and Gaussian eta for split xi in a box of edge ``box``
    (``a_max``: largest radius when the radii differ, in the same length unit)."""
    # Gaussian support: truncation exp(-m^2/2) and aliasing exp(-pi^2 P^2/(2 m^2)) are
    # balanced by m^2 = pi P, both then exp(-pi P / 2) <= tol (Lindbo and Tornberg 2011).
    tol = tol / _WAVE_SAFETY
    if a_max is not None:
        # with unequal radii the wave part of a large sphere grows like (xi a_max)^4 while
        # its mobility does not: the grid errors are amplified by that much
        tol = tol / (1.0 + (xi * a_max) ** 2) ** 2
    support = max(3, math.ceil(2.0 * math.log(1.0 / tol) / math.pi) + 1)
    k_max = 2.0 * xi * math.sqrt(_wave_cutoff_q(tol, 0.0 if a_max is None else xi * a_max))
    # even M whose largest kept wave number (M/2 - 1) 2 pi / L reaches k_max
    m = 2 * math.ceil(k_max * box / (2.0 * math.pi) + 1.0)
    while True:
        m = scipy.fft.next_fast_len(max(m, 8, support), real=True)
        if m % 2:
            m += 1
            continue
        h = box / m
        eta = (support * h * xi) ** 2 / (math.pi * support)  # (2 w xi / m_g)^2, w = P h / 2
        if eta < 0.9:
            return m, support, eta
        m += 2


def pse_parameters(n: int, box: float, tolerance: float, xi: float | None = None,
                   a_max: float | None = None) -> PseParameters:
    """Choose xi, M, P for ``n`` spheres of radius 1 in a box of edge ``box`` (radii);
    with unequal radii the lengths are in units of the smallest radius and ``a_max`` is
    the largest.

    xi minimises a cost model (real-space pairs times the Lanczos iterations, plus FFTs
    and grid passes) over 0.05 <= xi <= 3 (unequal radii: up to XI_A_MAX / a_max); an
    explicit ``xi`` is used as given.
    """
    if not 0 < tolerance < 0.1:
        raise ValueError(f"tolerance = {tolerance}: must be in (0, 0.1)")
    if a_max is not None and xi is not None and xi * a_max > XI_A_MAX * (1 + 1e-12):
        raise ValueError(f"xi = {xi} / radius: with unequal radii xi x a_max must be <= "
                         f"{XI_A_MAX} (a_max = {a_max} smallest radii)")
    if xi is not None:
        m, p, eta = _grid_for(xi, box, tolerance, a_max)
        return PseParameters(float(xi), m, p, eta, tolerance, box)
    density = n / box**3
    best = None
    xi_top = 3.0 if a_max is None else XI_A_MAX / a_max
    for x in np.geomspace(min(0.05, xi_top / 4), xi_top, 60):
        # one cut-off for all pairs: that of the largest pair
        r_c = math.sqrt(-math.log(tolerance / _REAL_SAFETY)) / x + 2.0 * (a_max or 1.0)
        pairs = n * density * 4.0 / 3.0 * math.pi * r_c**3
        m, p, eta = _grid_for(float(x), box, tolerance, a_max)
        # unequal radii: two spread and two interpolated fields (21 FFTs a step, not 12)
        ffts, passes = (12, 3) if a_max is None else (21, 6)
        cost = (_COST_PAIR * pairs * (2 + _LANCZOS_GUESS)
                + _COST_FFT * ffts * m**3 * math.log2(m**3)
                + _COST_GRID * passes * 3 * n * p**3)
        if best is None or cost < best[0]:
            best = (cost, PseParameters(float(x), m, p, eta, tolerance, box))
    return best[1]


class PseMobility(PeriodicMobility):
    """Periodic RPY mobility of spheres by positively split Ewald, O(N log N).

    Parameters
    ----------
    positions : (N, 3) array [m]
    radii : (N,) array [m]; equal radii use the sinc^2 split, unequal radii the
        two-field split t_i(k) t_j(k) (docs/theory/bd.md)
    viscosity : float [Pa s]
    box : float
        Edge of the cubic periodic box [m].
    tolerance : float
        Relative accuracy of M F (1e-3 .. 1e-8); sets xi, the grid and the cut-off.
    xi : float, optional
        Split parameter [1/m]; chosen from a cost model when not given.
    lanczos_tolerance : float
        Stopping tolerance of the Lanczos square root of the real-space part.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(1).uniform(0, 20e-6, (50, 3))
    >>> m = PseMobility(x, np.full(50, 1e-6), 1e-3, box=20e-6, tolerance=1e-4)
    >>> m.apply(np.ones((50, 3))).shape
    (50, 3)
    """

    def __init__(self, positions, radii, viscosity: float, box: float,
                 tolerance: float = 1e-4, xi: float | None = None,
                 lanczos_tolerance: float | None = None):
        super().__init__(positions, radii, viscosity, box)
        if not 0 < tolerance < 0.1:
            raise ValueError(f"tolerance = {tolerance}: must be in (0, 0.1)")
        if xi is not None and not xi > 0:
            raise ValueError(f"xi = {xi}: must be > 0 1/m")
        if (xi is not None and np.ptp(self.radii) != 0
                and xi * self.radii.max() > XI_A_MAX * (1 + 1e-12)):
            raise ValueError(f"xi = {xi} 1/m: with unequal radii xi x a_max must be <= "
                             f"{XI_A_MAX} (a_max = {self.radii.max()} m), for a positive "
                             "definite real-space part")
        # lengths in units of the smallest radius; equal radii keep the sinc^2 split
        a = float(self.radii.min())
        self._a = a
        self._ar = np.ascontiguousarray(self.radii / a)
        self.polydisperse = bool(np.ptp(self.radii) != 0)
        a_max = float(self._ar.max())
        if not self.box > 2.0 * a_max * a:
            raise ValueError(f"box = {self.box} m: must be > 2 x the largest radius "
                             f"= {2.0 * a_max * a} m")
        self.tolerance = float(tolerance)
        self.lanczos_tolerance = float(lanczos_tolerance or tolerance)
        self._unit = 1.0 / (self.viscosity * a)  # reduced mobility -> m/(N s)
        self.parameters = pse_parameters(self.size, self.box / a, self.tolerance,
                                         None if xi is None else xi * a,
                                         a_max if self.polydisperse else None)
        p = self.parameters
        from mesolith.memory import check_memory

        # One application holds the spread grid, its half-spectrum and the back-transformed
        # field for three components (~24 + 24 + 24 B per point) plus the Green's function;
        # unequal radii spread a second field.
        per_point = 150.0 if self.polydisperse else 100.0
        check_memory(per_point * p.m**3, f"PSE wave-space grid of {p.m}^3 points "
                     f"(box = {self.box / a:.4g} radii)")
        self._grid = _core.bd.PseGrid(p.m, p.support, p.box, p.xi, p.eta)
        if self.polydisperse:
            self._kernel = _core.bd.PsePolyRealKernel(1.0, a_max, 1.0, p.xi,
                                                      self.tolerance / _REAL_SAFETY)
            self._green = _core.bd.pse_green_bare(self._grid, 1.0)
        else:
            self._kernel = _core.bd.PseRealKernel(1.0, 1.0, p.xi, self.tolerance / _REAL_SAFETY)
            self._green = _core.bd.pse_green(self._grid, 1.0, 1.0)
        self.xi = p.xi / a
        self._xr = np.ascontiguousarray(self.positions / a)
        self._real = self._real_operator(self._xr)
        self.last_lanczos = {}

    def _real_operator(self, xr: np.ndarray):
        if self.polydisperse:
            return _core.bd.PseRealOperator(self._kernel, xr, self._ar, self.parameters.box)
        return _core.bd.PseRealOperator(self._kernel, xr, self.parameters.box)

    def moved(self, positions) -> PseMobility:
        """The same operator (xi, grid, tables) at new positions [m]: only the sparse
        real-space part is rebuilt. Used once per time step by the dynamics."""
        new = copy.copy(self)
        new.positions = as_array(positions, "positions", np.float64, shape=(self.size, 3))
        new._xr = np.ascontiguousarray(new.positions / self._a)
        new._real = new._real_operator(new._xr)
        new._matrix = None
        new.last_lanczos = {}
        return new

    # ---- description -------------------------------------------------------------------
    def describe(self) -> dict:
        """Parameters in SI: xi [1/m], real cut-off [m], grid points per edge, support,
        eta, real-space pairs."""
        a = self._a
        d = asdict(self.parameters)
        d.update(xi=self.parameters.xi / a, box=self.box, real_cutoff=self._kernel.cutoff * a,
                 real_pairs=int(self._real.pairs))
        return d

    # ---- products ----------------------------------------------------------------------
    def _workers(self) -> int:
        # one FFT worker per OpenMP thread, but only for grids where threads pay off
        return max(1, int(_core.max_threads())) if self.parameters.m >= 48 else 1

    def _fft(self, grid: np.ndarray) -> np.ndarray:
        return scipy.fft.rfftn(grid, axes=(1, 2, 3), workers=self._workers())

    def _ifft_interpolate(self, fk: np.ndarray, scale: float = 1.0) -> np.ndarray:
        m = self.parameters.m
        field = scipy.fft.irfftn(fk, s=(m, m, m), axes=(1, 2, 3), workers=self._workers())
        if scale != 1.0:
            field *= scale
        return _core.bd.pse_interpolate(self._grid, self._xr, np.ascontiguousarray(field))

    def _poly_output(self, fa: np.ndarray, fb: np.ndarray, scale: float = 1.0) -> np.ndarray:
        """u_i = v(x_i) - a_i^2/6 (k^2 v)(x_i) from the two scaled transforms."""
        ua = self._ifft_interpolate(fa, scale)
        ub = self._ifft_interpolate(fb, scale)
        return ua - (self._ar**2 / 6.0)[:, None] * ub

    def _wave_apply(self, f: np.ndarray) -> np.ndarray:
        if self.polydisperse:
            fa = self._fft(_core.bd.pse_spread(self._grid, self._xr, f))
            fb = self._fft(_core.bd.pse_spread(
                self._grid, self._xr, np.ascontiguousarray(f * (self._ar**2)[:, None])))
            _core.bd.pse_scale_poly(self._grid, self._green, fa, fb, False, True)
            return self._poly_output(fa, fb)
        grid = _core.bd.pse_spread(self._grid, self._xr, f)
        fk = scipy.fft.rfftn(grid, axes=(1, 2, 3), workers=self._workers())
        _core.bd.pse_scale(self._grid, self._green, fk, False)
        field = scipy.fft.irfftn(fk, s=grid.shape[1:], axes=(1, 2, 3), workers=self._workers())
        return _core.bd.pse_interpolate(self._grid, self._xr, np.ascontiguousarray(field))

    def apply(self, forces) -> np.ndarray:
        """Velocities (N, 3) [m/s] from forces (N, 3) [N]."""
        f = as_array(forces, "forces", np.float64, shape=(self.size, 3))
        return (self._real.apply(f) + self._wave_apply(f)) * self._unit

    def matrix(self) -> np.ndarray:
        """Dense (3N, 3N) matrix of the PSE operator [m/(N s)], column by column (for
        checks at small N)."""
        if self._matrix is None:
            n = self.size
            cols = np.empty((3 * n, 3 * n))
            for c in range(3 * n):
                e = np.zeros(3 * n)
                e[c] = 1.0
                cols[:, c] = self.apply(e.reshape(n, 3)).ravel()
            self._matrix = cols
        return self._matrix

    def brownian(self, seed: int, step: int) -> np.ndarray:
        """A random velocity-like vector (N, 3) [sqrt(m/(N s))] with covariance M.

        The real-space part is M_real^(1/2) w, w from ``standard_normals(seed, step)``
        (Lanczos); the wave-space part comes from white noise on the grid keyed by
        (seed, grid row, step). The Brownian displacement of a BD step is
        sqrt(2 kT dt) times this vector.
        """
        w = _core.bd.standard_normals(int(seed), int(step), self.size)
        real, info = self._real.sqrt_apply(w, self.lanczos_tolerance, 200)
        if not info["converged"]:
            raise RuntimeError("PSE: Lanczos on the real-space part did not converge")
        self.last_lanczos = info
        z = _core.bd.pse_grid_normals(self._grid, int(seed), int(step))
        h = self.parameters.box / self.parameters.m
        if self.polydisperse:
            za = self._fft(z)
            zb = np.empty_like(za)
            _core.bd.pse_scale_poly(self._grid, self._green, za, zb, True, False)
            wave = self._poly_output(za, zb, h**-1.5)
            return (real + wave) * math.sqrt(self._unit)
        zk = scipy.fft.rfftn(z, axes=(1, 2, 3), workers=self._workers())
        _core.bd.pse_scale(self._grid, self._green, zk, True)
        field = scipy.fft.irfftn(zk, s=z.shape[1:], axes=(1, 2, 3), workers=self._workers())
        field *= h**-1.5
        wave = _core.bd.pse_interpolate(self._grid, self._xr, np.ascontiguousarray(field))
        return (real + wave) * math.sqrt(self._unit)

    def sqrt_apply(self, w, method="pse", tolerance: float = 1e-4, max_iterations: int = 200):
        raise NotImplementedError("PSE draws its own noise on the grid: use "
                                  "brownian(seed, step), not sqrt_apply(w)")
