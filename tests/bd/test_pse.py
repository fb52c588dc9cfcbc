"""Positively split Ewald (PSE) periodic RPY mobility: accuracy against the dense
Beenakker Ewald sum, Hasimoto's finite-size law, fluctuation-dissipation of its noise,
thread independence, and the dynamics it drives."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from mesolith import _core, bd
from mesolith.bd.pse import PseMobility

A, ETA = 1e-6, 1e-3


@functools.lru_cache(maxsize=4)
def _dense_reference(n: int, box_over_a: float):
    """Positions, forces and the dense Ewald product M F (computed once per size)."""
    box = box_over_a * A
    x = _random_cloud(n, box, seed=n)
    f = _core.bd.standard_normals(4, 0, n) * 1e-12
    return x, f, bd.mobility(x, np.full(n, A), ETA, box=box).apply(f)


def _random_cloud(n: int, box: float, seed: int) -> np.ndarray:
    """n points uniform in the box (overlaps allowed: the RPY overlap branch is exercised)."""
    return _core.rng.uniform(seed, 0, 3 * n).reshape(n, 3) * box


@pytest.mark.parametrize("tol", [1e-3, 1e-4, 1e-6])
@pytest.mark.parametrize(("n", "box_over_a", "xi"), [(60, 12.0, None), (300, 36.0, 0.6e6)])
def test_pse_product_matches_dense_ewald(tol, n, box_over_a, xi):
    # (60, 12 a): real cut-off > 2L/5, every image of every pair; (300, 36 a) with a larger
    # xi: the cell-list path. The dense Beenakker sum is converged to 1e-12, so the whole
    # difference is the PSE truncation, which the parameter choice bounds by tol.
    box = box_over_a * A
    x, f, ref = _dense_reference(n, box_over_a)
    pse = PseMobility(x, np.full(n, A), ETA, box, tolerance=tol, xi=xi)
    u = pse.apply(f)
    err = np.linalg.norm(u - ref) / np.linalg.norm(ref)
    assert err < tol
    if xi is not None:
        assert pse.describe()["real_cutoff"] < 0.4 * box  # really the cell-list path


def test_mobility_factory_gives_pse_and_refuses_bad_input():
    x = _random_cloud(20, 10 * A, seed=1)
    m = bd.mobility(x, np.full(20, A), ETA, box=10 * A, method="pse", tol=1e-5)
    assert isinstance(m, PseMobility) and m.tolerance == 1e-5
    with pytest.raises(ValueError, match="needs a periodic box"):
        bd.mobility(x, np.full(20, A), ETA, method="pse")
    poly = bd.mobility(x, np.linspace(1, 2, 20) * A, ETA, box=10 * A, method="pse")
    assert poly.polydisperse and not m.polydisperse
    with pytest.raises(ValueError, match="xi x a_max"):
        PseMobility(x, np.linspace(1, 2, 20) * A, ETA, 10 * A, xi=0.5e6)
    with pytest.raises(ValueError, match="tolerance"):
        PseMobility(x, np.full(20, A), ETA, 10 * A, tolerance=0.5)


@pytest.mark.parametrize("box_over_a", [5.0, 10.0, 20.0])
def test_pse_self_mobility_follows_hasimoto(box_over_a):
    # For RPY spheres the periodic self-mobility is exactly Hasimoto's three terms.
    m = PseMobility([[0.3e-6, 0.1e-6, 0.7e-6]], [A], ETA, box_over_a * A, tolerance=1e-6)
    u = m.apply([[1.0, 0.0, 0.0]])[0] * 6 * np.pi * ETA * A
    s = 1 / box_over_a
    assert abs(u[0] - (1 - 2.837297 * s + 4 * np.pi / 3 * s**3)) < 1e-6
    assert abs(u[1]) < 1e-6 and abs(u[2]) < 1e-6  # cubic symmetry: no cross term


def test_pse_matrix_is_symmetric_positive_definite():
    x = _random_cloud(15, 8 * A, seed=7)
    mat = PseMobility(x, np.full(15, A), ETA, 8 * A, tolerance=1e-4).matrix()
    unit = 1 / (6 * np.pi * ETA * A)
    # spreading and interpolation are exact adjoints and the real part is symmetric pair by
    # pair: symmetric to rounding
    assert np.max(np.abs(mat - mat.T)) < 1e-12 * unit
    assert np.linalg.eigvalsh(mat).min() > 0


def test_pse_noise_covariance_is_the_mobility():
    # Four close spheres (strong coupling) in a small box; K samples of the PSE noise.
    x = np.array([[1.0, 1.0, 1.0], [3.1, 1.2, 0.8], [1.5, 3.0, 1.4], [6.0, 6.0, 6.0]]) * A
    m = PseMobility(x, np.full(4, A), ETA, 8 * A, tolerance=1e-5, lanczos_tolerance=1e-8)
    target = m.matrix()
    k = 3000
    samples = np.array([m.brownian(seed=5, step=s).ravel() for s in range(k)])
    cov = samples.T @ samples / k  # zero-mean by construction
    # Standard error of a Gaussian sample covariance entry: sqrt((C_ii C_jj + C_ij^2) / K);
    # 78 distinct entries, a 5-sigma excursion happens by chance with probability < 1e-4.
    se = np.sqrt((np.outer(np.diag(target), np.diag(target)) + target**2) / k)
    assert np.max(np.abs(cov - target) / se) < 5.0
    assert np.linalg.norm(cov - target) / np.linalg.norm(target) < 4 * np.sqrt(2 / k)


def test_pse_is_bit_identical_for_one_and_two_threads():
    # 3000 spheres, xi = 0.6 / a: above every threshold where the kernels go parallel
    # (neighbour list, slab spreading, FFT workers from M = 48).
    n = 3000
    box = (n * 4 / 3 * np.pi / 0.1) ** (1 / 3) * A
    x = _random_cloud(n, box, seed=2)
    f = _core.bd.standard_normals(8, 0, n)
    out = {}
    for threads in (1, 2):
        _core.set_num_threads(threads)
        m = PseMobility(x, np.full(n, A), ETA, box, tolerance=1e-4, xi=0.6e6)
        assert m.parameters.m >= 48
        out[threads] = (m.apply(f), m.brownian(seed=3, step=11))
    _core.set_num_threads(2)
    assert out[1][0].shape == (n, 3)
    for a, b in zip(out[1], out[2], strict=True):
        np.testing.assert_array_equal(a, b)


def _pse_config(count=64, **extra):
    cfg = {"species": [{"name": "S", "radius": A, "density": 1000.0, "count": count}],
           "dt": 2e-4, "dlvo": False, "hydrodynamics": "pse", "box": (12e-6,) * 3,
           "save_every": 5}
    cfg.update(extra)
    return cfg


def _lattice(n: int) -> np.ndarray:
    """n sphere centres on a cubic lattice of spacing 3 radii (no overlaps), given
    explicitly so that the tests do not wait for random sequential placement."""
    per = int(np.ceil(n ** (1 / 3)))
    grid = np.stack(np.meshgrid(*[np.arange(per)] * 3, indexing="ij"), -1).reshape(-1, 3)
    return (grid[:n] + 0.5) * 3 * A


def test_pse_simulation_restarts_bit_for_bit_and_is_thread_independent(tmp_path):
    x0 = _lattice(64)
    full = bd.Simulation(_pse_config(), positions=x0, seed=4).run(10, progress=False)
    half = bd.Simulation(_pse_config(), positions=x0, seed=4).run(5, progress=False)
    half.checkpoint(tmp_path / "c.h5")
    resumed = bd.Simulation.restart(tmp_path / "c.h5").run(5, progress=False)
    np.testing.assert_array_equal(full.positions, resumed.positions)
    assert full.noise_method == "pse" and full.lanczos_iterations > 0
    _core.set_num_threads(1)
    try:
        one = bd.Simulation(_pse_config(), positions=x0, seed=4).run(10, progress=False)
    finally:
        _core.set_num_threads(2)
    np.testing.assert_array_equal(full.positions, one.positions)
    # the particles moved, by about sqrt(6 D0 t) (a loose sanity bound, not a fit)
    step = np.linalg.norm(full.positions - full.trajectory[0], axis=1)
    d0 = full.diffusion_coefficients()[0]
    assert 0.2 < np.sqrt(np.mean(step**2) / (6 * d0 * full.time)) < 2.0


@pytest.mark.parametrize(("extra", "message"), [
    ({"wall": True}, "wall"),
    ({"shear_rate": 10.0}, "shear"),
])
def test_pse_simulation_refuses_what_it_does_not_model(extra, message):
    cfg = _pse_config(**extra)
    n = sum(s["count"] for s in cfg["species"])
    with pytest.raises(ValueError, match=message):
        bd.Simulation(cfg, positions=_lattice(n), seed=1)


def test_pse_config_needs_a_cubic_box():
    from mesolith.config.base import ConfigError

    with pytest.raises(ConfigError, match="cubic periodic box"):
        bd.BDConfig.from_dict(_pse_config(box=(12e-6, 12e-6, 6e-6)), source="r.toml",
                              prefix="bd")


def test_periodic_forces_act_across_the_box_faces():
    # Two touching pairs (contact repulsion on): one inside the box, one split by the x face.
    p = _core.bd.ForceParams()
    p.repulsion_energy, p.repulsion_range = 1.0, 0.1
    box = 10.0
    x = np.array([[3.0, 5.0, 5.0], [5.005, 5.0, 5.0], [0.5, 2.0, 2.0], [8.495, 2.0, 2.0]])
    f, energy = _core.bd.periodic_forces(x, box, np.ones(4), np.zeros(4, np.int32),
                                         np.zeros((4, 3)), p)
    e_pair, dudr = _core.bd.pair_term(2.005, 1.0, 1.0, 0, 0, p)
    assert dudr < 0  # repulsive at this gap, so the test would see a missing pair
    # force on i = dU/dr (x_j - x_i) / r: the inside pair ...
    np.testing.assert_allclose(f[0], [dudr, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(f[1], [-dudr, 0, 0], rtol=1e-12)
    # ... and the pair across the face at the same (minimum-image) distance 2.005
    np.testing.assert_allclose(f[2], [-dudr, 0, 0], rtol=1e-9)
    np.testing.assert_allclose(f[3], [dudr, 0, 0], rtol=1e-9)
    assert energy == pytest.approx(2 * e_pair, rel=1e-9)


@pytest.mark.slow
def test_pse_dynamics_single_sphere_diffuses_at_hasimoto_rate():
    from mesolith.validation import bd as v

    (row,) = v.pse_dynamics_rows(seed=6, steps=20_000)
    # tolerance = 4 standard errors of the per-step estimate (see the validation case)
    assert abs(row.measured - row.expected) < row.tolerance
