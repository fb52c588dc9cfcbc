"""The polydisperse RPY mobility against the analytical formulas of Zuk et al. (2014)."""

from __future__ import annotations

import numpy as np
import pytest

from mesolith import bd
from mesolith.validation.bd import zuk_pair_block as pair_block

ETA = 1.1e-3


@pytest.mark.parametrize("ai, aj", [(1e-6, 1e-6), (1e-6, 0.4e-6), (0.25e-6, 2e-6)])
def test_two_sphere_mobility_matches_zuk_formulas_from_overlap_to_far(ai, aj):
    # separations from one sphere inside the other, through contact, to far apart
    for r in np.geomspace(0.02, 20, 60) * max(ai, aj):
        direction = np.array([0.3, -0.5, 0.81])
        x = np.array([[0, 0, 0], r * direction / np.linalg.norm(direction)])
        m = bd.mobility(x, [ai, aj], ETA).matrix()
        ref = pair_block(x[1] - x[0], ai, aj, ETA)
        scale = 1 / (6 * np.pi * ETA * min(ai, aj))
        np.testing.assert_allclose(m[0:3, 3:6], ref, rtol=0, atol=1e-12 * scale)
        np.testing.assert_allclose(m[3:6, 0:3], ref, rtol=0, atol=1e-12 * scale)
        np.testing.assert_allclose(m[0:3, 0:3], np.eye(3) / (6 * np.pi * ETA * ai), rtol=1e-14)


def test_equal_spheres_at_contact():
    a = 0.7e-6
    m = bd.mobility([[0, 0, 0], [0, 0, 2 * a]], [a, a], ETA).matrix() * (6 * np.pi * ETA * a)
    assert m[2, 5] == pytest.approx(0.625, abs=1e-12)  # along the line of centres
    assert m[0, 3] == pytest.approx(0.4375, abs=1e-12)  # across it
    assert m[1, 4] == pytest.approx(0.4375, abs=1e-12)


def test_far_field_tends_to_oseen():
    a, r = 1e-6, 1e-2
    m = bd.mobility([[0, 0, 0], [r, 0, 0]], [a, a], ETA).matrix()
    assert m[0, 3] == pytest.approx(2 / (8 * np.pi * ETA * r), rel=1e-6)
    assert m[1, 4] == pytest.approx(1 / (8 * np.pi * ETA * r), rel=1e-6)


def test_random_overlapping_clouds_are_symmetric_positive_definite():
    rng_u = __import__("mesolith._core", fromlist=["rng"]).rng.uniform
    for seed in range(3):
        u = rng_u(seed, 0, 4 * 150).reshape(150, 4)
        x = u[:, :3] * 4e-6
        radii = (0.2 + 0.8 * u[:, 3]) * 1e-6
        m = bd.mobility(x, radii, ETA).matrix()
        np.testing.assert_array_equal(m, m.T)
        assert np.linalg.eigvalsh(m).min() > 0


def test_apply_equals_matrix_product_and_free_draining_is_diagonal():
    x = np.array([[0, 0, 0], [1.5e-6, 0.2e-6, 0], [0.3e-6, 2.1e-6, 0.4e-6], [5e-6, 5e-6, 5e-6]])
    radii = np.array([1e-6, 0.5e-6, 0.8e-6, 2e-6])
    f = np.arange(12.0).reshape(4, 3) * 1e-14 - 5e-14
    m = bd.mobility(x, radii, ETA)
    np.testing.assert_allclose(m.apply(f).ravel(), m.matrix() @ f.ravel(), rtol=1e-12,
                               atol=1e-25)
    free = bd.mobility(x, radii, ETA, hydrodynamics="none")
    np.testing.assert_allclose(free.apply(f), f / (6 * np.pi * ETA * radii[:, None]), rtol=1e-14)
    assert np.count_nonzero(free.matrix() - np.diag(np.diag(free.matrix()))) == 0


def test_bad_input_is_reported():
    with pytest.raises(ValueError, match="viscosity = -1.0: must be > 0 Pa s"):
        bd.mobility([[0, 0, 0]], [1e-6], -1.0)
    with pytest.raises(ValueError, match="positions: must have shape"):
        bd.mobility([[0, 0]], [1e-6], 1e-3)
    with pytest.raises(ValueError, match="radii: must be > 0"):
        bd.mobility([[0, 0, 0]], [0.0], 1e-3)
    with pytest.raises(ValueError, match="must be > 2 x largest radius"):
        bd.mobility([[0, 0, 0]], [1e-6], 1e-3, box=1.5e-6)
    with pytest.raises(ValueError, match="must be > 2 x largest radius"):
        bd.mobility([[0, 0, 0], [3e-6, 0, 0]], [1e-6, 2.5e-6], 1e-3, box=4.5e-6)


@pytest.mark.parametrize("box_over_a", [5.0, 10.0, 20.0])
def test_periodic_self_mobility_follows_hasimoto(box_over_a):
    a = 1e-6
    m = bd.mobility([[0, 0, 0]], [a], ETA, box=box_over_a * a).matrix() * 6 * np.pi * ETA * a
    x = 1 / box_over_a
    hasimoto = 1 - 2.837297 * x + 4 * np.pi / 3 * x**3
    np.testing.assert_allclose(np.diag(m), hasimoto, rtol=0, atol=1e-6)
    assert np.abs(m - np.diag(np.diag(m))).max() < 1e-12  # isotropic for a cubic lattice
    # (the next term of the series is O(x^6) < 2e-5 at x = 0.2; the six-digit constant
    # 2.837297 alone leaves 5e-7 x)


def test_periodic_sum_does_not_depend_on_the_split_parameter():
    a, box = 1e-6, 8e-6
    x = np.array([[0, 0, 0], [1.5e-6, 0.3e-6, 0], [4e-6, 7.5e-6, 1e-6]])
    mats = [bd.PeriodicMobility(x, [a] * 3, ETA, box, xi=xi * np.sqrt(np.pi) / box).matrix()
            for xi in (0.6, 1.0, 1.8)]
    scale = 1 / (6 * np.pi * ETA * a)
    assert np.abs(mats[0] - mats[1]).max() < 1e-9 * scale
    assert np.abs(mats[2] - mats[1]).max() < 1e-9 * scale
    np.testing.assert_allclose(mats[1], mats[1].T, atol=1e-14 * scale)
    assert np.linalg.eigvalsh(mats[1]).min() > 0  # overlapping pair included
