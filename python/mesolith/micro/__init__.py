"""Stochastic 3D electrode microstructures and their effective transport properties."""

from mesolith.micro.structure import PHASES, Microstructure

__all__ = ["PHASES", "Microstructure"]
