"""PSE periodic RPY mobility of unequal spheres: accuracy against the dense polydisperse
Ewald sum, positivity of the real-space part, consistency with the equal-radius split,
fluctuation-dissipation of the noise, thread independence, restarts and the dynamics."""

from __future__ import annotations

import numpy as np
import pytest

from mesolith import _core, bd
from mesolith.bd.pse import XI_A_MAX, PseMobility
from mesolith.validation.bd import polydisperse_cloud

A, ETA = 1e-6, 1e-3


@pytest.mark.parametrize("tol", [1e-4, 1e-6])
@pytest.mark.parametrize("ratio", [3.0, 10.0, 20.0])
def test_poly_product_matches_dense_polydisperse_ewald(ratio, tol):
    # Random overlapping cloud (Zuk overlap blocks exercised, one sphere inside another
    # too); the dense sum is converged to 1e-12, so the difference is the PSE truncation.
    box = (3 * ratio + 20) * A
    x, radii = polydisperse_cloud(11, 120, ratio, box)
    f = _core.bd.standard_normals(2, 0, 120)
    ref = bd.mobility(x, radii, ETA, box=box).apply(f)
    m = PseMobility(x, radii, ETA, box, tolerance=tol)
    assert m.polydisperse and m.xi * radii.max() <= XI_A_MAX * (1 + 1e-12)
    u = m.apply(f)
    assert np.linalg.norm(u - ref) / np.linalg.norm(ref) < tol
    # the large spheres alone (their wave and real parts cancel most) within 3 tol
    big = radii > 2 * A
    assert np.linalg.norm((u - ref)[big]) / np.linalg.norm(ref[big]) < 3 * tol


def test_poly_self_blocks_follow_hasimoto_per_radius():
    # The self block of the periodic mobility depends on the sphere's own radius and the
    # box only: Hasimoto's three terms, for radii 0.5 .. 6 um among overlapping neighbours.
    from mesolith.validation.bd import hasimoto, pse_polydisperse_self_blocks

    for a_over_l, measured in pse_polydisperse_self_blocks(3):
        # 10 x the requested tolerance 1e-6 (a bound on |M F|, not on single entries)
        assert abs(measured - hasimoto(a_over_l)) < 1e-5, (a_over_l, measured)


def test_poly_split_agrees_with_equal_radius_split():
    # Radii equal but for 1e-9: the two-field split (t_i t_j) against the sinc^2 split of
    # equal spheres; both approximate the same operator to the tolerance.
    x, _ = polydisperse_cloud(5, 100, 1.0, 15 * A)
    f = _core.bd.standard_normals(5, 0, 100)
    radii = np.full(100, A)
    radii[7] *= 1 + 1e-9
    poly = PseMobility(x, radii, ETA, 15 * A, tolerance=1e-6)
    equal = PseMobility(x, np.full(100, A), ETA, 15 * A, tolerance=1e-6)
    assert poly.polydisperse and not equal.polydisperse
    u, v = poly.apply(f), equal.apply(f)
    assert np.linalg.norm(u - v) / np.linalg.norm(v) < 2e-6


def _real_matrix(m: PseMobility) -> np.ndarray:
    n = m.size
    cols = np.empty((3 * n, 3 * n))
    for c in range(3 * n):
        e = np.zeros(3 * n)
        e[c] = 1.0
        cols[:, c] = m._real.apply(e.reshape(n, 3)).ravel()
    return cols


@pytest.mark.parametrize("ratio", [1.5, 10.0, 40.0])
def test_poly_real_part_is_positive_definite(ratio):
    # Random spheres with a near-contact pair (gap 1e-3 a), a touching pair and an
    # overlapping one, at the largest xi allowed: the real-space part must stay positive
    # definite for its Lanczos square root. (At xi a_max = 1 the large spheres' own real
    # block turns negative: -0.13 / (6 pi eta a_max).)
    rng = np.random.default_rng(int(ratio))
    n, box = 30, 4 * ratio + 10
    r = np.where(rng.random(n) < 0.2, ratio, 1.0) * rng.uniform(1, 1.2, n)
    x = rng.uniform(0, box, (n, 3))
    for i, j, gap in [(0, 1, 1e-3), (2, 3, 0.0), (4, 5, -0.3)]:
        d = rng.normal(size=3)
        x[j] = x[i] + d / np.linalg.norm(d) * (r[i] + r[j] + gap)
    m = PseMobility(x * A, r * A, ETA, box * A, tolerance=1e-4, xi=XI_A_MAX / r.max() / A)
    real = _real_matrix(m)
    assert np.max(np.abs(real - real.T)) < 1e-12 * np.abs(real).max()
    lam = np.linalg.eigvalsh(0.5 * (real + real.T))
    assert lam.min() > 1e-3 * lam.max()
    full = m.matrix()
    assert np.max(np.abs(full - full.T)) < 1e-12 * np.abs(full).max()
    assert np.linalg.eigvalsh(0.5 * (full + full.T)).min() > 0


def test_poly_rejects_xi_beyond_positivity_limit():
    x, r = polydisperse_cloud(1, 10, 5.0, 30 * A)
    with pytest.raises(ValueError, match="xi x a_max must be <="):
        PseMobility(x, r, ETA, 30 * A, xi=1.0 / r.max())


@pytest.mark.parametrize(("x", "r", "box"), [
    # close cluster of radii 1, 2 and 2.5
    ([[1.0, 1.0, 1.0], [4.2, 1.2, 0.8], [1.5, 3.1, 1.4], [7.0, 7.0, 7.0]], [1, 2, 1, 2.5], 12),
    # radius ratio 10, a small sphere 0.4 a from a large one
    ([[1.0, 1.0, 1.0], [12.2, 1.2, 0.8], [1.5, 3.1, 1.4], [20.0, 20.0, 20.0],
      [12.0, 12.5, 2.0]], [1, 10, 1, 10, 1], 45),
])
def test_poly_noise_covariance_is_the_mobility(x, r, box):
    # K samples of the PSE noise against the PSE matrix (itself checked against the dense
    # polydisperse Ewald matrix).
    x, r, box = np.array(x) * A, np.array(r, dtype=float) * A, box * A
    m = PseMobility(x, r, ETA, box, tolerance=1e-5, lanczos_tolerance=1e-8)
    target = m.matrix()
    dense = bd.mobility(x, r, ETA, box=box).matrix()
    assert np.linalg.norm(target - dense) / np.linalg.norm(dense) < 1e-5
    k = 3000
    samples = np.array([m.brownian(seed=9, step=s).ravel() for s in range(k)])
    cov = samples.T @ samples / k
    # standard error of a Gaussian sample covariance entry sqrt((C_ii C_jj + C_ij^2) / K);
    # at most 120 distinct entries, a 5-sigma excursion by chance has probability < 1e-4
    se = np.sqrt((np.outer(np.diag(target), np.diag(target)) + target**2) / k)
    assert np.max(np.abs(cov - target) / se) < 5.0
    assert np.linalg.norm(cov - target) / np.linalg.norm(target) < 4 * np.sqrt(2 / k)


def test_poly_is_bit_identical_for_one_and_two_threads():
    # 3000 spheres, radius ratio 2, tol 1e-6 in a 100 a box: above every threshold where
    # the kernels go parallel (neighbour list, slab spreading, FFT workers from M = 48).
    n, box = 3000, 100 * A
    x, r = polydisperse_cloud(2, n, 2.0, box)
    f = _core.bd.standard_normals(8, 0, n)
    before = _core.max_threads()
    out = {}
    try:
        for threads in (1, 2):
            _core.set_num_threads(threads)
            m = PseMobility(x, r, ETA, box, tolerance=1e-6)
            assert m.parameters.m >= 48
            out[threads] = (m.apply(f), m.brownian(seed=3, step=11))
    finally:
        _core.set_num_threads(before)
    for a, b in zip(out[1], out[2], strict=True):
        np.testing.assert_array_equal(a, b)


def _mixture_config(**extra):
    cfg = {"species": [{"name": "small", "radius": A, "density": 1000.0, "count": 20},
                       {"name": "large", "radius": 3 * A, "density": 1000.0, "count": 4}],
           "dt": 2e-4, "dlvo": False, "hydrodynamics": "pse", "box": (24e-6,) * 3,
           "save_every": 5}
    cfg.update(extra)
    return cfg


def _mixture_positions() -> np.ndarray:
    """20 small spheres on a lattice of spacing 3 a in one corner, 4 large ones apart."""
    g = np.stack(np.meshgrid(*[np.arange(3)] * 3, indexing="ij"), -1).reshape(-1, 3)[:20]
    small = (g + 0.5) * 3 * A
    large = np.array([[14, 14, 14], [20, 14, 14], [14, 20, 20], [20, 20, 4]]) * A
    return np.vstack([small, large])


def test_poly_simulation_restarts_bit_for_bit_and_is_thread_independent(tmp_path):
    x0 = _mixture_positions()
    full = bd.Simulation(_mixture_config(), positions=x0, seed=4).run(10, progress=False)
    assert full.noise_method == "pse" and full._engine.mobility.polydisperse
    half = bd.Simulation(_mixture_config(), positions=x0, seed=4).run(5, progress=False)
    half.checkpoint(tmp_path / "c.h5")
    resumed = bd.Simulation.restart(tmp_path / "c.h5").run(5, progress=False)
    np.testing.assert_array_equal(full.positions, resumed.positions)
    before = _core.max_threads()
    try:
        _core.set_num_threads(1)
        one = bd.Simulation(_mixture_config(), positions=x0, seed=4).run(10, progress=False)
    finally:
        _core.set_num_threads(before)
    np.testing.assert_array_equal(full.positions, one.positions)


def test_poly_simulation_refuses_a_box_smaller_than_the_largest_sphere():
    with pytest.raises(ValueError, match="largest radius"):
        bd.Simulation(_mixture_config(box=(5e-6,) * 3, species=[
            {"name": "s", "radius": A, "density": 1e3, "count": 1},
            {"name": "l", "radius": 3 * A, "density": 1e3, "count": 1}]),
            positions=[[1e-6, 1e-6, 1e-6], [3e-6, 3e-6, 3e-6]], seed=1)


def test_poly_mixture_self_diffusion_follows_hasimoto_per_species():
    """Short run (400 steps): each species' D/D0 within 4 standard errors (about 5 %) of
    Hasimoto's value for its own radius (0.82 and 0.65)."""
    from mesolith.validation import bd as v

    for radius, expected, measured, se, used in v.measure_ewald_mixture_diffusion(
            3, 400, hydrodynamics="pse"):
        assert used > 300
        assert se < 0.04
        assert abs(measured - expected) < 4 * se, (radius, expected, measured, se)
        assert 1 - measured > 4 * se


@pytest.mark.slow
def test_poly_mixture_self_diffusion_follows_hasimoto_per_species_long():
    from mesolith.validation import bd as v

    rows = v.pse_mixture_rows(seed=5, steps=20_000)
    assert len(rows) == 2
    for row in rows:
        # tolerance = 4 standard errors of the per-step species means (about 0.5 %)
        assert row.tolerance < 0.01
        assert row.passed, (row.quantity, row.expected, row.measured, row.tolerance)
