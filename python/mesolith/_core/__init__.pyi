"""
mesolith compiled core (C++17/OpenMP); use the mesolith Python package instead.
"""

from __future__ import annotations

import typing

from . import bd, kmc, micro, rng

__all__: list[str] = ["bd", "build_info", "kmc", "max_threads", "micro", "rng", "set_num_threads"]

def build_info() -> dict:
    """
    Version, git hash, build type, compiler and flags of this build.
    """

def max_threads() -> int:
    """
    Threads the next parallel region will use.
    """

def set_num_threads(n: typing.SupportsInt | typing.SupportsIndex) -> None:
    """
    Set the number of OpenMP threads for later calls.
    """

__version__: str = "0.1.0"
