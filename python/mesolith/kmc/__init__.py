"""Kinetic Monte Carlo: lattice gases for validation and Li insertion/plating on graphite."""

from mesolith.kmc.lattice_gas import LatticeGas

__all__ = ["LatticeGas"]
