"""The Langevin integrator of the drying runs, as an OpenMM ``CustomIntegrator``.

It is the "middle" Langevin scheme (velocity kick, half drift, Ornstein-Uhlenbeck
friction + noise, half drift; Zhang, Liu, Tuckerman et al., J. Phys. Chem. B 123, 6056,
2019) that OpenMM's ``LangevinMiddleIntegrator`` implements. Written as a
``CustomIntegrator`` its Gaussian numbers come from one generator instead of one per CPU
thread, so that 1 and 2 CPU threads give the same trajectory up to the rounding of
OpenMM's per-thread force sums (used with ``thread_independent_noise = true``; OpenMM's
native integrator is faster).
"""

from __future__ import annotations

import math

__all__ = ["langevin_middle"]


def langevin_middle(kt: float, friction: float, dt: float, seed: int):
    """A LangevinMiddle ``CustomIntegrator``.

    Parameters
    ----------
    kt : float
        Thermal energy in OpenMM energy units (our reduced energy).
    friction : float
        Friction rate gamma in 1/(OpenMM time unit).
    dt : float
        Time step in OpenMM time units.
    seed : int
        Seed of the Gaussian noise (1 .. 2^31 - 1).
    """
    import openmm as mm

    integ = mm.CustomIntegrator(dt)
    integ.addGlobalVariable("a", math.exp(-friction * dt))
    integ.addGlobalVariable("b", math.sqrt(1.0 - math.exp(-2.0 * friction * dt)))
    integ.addGlobalVariable("kT", kt)
    integ.addPerDofVariable("x1", 0.0)
    integ.addUpdateContextState()
    integ.addComputePerDof("v", "v + dt*f/m")
    integ.addComputePerDof("x", "x + 0.5*dt*v")
    integ.addComputePerDof("v", "a*v + b*sqrt(kT/m)*gaussian")
    integ.addComputePerDof("x", "x + 0.5*dt*v")
    integ.setRandomNumberSeed(int(seed))
    return integ
