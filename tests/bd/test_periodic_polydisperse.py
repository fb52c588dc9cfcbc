"""Periodic (Ewald-summed) RPY mobility of spheres of unequal radii.

Checks: equal radii give the equal-sphere Beenakker sum; the Ewald split parameter
does not change the result; each self block follows Hasimoto's finite-size correction
with the particle's own radius; the pair blocks tend to the free-space polydisperse
(Zuk et al.) RPY as the box grows, the remainder being Hasimoto's -xi_H / (6 pi eta L)
plus O(L^-3); symmetry, positive definiteness with overlapping pairs, and the same
matrix for 1 and 2 threads.
"""

import numpy as np
import pytest

from mesolith import _core, bd

ETA = 1e-3  # Pa s
A = 1e-6  # m
#: Hasimoto's cubic-lattice constant (J. Fluid Mech. 5, 317, 1959; 2.837297 there), to
#: 15 digits.
XI_HASIMOTO = 2.837297479480620


def _cloud(n, box, seed, a_lo=0.3, a_hi=2.2):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, box, (n, 3)), rng.uniform(a_lo, a_hi, n) * A


def _overlapping_pairs(x, radii, box):
    d = x[None, :, :] - x[:, None, :]
    d -= box * np.round(d / box)
    r = np.linalg.norm(d, axis=2)
    contact = radii[:, None] + radii[None, :]
    return int(np.triu(r < contact, 1).sum())


def test_equal_radii_reproduce_the_equal_sphere_sum():
    box = 40 * A
    x, _ = _cloud(30, box, seed=1)
    xi = np.sqrt(np.pi) / box  # same split, both sums converged
    ref = _core.bd.ewald_mobility_matrix(x, A, ETA, box, xi, 1e-16)
    m = bd.PeriodicMobility(x, np.full(30, A), ETA, box, xi=xi, tolerance=1e-16).matrix()
    overlaps = _overlapping_pairs(x, np.full(30, A), box)
    # Without overlapping pairs the two sums agree to rounding; an overlapping pair at
    # r << a cancels terms ~ (a/r)^3 in the Zuk correction (see the C++ test), so the
    # comparison uses a configuration without one.
    assert overlaps == 0
    assert np.abs(m - ref).max() <= 1e-14 * np.abs(ref).max()


def test_equal_radii_with_overlaps_agree_to_rounding_of_the_overlap_correction():
    box = 8 * A
    x, _ = _cloud(30, box, seed=2)
    radii = np.full(30, A)
    assert _overlapping_pairs(x, radii, box) > 0
    xi = np.sqrt(np.pi) / box
    ref = _core.bd.ewald_mobility_matrix(x, A, ETA, box, xi, 1e-16)
    m = bd.PeriodicMobility(x, radii, ETA, box, xi=xi, tolerance=1e-16).matrix()
    d = x[None, :, :] - x[:, None, :]
    d -= box * np.round(d / box)
    r = np.linalg.norm(d, axis=2)[np.triu_indices(30, 1)]
    # the 1e-14 of the test above, times the cancellation of the (a/r)^3 far-field terms
    # against the overlap form at the closest pair
    bound = 1e-14 * max(1.0, (A / r.min()) ** 3)
    assert np.abs(m - ref).max() <= bound * np.abs(ref).max()


@pytest.mark.parametrize("factor", [0.5, 1.6, 2.5])
def test_split_parameter_does_not_change_the_polydisperse_sum(factor):
    box = 10 * A
    x, radii = _cloud(25, box, seed=3)
    assert _overlapping_pairs(x, radii, box) > 0
    xi0 = np.sqrt(np.pi) / box
    ref = bd.PeriodicMobility(x, radii, ETA, box, xi=xi0, tolerance=1e-15).matrix()
    m = bd.PeriodicMobility(x, radii, ETA, box, xi=factor * xi0, tolerance=1e-15).matrix()
    assert np.abs(m - ref).max() <= 1e-10 * np.abs(ref).max()


def test_every_self_mobility_follows_hasimoto_with_its_own_radius():
    box = 10 * A
    x, radii = _cloud(25, box, seed=4, a_lo=0.2, a_hi=4.5)  # a/L from 0.02 to 0.45
    m = bd.PeriodicMobility(x, radii, ETA, box, tolerance=1e-15).matrix()
    blocks = np.array([m[3 * i:3 * i + 3, 3 * i:3 * i + 3] for i in range(25)])
    scaled = blocks * (6 * np.pi * ETA * radii)[:, None, None]
    s = radii / box
    hasimoto = 1 - XI_HASIMOTO * s + 4 * np.pi / 3 * s**3
    # For the RPY tensor with L > 2a the series ends at (a/L)^3: agreement to the
    # truncation error of the sums (tolerance 1e-15; the screened terms carry factors
    # up to xi^7 a^2 r^4, so at a/L = 0.45 it is ~2e-11), far below the printed 6 digits.
    for p in range(3):
        np.testing.assert_allclose(scaled[:, p, p], hasimoto, rtol=0, atol=1e-10)
    off = scaled - scaled * np.eye(3)[None]
    assert np.abs(off).max() < 1e-12  # isotropic on a cubic lattice
    # and against the six-digit constant Hasimoto printed
    np.testing.assert_allclose(scaled[:, 0, 0], 1 - 2.837297 * s + 4 * np.pi / 3 * s**3,
                               rtol=0, atol=1e-6)


@pytest.mark.parametrize("sep, radii", [
    ((3.0, 1.0, 0.5), (1.0, 2.0)),     # apart
    ((0.8, 0.3, 0.2), (0.5, 1.5)),     # small sphere inside the large one
    ((1.5, 0.3, 0.2), (0.5, 1.5)),     # partly overlapping
])
def test_pair_block_tends_to_free_space_rpy(sep, radii):
    """M_ij(L) - M_ij(free) = -xi_H / (6 pi eta L) I + O(L^-3): doubling L divides the
    remainder after the 1/L term by 8 (to 1 % by L = 80 a)."""
    x = np.array([[0.0, 0.0, 0.0], sep]) * A
    radii = np.array(radii) * A
    free = bd.mobility(x, radii, ETA).matrix()[:3, 3:]
    rest = []
    for box_over_a in (80, 160):
        box = box_over_a * A
        m = bd.PeriodicMobility(x, radii, ETA, box, tolerance=1e-15).matrix()[:3, 3:]
        r = m - free + XI_HASIMOTO / (6 * np.pi * ETA * box) * np.eye(3)
        rest.append(np.abs(r).max())
        # the remainder is small next to the pair block itself
        assert rest[-1] < 1e-3 * np.abs(free).max()
    assert rest[0] / rest[1] == pytest.approx(8.0, rel=0.01)


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_symmetric_positive_definite_with_overlapping_pairs(seed):
    box = 6 * A
    x, radii = _cloud(40, box, seed=seed, a_lo=0.2, a_hi=2.5)
    assert _overlapping_pairs(x, radii, box) > 5
    m = bd.mobility(x, radii, ETA, box=box).matrix()
    assert np.array_equal(m, m.T)
    np.linalg.cholesky(m)  # raises LinAlgError if not positive definite
    # a sphere entirely inside another, and coincident centres
    x2 = np.vstack([x, x[0], x[1] + 0.1 * A])
    r2 = np.concatenate([radii, [0.5 * radii[0], 0.3 * radii[1]]])
    m2 = bd.mobility(x2, r2, ETA, box=box).matrix()
    assert np.isfinite(m2).all()
    np.linalg.cholesky(m2)


def test_same_matrix_for_one_and_two_threads():
    box = 10 * A
    x, radii = _cloud(60, box, seed=8)
    before = _core.max_threads()
    try:
        _core.set_num_threads(1)
        m1 = _core.bd.ewald_mobility_matrix_poly(x, radii, ETA, box)
        _core.set_num_threads(2)
        m2 = _core.bd.ewald_mobility_matrix_poly(x, radii, ETA, box)
    finally:
        _core.set_num_threads(before)
    assert np.array_equal(m1, m2)


def test_product_and_noise_use_the_polydisperse_matrix():
    box = 10 * A
    x, radii = _cloud(12, box, seed=9)
    m = bd.mobility(x, radii, ETA, box=box)
    assert isinstance(m, bd.PeriodicMobility)
    f = np.random.default_rng(0).normal(size=(12, 3)) * 1e-12
    np.testing.assert_allclose(m.apply(f).ravel(), m.matrix() @ f.ravel(), rtol=1e-14)
    w = np.random.default_rng(1).normal(size=(12, 3))
    b, _ = m.sqrt_apply(w)
    np.testing.assert_allclose(b.ravel(), np.linalg.cholesky(m.matrix()) @ w.ravel())


def test_bad_periodic_input_names_the_value():
    with pytest.raises(ValueError, match=r"box = 4\.5e-06: must be > 2 x largest radius"):
        bd.mobility([[0, 0, 0], [3e-6, 0, 0]], [1e-6, 2.5e-6], ETA, box=4.5e-6)
    with pytest.raises(ValueError, match="xi = -1.0: must be > 0"):
        bd.PeriodicMobility([[0, 0, 0]], [1e-6], ETA, 1e-5, xi=-1.0)
    with pytest.raises(ValueError, match="radii: must be > 0"):
        bd.mobility([[0, 0, 0], [3e-6, 0, 0]], [1e-6, 0.0], ETA, box=1e-5)
    with pytest.raises(ValueError, match="radii must be finite"):
        _core.bd.ewald_mobility_matrix_poly(np.zeros((1, 3)), np.array([np.inf]), ETA, 1.0)
