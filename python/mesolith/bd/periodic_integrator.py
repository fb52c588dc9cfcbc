"""What the periodic Python integrators (dense Ewald and PSE) share: state, periodic
forces, the capped drift, the Ermak-McCammon update and the ``_core.bd.Integrator``
interface that :class:`mesolith.bd.Simulation` drives (reduced units: length = radius,
energy = kT). Subclasses supply the drift M F dt and the Brownian noise of one step."""

from __future__ import annotations

import math

import numpy as np

from mesolith import _core

__all__ = ["PeriodicIntegrator"]


class PeriodicIntegrator:
    """Base of the periodic integrators; ``mode`` names the hydrodynamics in messages."""

    mode = "periodic"

    def __init__(self, positions, radii, species, external, force_params, *, kT: float,
                 dt: float, box: float, seed: int, first_step: int = 0,
                 max_drift: float = 0.0):
        self._x = np.array(positions, dtype=np.float64, order="C")
        self._radii = np.ascontiguousarray(radii, dtype=np.float64)
        self._species = np.ascontiguousarray(species, dtype=np.int32)
        self._external = np.ascontiguousarray(external, dtype=np.float64)
        self._params = force_params
        self.kT, self.dt, self.box, self.seed = float(kT), float(dt), float(box), int(seed)
        self.max_drift = float(max_drift)
        self.step = int(first_step)
        self.energy = 0.0
        self.lanczos_iterations = 0
        self.drift_limited = 0

    def forces(self, positions):
        """(forces (N, 3), pair energy) at ``positions``, periodic."""
        x = np.ascontiguousarray(positions, dtype=np.float64)
        return _core.bd.periodic_forces(x, self.box, self._radii, self._species,
                                        self._external, self._params)

    def run(self, steps: int) -> None:
        for _ in range(int(steps)):
            self._one_step()

    def _drift_and_noise(self, forces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(M F dt, B w with B B^T = M) of this step, both (N, 3)."""
        raise NotImplementedError

    def _one_step(self) -> None:
        f, self.energy = self.forces(self._x)
        drift, noise = self._drift_and_noise(f)
        if self.max_drift > 0:
            length = np.linalg.norm(drift, axis=1)
            long = length > self.max_drift
            if long.any():
                drift[long] *= (self.max_drift / length[long])[:, None]
                self.drift_limited += int(long.sum())
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
            raise ValueError(f"binder bonds are not available with hydrodynamics = "
                             f"'{self.mode}'")
