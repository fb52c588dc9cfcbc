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

from mesolith.bd.periodic_integrator import PeriodicIntegrator
from mesolith.bd.pse import PseMobility

__all__ = ["PseIntegrator"]


class PseIntegrator(PeriodicIntegrator):
    """Brownian dynamics with PSE hydrodynamics (reduced units, see module docstring)."""

    mode = "pse"

    def __init__(self, positions, radii, species, external, force_params, *, kT: float,
                 viscosity: float, dt: float, box: float, seed: int, tolerance: float = 1e-4,
                 lanczos_tolerance: float | None = None, first_step: int = 0,
                 max_drift: float = 0.0):
        super().__init__(positions, radii, species, external, force_params, kT=kT, dt=dt,
                         box=box, seed=seed, first_step=first_step, max_drift=max_drift)
        self._mobility = PseMobility(self._x, self._radii, viscosity, self.box,
                                     tolerance=tolerance, lanczos_tolerance=lanczos_tolerance)

    @property
    def mobility(self) -> PseMobility:
        """The PSE operator at the current positions."""
        return self._mobility

    def _drift_and_noise(self, forces):
        mob = self._mobility = self._mobility.moved(self._x)
        drift = mob.apply(forces) * self.dt
        noise = mob.brownian(self.seed, self.step)
        self.lanczos_iterations = int(mob.last_lanczos.get("iterations", 0))
        return drift, noise
