"""Coarse-grained MD of electrode-slurry drying on OpenMM.

``DryingSimulation(config).run()`` dries a film of active-material (AM) and
carbon-binder (CBD) beads on a current collector under a descending free surface;
``LJFluid`` is the Lennard-Jones validation system. OpenMM (and MDAnalysis for
trajectories) are imported lazily, so ``import mesolith.md`` works without them.
"""

from __future__ import annotations

# The recipe model imports our config; importing the config package first keeps
# ``import mesolith.md.config`` from entering that cycle half-way.
import mesolith.config  # noqa: F401

__all__ = ["DryingConfig", "DryingInterrupted", "DryingSimulation", "LJFluid", "preset"]


def __getattr__(name):
    if name == "LJFluid":
        from mesolith.md.ljfluid import LJFluid

        return LJFluid
    if name in ("DryingConfig", "preset"):
        from mesolith.md import config

        return getattr(config, name)
    if name in ("DryingSimulation", "DryingInterrupted"):
        from mesolith.md import drying

        return getattr(drying, name)
    raise AttributeError(f"module 'mesolith.md' has no attribute {name!r}")
