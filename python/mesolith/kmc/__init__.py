"""Kinetic Monte Carlo: lattice gases for validation and Li insertion/plating on graphite."""

# The recipe model imports KmcConfig; loading the config package first keeps that import
# acyclic whichever of mesolith.config and mesolith.kmc is imported first.
import mesolith.config  # noqa: F401, I001

from mesolith.kmc.config import KmcConfig
from mesolith.kmc.deposit import box_counting_dimension, deposit_metrics
from mesolith.kmc.lattice_gas import LatticeGas
from mesolith.kmc.simulation import STATE_NAMES, Simulation

__all__ = [
    "STATE_NAMES",
    "KmcConfig",
    "LatticeGas",
    "Simulation",
    "box_counting_dimension",
    "deposit_metrics",
]
