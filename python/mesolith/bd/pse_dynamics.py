"""Ermak-McCammon steps with the PSE mobility in a cubic periodic box.

    r(t + dt) = r + M F dt + sqrt(2 kT dt) (M_real^(1/2) w + wave-space noise),

with M the periodic RPY mobility of spheres (equal or unequal radii) by positively
split Ewald (:mod:`mesolith.bd.pse`). The periodic RPY tensor is divergence-free, so there is no
kT div M term. Forces are the contact repulsion + DLVO pair terms and the constant
external forces, with periodic (minimum image) neighbours; walls, binder bonds and
shear need a non-periodic or sheared box and are refused by :class:`Simulation`.

:class:`PseIntegrator` has the interface of the C++ ``_core.bd.Integrator`` that the
:class:`mesolith.bd.Simulation` uses, in the same reduced units (length = radius,
energy = kT). Positions are kept unwrapped (the kernels wrap them), so displacements
and MSD read directly. Every random number is keyed by (seed, stream, step), so a
run is the same for any thread count and continues bit for bit after a restart.
"""

from __future__ import annotations

import math

import numpy as np

from mesolith import _core
from mesolith.bd.pse import PseMobility

__all__ = ["PseIntegrator"]


class PseIntegrator:
    """Brownian dynamics with PSE hydrodynamics (reduced units, see module docstring)."""

    def __init__(self, positions, radii, species, external, force_params, *, kT: float,
                 viscosity: float, dt: float, box: float, seed: int, tolerance: float = 1e-4,
                 lanczos_tolerance: float | None = None, first_step: int = 0,
                 max_drift: float = 0.0):
        self._x = np.array(positions, dtype=np.float64, order="C")
        self._radii = np.ascontiguousarray(radii, dtype=np.float64)
        self._species = np.ascontiguousarray(species, dtype=np.int32)
        self._external = np.ascontiguousarray(external, dtype=np.float64)
        self._params = force_params
        self.kT, self.dt, self.box, self.seed = float(kT), float(dt), float(box), int(seed)
        self.max_drift = float(max_drift)
        self._mobility = PseMobility(self._x, self._radii, viscosity, self.box,
                                     tolerance=tolerance, lanczos_tolerance=lanczos_tolerance)
        self.step = int(first_step)
        self.energy = 0.0
        self.lanczos_iterations = 0
        self.drift_limited = 0

    @property
    def mobility(self) -> PseMobility:
        """The PSE operator at the current positions."""
        return self._mobility

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
        mob = self._mobility = self._mobility.moved(self._x)
        drift = mob.apply(f) * self.dt
        if self.max_drift > 0:
            length = np.linalg.norm(drift, axis=1)
            long = length > self.max_drift
            if long.any():
                drift[long] *= (self.max_drift / length[long])[:, None]
                self.drift_limited += int(long.sum())
        noise = mob.brownian(self.seed, self.step)
        self.lanczos_iterations = int(mob.last_lanczos.get("iterations", 0))
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
            raise ValueError("binder bonds are not available with hydrodynamics = 'pse'")
