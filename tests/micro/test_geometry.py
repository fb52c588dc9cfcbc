"""Connectivity, percolation and surface-area estimates on volumes with known answers."""

import math

import numpy as np
import pytest

from mesolith import _core
from mesolith.micro import (
    Microstructure,
    connected_fraction,
    percolates,
    percolation,
    specific_surface_area,
)


def test_connected_porosity_excludes_isolated_pores():
    v = np.ones((10, 10, 10), np.uint8)
    v[:, :, 9] = 0  # separator-side layer
    v[4, 4, 2] = 0  # isolated pore
    v[2, 2, 5:9] = 0  # a dead-end pore attached to the separator layer
    assert connected_fraction(v) == pytest.approx((100 + 4) / 1000)
    assert connected_fraction(v, axis=2, side=0) == pytest.approx(0.0)


def test_percolation_per_axis():
    v = np.ones((8, 9, 10), np.uint8)
    v[:, 3, 4] = 0  # a pore rod along x
    assert percolates(v, 0, 0)
    assert not percolates(v, 0, 1) and not percolates(v, 0, 2)
    assert percolates(v, 1, 1) and percolates(v, 1, 2)


def _ball(n, r, centre):
    g = np.indices((n, n, n)) + 0.5
    return (sum((g[a] - centre[a]) ** 2 for a in range(3)) <= r * r).astype(np.uint8)


def test_ball_area_from_crofton_estimate_within_one_percent():
    # A digitised ball of radius 14 voxels: the 13-direction Crofton estimate is unbiased for
    # the isotropic set of normals of a sphere; what is left is digitisation noise (~0.1 % at
    # this radius, measured over offsets), so 1 % is a strict bound. Each direction samples
    # the window of its voxel pairs, (n - |dx|)(n - |dy|)(n - |dz|) voxels.
    n, r = 40, 14.0
    v = _ball(n, r, (20.2, 19.6, 20.3))
    area = 4 * math.pi * r * r
    w = {1: 2 * 0.04577789120476, 2: 2 * 0.03698062787608, 3: 2 * 0.03519563978232}
    expected = area * (3 * w[1] / ((n - 1) * n * n) + 6 * w[2] / ((n - 1) ** 2 * n)
                       + 4 * w[3] / (n - 1) ** 3)
    sv = specific_surface_area(Microstructure(v, 2e-6))["AM-pore"]
    assert sv == pytest.approx(expected / 2e-6, rel=0.01)
    # A voxel-face count would be about 1.5x too high: the estimate is not a face count.
    faces = sum(np.count_nonzero(np.diff(v.astype(int), axis=a)) for a in range(3)) / v.size
    assert faces / (sv * 2e-6) > 1.3


def test_surface_area_names_every_pair_in_m_inverse():
    v = np.zeros((12, 12, 12), np.uint8)
    v[:, :, 6:] = 1
    v[:, :6, 4:8] = 2  # touches pore below and AM above and beside
    sv = specific_surface_area(Microstructure(v, 1e-6))
    assert set(sv) == {"AM-pore", "CBD-pore", "AM-CBD"}
    assert all(value > 0 for value in sv.values())
    assert sv["AM-pore"] > 1e4  # m^-1 scale for a micrometre voxel


def test_interface_density_thread_independent():
    rng = np.random.default_rng(3)
    v = rng.integers(0, 3, (16, 18, 20)).astype(np.uint8)
    before = _core.max_threads()
    try:
        _core.set_num_threads(1)
        one = _core.micro.interface_density(v, 3)
        _core.set_num_threads(2)
        two = _core.micro.interface_density(v, 3)
    finally:
        _core.set_num_threads(before)
    assert np.array_equal(one, two)


def test_percolation_of_all_axes_agrees_with_the_flood_fill_per_axis():
    """One labelling (union-find) against two flood fills per axis, on random masks near the
    site-percolation threshold (0.31), where spanning and non-spanning cases both occur."""
    rng = np.random.default_rng(3)
    seen = set()
    for k in range(120):
        v = (rng.random((7, 9, 11)) < 0.2 + 0.005 * k).astype(np.uint8)
        got = percolation(v, 1)
        want = {a: percolates(v, 1, i) for i, a in enumerate("xyz")}
        assert got == want
        seen.update(got.values())
    assert seen == {True, False}
