"""Diffusion-limited aggregation: fractal dimension and the effect of the sticking probability."""

import math

import numpy as np
import pytest

from mesolith import _core
from mesolith.kmc.dla import dla_cluster, dla_fractal_dimension


def test_dla_2d_dimension_and_compact_deposits():
    sticky = dla_fractal_dimension(2, 4000, 1.0, clusters=12, seed=3)
    # Meakin (1983): D = 1.71; 4 standard errors of the spread of 12 clusters.
    assert abs(sticky.mean - 1.71) < 4 * sticky.standard_error
    slippery = dla_fractal_dimension(2, 4000, 0.02, clusters=12, seed=3)
    se = math.hypot(sticky.standard_error, slippery.standard_error)
    # Low sticking probability: more compact. One-sided 3 standard errors (chance ~1e-3).
    assert slippery.mean - sticky.mean > 3 * se


def test_dla_cluster_is_connected_and_thread_independent():
    coords = dla_cluster(2, 500, seed=1)
    occupied = {tuple(c) for c in coords}
    assert len(occupied) == 500
    for x, y in coords[1:]:
        assert any((x + dx, y + dy) in occupied for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)))
    before = _core.max_threads()
    try:
        _core.set_num_threads(1)
        one = _core.kmc.dla_gyration_replicas(2, 300, 1.0, 5, 0, 4)
        _core.set_num_threads(2)
        two = _core.kmc.dla_gyration_replicas(2, 300, 1.0, 5, 0, 4)
    finally:
        _core.set_num_threads(before)
    assert np.array_equal(one, two)


def test_dla_rejects_bad_input():
    with pytest.raises(ValueError, match="sticking = 0"):
        dla_fractal_dimension(2, 100, 0.0)
    with pytest.raises(ValueError, match="dimension = 4"):
        dla_cluster(4, 100)
