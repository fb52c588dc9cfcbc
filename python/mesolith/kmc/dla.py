"""Diffusion-limited aggregation: the fractal limit of Li deposition by diffusing ions."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np

from mesolith import _core

__all__ = ["FractalDimension", "dla_cluster", "dla_fractal_dimension"]


@dataclass(frozen=True)
class FractalDimension:
    mean: float
    standard_error: float
    per_cluster: np.ndarray


def dla_cluster(dimension: int, particles: int, sticking: float = 1.0, seed: int = 0):
    """Lattice coordinates (particles, dimension) of one DLA cluster grown from the origin."""
    _check(dimension, particles, sticking)
    _check_lattice_memory(dimension, particles, copies=1)
    return _core.kmc.dla_cluster(int(dimension), int(particles), float(sticking), int(seed))


def dla_fractal_dimension(dimension: int = 2, particles: int = 5000, sticking: float = 1.0,
                          clusters: int = 8, seed: int = 0) -> FractalDimension:
    """Mass-radius fractal dimension of DLA clusters: N ~ R_g^D fitted over the last decade
    of growth (N from particles/10 to particles), for independent clusters grown in parallel.

    Examples
    --------
    >>> dla_fractal_dimension(2, 3000, clusters=4).mean  # doctest: +SKIP
    1.7...
    """
    _check(dimension, particles, sticking)
    if clusters < 2:
        raise ValueError(f"clusters = {clusters}: must be >= 2 (for a standard error)")
    _check_lattice_memory(dimension, particles, copies=min(clusters, os.cpu_count() or 1))
    rg = _core.kmc.dla_gyration_replicas(int(dimension), int(particles), float(sticking),
                                         int(seed), 0, int(clusters))
    n = np.arange(1, particles + 1)
    keep = n >= particles // 10
    dims = np.array([1.0 / np.polyfit(np.log(n[keep]), np.log(r[keep]), 1)[0] for r in rg])
    return FractalDimension(float(dims.mean()), float(dims.std(ddof=1) / math.sqrt(clusters)),
                            dims)


def _check(dimension, particles, sticking):
    if dimension not in (2, 3):
        raise ValueError(f"dimension = {dimension!r}: must be 2 or 3")
    if particles < 20:
        raise ValueError(f"particles = {particles!r}: must be >= 20")
    if not 0 < sticking <= 1:
        raise ValueError(f"sticking = {sticking!r}: must be in (0, 1]")


def lattice_bytes(dimension: int, particles: int) -> int:
    """Bytes of the growth lattice of one cluster (one byte per site; the C++ kernel sizes
    it for the kill sphere of a cluster of ``particles`` with D >= dimension - 0.5)."""
    r_est = 4.0 * particles ** (1.0 / (dimension - 0.5)) + 20.0
    half = int(2.0 * (r_est + 5.0)) + 4
    return (2 * half + 1) ** dimension


def _check_lattice_memory(dimension, particles, copies: int) -> None:
    from mesolith.memory import check_memory

    check_memory(copies * lattice_bytes(dimension, particles),
                 f"DLA growth lattice for {particles} particles in {dimension}D"
                 + (f" ({copies} clusters at once)" if copies > 1 else ""))
