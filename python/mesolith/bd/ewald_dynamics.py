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

import math

import numpy as np

from mesolith import _core

__all__ = ["EWALD_MAX_PARTICLES", "EwaldIntegrator", "ewald_memory_bytes"]

#: Largest particle count for ``hydrodynamics = "ewald"``: 3000 x 3000 matrices, about
#: 0.14 GB for the matrix and its factor, and seconds per step on a few cores.
EWALD_MAX_PARTICLES = 1000


def ewald_memory_bytes(n: int) -> float:
    """Bytes the dense periodic dynamics hold at once: the matrix, its Cholesky factor and
    the table of wave phases (about 2 x 150 waves per particle at the default accuracy)."""
    return 2 * (3.0 * n) ** 2 * 8 + 2 * 150 * 8 * n


class EwaldIntegrator:
    """Brownian dynamics with dense periodic (Ewald) RPY hydrodynamics (reduced units, see
    the module docstring)."""

    def __init__(self, positions, radii, species, external, force_params, *, kT: float,
                 viscosity: float, dt: float, box: float, seed: int, first_step: int = 0,
                 max_drift: float = 0.0, tolerance: float = 1e-12):
        self._x = np.array(positions, dtype=np.float64, order="C")
        self._radii = np.ascontiguousarray(radii, dtype=np.float64)
        self._species = np.ascontiguousarray(species, dtype=np.int32)
        self._external = np.ascontiguousarray(external, dtype=np.float64)
        self._params = force_params
        self.kT, self.dt, self.box, self.seed = float(kT), float(dt), float(box), int(seed)
        self.viscosity = float(viscosity)
        self.tolerance = float(tolerance)
        self.max_drift = float(max_drift)
        self.step = int(first_step)
        self.energy = 0.0
        self.lanczos_iterations = 0
        self.drift_limited = 0

    def mobility_matrix(self, positions=None) -> np.ndarray:
        """The dense periodic mobility (3N, 3N) at ``positions`` (default: current)."""
        x = self._x if positions is None else np.ascontiguousarray(positions, np.float64)
        return _core.bd.ewald_mobility_matrix_poly(x, self._radii, self.viscosity, self.box,
                                                   0.0, self.tolerance)

    def forces(self, positions):
        """(forces (N, 3), pair energy) at ``positions``, periodic."""
        x = np.ascontiguousarray(positions, dtype=np.float64)
        return _core.bd.periodic_forces(x, self.box, self._radii, self._species,
                                        self._external, self._params)

    def run(self, steps: int) -> None:
        for _ in range(int(steps)):
            self._one_step()

    def _one_step(self) -> None:
        f, self.energy = self.forces(self._x)
        m = self.mobility_matrix()
        drift = (m @ f.ravel()).reshape(-1, 3) * self.dt
        if self.max_drift > 0:
            length = np.linalg.norm(drift, axis=1)
            long = length > self.max_drift
            if long.any():
                drift[long] *= (self.max_drift / length[long])[:, None]
                self.drift_limited += int(long.sum())
        try:
            chol = np.linalg.cholesky(m)
        except np.linalg.LinAlgError:
            raise RuntimeError(f"step {self.step}: the periodic mobility is not positive "
                               "definite (non-finite positions?)") from None
        w = _core.bd.standard_normals(self.seed, self.step, self._radii.size)
        noise = (chol @ w.ravel()).reshape(-1, 3)
        self._x += drift + math.sqrt(2.0 * self.kT * self.dt) * noise
        self.step += 1

    @property
    def positions(self) -> np.ndarray:
        return self._x.copy()

    @property
    def bonds(self) -> np.ndarray:
        return np.zeros((0, 2), dtype=np.uint32)

    def set_bonds(self, pairs) -> None:
        if len(pairs):
            raise ValueError("binder bonds are not available with hydrodynamics = 'ewald'")
