"""Spheroid packings: exact voxelisation, Perram-Wertheim contact, orientations, density."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from scipy.spatial import cKDTree

from mesolith import _core
from mesolith.config.base import ConfigError
from mesolith.micro import order_parameter, pack_spheroids, watson_order_parameter


def _random_spheroid(rng, a, c, box):
    u = rng.normal(size=3)
    u /= np.linalg.norm(u)
    return np.array([[*(rng.uniform(0.3, 0.7, 3) * box), a, c, *u]])


def _inside_numpy(p, shape):
    """Voxel centres inside one spheroid, by the quadratic form written out in numpy."""
    x, y, z, a, c, *u = p[0]
    g = np.stack(np.meshgrid(*[np.arange(n) + 0.5 for n in shape], indexing="ij"), -1)
    d = g - [x, y, z]
    ud = d @ np.array(u)
    return (np.sum(d * d, -1) - ud * ud) / a**2 + ud * ud / c**2 <= 1.0


def _pw_numpy(p, q, r):
    """Perram-Wertheim F by bounded scalar maximisation (independent of the C++ code)."""
    def inv_shape(s):
        u = s[5:8]
        return s[3] ** 2 * np.eye(3) + (s[4] ** 2 - s[3] ** 2) * np.outer(u, u)

    ma, mb = inv_shape(p), inv_shape(q)
    res = minimize_scalar(lambda lam: -lam * (1 - lam) * r @ np.linalg.solve(
        (1 - lam) * ma + lam * mb, r), bounds=(0.0, 1.0), method="bounded",
        options={"xatol": 1e-10})
    return -res.fun


def test_voxelisation_is_the_exact_point_test():
    rng = np.random.default_rng(5)
    for a, c in [(9.3, 2.7), (6.0, 6.0), (4.1, 7.9)]:
        p = _random_spheroid(rng, a, c, 32)
        got = _core.micro.voxelise_spheroids(np.zeros((32, 32, 32), np.uint8), p,
                                             (False, False, False), 1)
        assert np.array_equal(got == 1, _inside_numpy(p, (32, 32, 32)))


def test_voxelised_volume_matches_four_thirds_pi_a2_c():
    # Counting voxel centres inside a randomly placed and oriented body is unbiased for its
    # volume; the count fluctuates by about sqrt(S / 4) voxels (S = 1148 voxel^2 for
    # a = 12.3, c = 4.1: 17 voxels), so each of 20 placements lies within 4 sigma = 68 voxels
    # (2.6 % of V) and their mean within 68 / sqrt(20) = 15 voxels (0.6 % of V).
    rng = np.random.default_rng(8)
    a, c = 12.3, 4.1
    exact = 4.0 / 3.0 * math.pi * a * a * c
    counts = []
    for _ in range(20):
        p = _random_spheroid(rng, a, c, 48)
        lab = _core.micro.voxelise_spheroids(np.zeros((48, 48, 48), np.uint8), p,
                                             (True, True, False), 1)
        counts.append(int(lab.sum()))
    assert np.all(np.abs(np.array(counts) - exact) <= 68)
    assert abs(np.mean(counts) - exact) <= 15


def test_perram_wertheim_matches_spheres_and_an_independent_maximisation():
    s1 = np.array([[0, 0, 0, 1.0, 1.0, 0, 0, 1.0]])
    s2 = np.array([[1.5, 0, 0, 2.0, 2.0, 0, 0, 1.0]])
    assert _core.micro.perram_wertheim(s1, s2) == pytest.approx((1.5 / 3.0) ** 2, rel=1e-12)
    # Stacked aligned flakes: contact at distance c_A + c_B along the axis.
    f1 = np.array([[0, 0, 0, 2.0, 0.5, 0, 0, 1.0]])
    f2 = np.array([[0, 0, 0.8, 3.0, 0.5, 0, 0, 1.0]])
    assert _core.micro.perram_wertheim(f1, f2) == pytest.approx(0.64, rel=1e-10)
    rng = np.random.default_rng(3)
    for _ in range(30):
        p = _random_spheroid(rng, *rng.uniform(1, 4, 2), 10)
        q = _random_spheroid(rng, *rng.uniform(1, 4, 2), 10)
        ref = _pw_numpy(p[0], q[0], q[0, :3] - p[0, :3])
        assert _core.micro.perram_wertheim(p, q) == pytest.approx(ref, rel=1e-7)


@pytest.mark.parametrize("kappa", [0.0, 10.0, -10.0])
def test_orientation_order_parameter_matches_the_watson_distribution(kappa):
    ms = pack_spheroids(shape=(64, 64, 64), voxel_size=1e-6, mean_radius=2.5e-6,
                        radius_log_sigma=0.0, aspect_ratio=0.4, orientation_kappa=kappa,
                        am_fraction=0.2, seed=21)
    u = ms.spheroids[:, 5:8]
    assert np.allclose(np.linalg.norm(u, axis=1), 1.0)
    # Tolerance: 4 standard errors of the sample mean of P2 over n independent axes, with
    # Var(P2) = <P2^2> - <P2>^2 from the distribution itself (<P2^2> by quadrature).
    t = np.linspace(0, 1, 20_001)
    w = np.exp(kappa * t * t - max(kappa, 0.0))
    p2 = 1.5 * t * t - 0.5
    var = np.sum(w * p2 * p2) / np.sum(w) - (np.sum(w * p2) / np.sum(w)) ** 2
    n = len(u)
    assert n > 700
    expected = watson_order_parameter(kappa)
    assert order_parameter(u) == pytest.approx(expected, abs=4 * math.sqrt(var / n))
    assert ms.metadata["order_parameter_z"] == pytest.approx(order_parameter(u), abs=1e-12)


def test_watson_order_parameter_limits():
    assert watson_order_parameter(0.0) == pytest.approx(0.0, abs=1e-10)
    # Large kappa: 1 - t is exponential with mean 1 / (2 kappa) (Laplace), so
    # <t^2> -> 1 - 1 / kappa and <P2> -> 1 - 3 / (2 kappa), up to O(kappa^-2) = 1e-4.
    assert watson_order_parameter(100.0) == pytest.approx(1 - 3 / 200, abs=2e-4)
    # Strong girdle: t is half-normal with variance 1 / (2 |kappa|) (the truncation at 1 is
    # e^-100 small), so <P2> -> -1/2 + 3 / (4 |kappa|).
    assert watson_order_parameter(-100.0) == pytest.approx(-0.5 + 3 / 400, abs=2e-4)


def test_aligned_flakes_pack_to_050_without_overlap():
    ms = pack_spheroids(shape=(48, 48, 48), voxel_size=1e-6, mean_radius=4e-6,
                        radius_log_sigma=0.2, aspect_ratio=0.3, orientation_kappa=10.0,
                        am_fraction=0.5, seed=3)
    p = ms.spheroids / np.r_[[1e-6] * 5, [1.0] * 3]
    assert ms.metadata["particle_fraction"] == pytest.approx(0.5, rel=1e-12)
    # Digitisation of ~170 flakes of ~4 voxels: measured < 0.1 % off; bound 0.01.
    assert ms.volume_fractions()["AM"] == pytest.approx(0.5, abs=0.01)
    # Every pair within bounding-sphere reach: 1 - sqrt(F) below the tolerance (5e-3), F from
    # the independent numpy maximisation; x and y periodic.
    tree = cKDTree(p[:, :2] % 48, boxsize=[48, 48])
    reach = 2 * p[:, 3].max()
    pairs = [(i, j) for i, j in tree.query_pairs(reach) if abs(p[i, 2] - p[j, 2]) < reach]
    assert len(pairs) > 200
    worst = 0.0
    for i, j in pairs:
        r = p[j, :3] - p[i, :3]
        r[:2] -= 48 * np.round(r[:2] / 48)
        if np.linalg.norm(r) < p[i, 3] + p[j, 3]:
            worst = max(worst, 1 - math.sqrt(_pw_numpy(p[i], p[j], r)))
    assert worst <= 5e-3 * (1 + 1e-6)
    # Walls: the half-height along z, sqrt(a^2 + (c^2 - a^2) uz^2), stays inside [0, 48].
    h = np.sqrt(p[:, 3] ** 2 + (p[:, 4] ** 2 - p[:, 3] ** 2) * p[:, 7] ** 2)
    assert (p[:, 2] - h >= -5e-3 * h).all() and (p[:, 2] + h <= 48 + 5e-3 * h).all()


def test_spheroid_packing_bit_identical_for_one_and_two_threads():
    # Dense isotropic thin flakes: rotations, the order restraint and many stages all run.
    before = _core.max_threads()
    out = []
    try:
        for n in (1, 2):
            _core.set_num_threads(n)
            out.append(pack_spheroids(shape=(40, 40, 40), voxel_size=1e-6, mean_radius=4e-6,
                                      aspect_ratio=0.25, orientation_kappa=0.0,
                                      am_fraction=0.6, seed=9))
    finally:
        _core.set_num_threads(before)
    assert np.array_equal(out[0].labels, out[1].labels)
    assert np.array_equal(out[0].spheroids, out[1].spheroids)


def test_spheroid_config_errors_name_the_field():
    with pytest.raises(ConfigError, match="aspect_ratio"):
        pack_spheroids(shape=(32, 32, 32), voxel_size=1e-6, mean_radius=3e-6, aspect_ratio=0.0)
    with pytest.raises(ConfigError, match="thinner than 2 voxels"):
        pack_spheroids(shape=(32, 32, 32), voxel_size=1e-6, mean_radius=2e-6, aspect_ratio=0.1)


def _check_dense_packing(ms, shape, target):
    """Target fraction, overlaps by the independent check, voxelised fraction, order kept."""
    p = ms.spheroids / np.r_[[ms.voxel_size] * 5, [1.0] * 3]
    assert ms.metadata["particle_fraction"] == pytest.approx(target, abs=1e-9)
    # spheroid_overlap: golden-section F over all pairs and the walls (the packing itself
    # minimises with a Newton F).
    assert _core.micro.spheroid_overlap(p, *map(float, shape), False) <= 5e-3
    # Digitisation: ~250 particles of equal-volume radius 4-5 voxels; the voxel count of a
    # body fluctuates by about sqrt(S / 4) ~ 10 voxels, i.e. 1.5e-4 of the box for all of
    # them together (independent errors); bound 0.005.
    assert abs(ms.volume_fractions()["AM"] - target) < 0.005
    # The order restraint W n (S - S0)^2 (W = 1) holds S within ~1e-3 of the sampled S0.
    assert abs(ms.metadata["order_parameter_z"] - ms.metadata["order_parameter_z_sampled"]) < 0.01


def test_flakes_reach_am_fraction_060_fast():
    """Aligned flakes (aspect 0.4, kappa 10) packed to AM 0.60 in a 40^3 box (~140 flakes)."""
    ms = pack_spheroids(shape=(40, 40, 40), voxel_size=1e-6, mean_radius=4e-6,
                        aspect_ratio=0.4, orientation_kappa=10.0, am_fraction=0.6, seed=2)
    _check_dense_packing(ms, (40, 40, 40), 0.6)
    # Sampled axes follow Watson: 4 standard errors of <P2> (sd <= 0.25 at kappa = 10).
    n = ms.metadata["particle_count"]
    assert abs(ms.metadata["order_parameter_z"] - watson_order_parameter(10.0)) < \
        4 * 0.25 / math.sqrt(n)


def test_isotropic_thin_flakes_reach_am_fraction_060_fast():
    """Isotropic flakes of aspect 0.25 (the hardest case: jams near 0.62 between walls) packed
    to AM 0.60 in a 48^3 box (~240 flakes)."""
    ms = pack_spheroids(shape=(48, 48, 48), voxel_size=1e-6, mean_radius=4e-6,
                        aspect_ratio=0.25, orientation_kappa=0.0, am_fraction=0.6, seed=1)
    _check_dense_packing(ms, (48, 48, 48), 0.6)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("aspect,kappa", [(0.25, 0.0), (0.25, 10.0), (0.5, 0.0), (0.5, 10.0)])
def test_flakes_reach_am_fraction_060(aspect, kappa, seed):
    """Oblate flakes of aspect 0.25-0.5, isotropic or aligned, packed to AM 0.60 between the
    walls with the default overlap tolerance 5e-3 (64^3 voxels, ~250 flakes)."""
    ms = pack_spheroids(shape=(64, 64, 64), voxel_size=1e-6, mean_radius=5e-6,
                        aspect_ratio=aspect, orientation_kappa=kappa, am_fraction=0.6,
                        seed=seed)
    _check_dense_packing(ms, (64, 64, 64), 0.6)


def test_fixed_axes_keep_the_sampled_orientations():
    free = pack_spheroids(shape=(32, 32, 32), voxel_size=1e-6, mean_radius=3e-6,
                          aspect_ratio=0.4, am_fraction=0.45, seed=6)
    fixed = pack_spheroids(shape=(32, 32, 32), voxel_size=1e-6, mean_radius=3e-6,
                           aspect_ratio=0.4, am_fraction=0.45, rotate=False, seed=6)
    # Same sampled axes (same seed); with rotate=False they are returned unchanged (the
    # packing never writes them), with rotation some of them turn.
    assert fixed.metadata["order_parameter_z"] == pytest.approx(
        fixed.metadata["order_parameter_z_sampled"], abs=1e-12)
    assert free.metadata["order_parameter_z_sampled"] == \
        fixed.metadata["order_parameter_z_sampled"]
    assert not np.array_equal(free.spheroids[:, 5:8], fixed.spheroids[:, 5:8])
    assert _core.micro.spheroid_overlap(fixed.spheroids / np.r_[[1e-6] * 5, [1.0] * 3],
                                        32.0, 32.0, 32.0, False) <= 5e-3
