"""Near-wall mobility: the formulas, and the kT div M drift that Boltzmann sampling needs."""

import numpy as np
import pytest

from mesolith import _core
from mesolith.validation import bd as v


def brenner_perpendicular(z_over_a: float, terms: int = 200) -> float:
    """Brenner's exact series (Chem. Eng. Sci. 16, 242, 1961) for mu_perp / mu_0."""
    alpha = np.arccosh(z_over_a)
    terms = min(terms, int(300 / alpha))  # the terms fall like exp(-2 n alpha); no overflow
    n = np.arange(1, terms + 1, dtype=float)
    num = 2 * np.sinh((2 * n + 1) * alpha) + (2 * n + 1) * np.sinh(2 * alpha)
    den = 4 * np.sinh((n + 0.5) * alpha) ** 2 - (2 * n + 1) ** 2 * np.sinh(alpha) ** 2
    lam = 4 / 3 * np.sinh(alpha) * np.sum(n * (n + 1) / ((2 * n - 1) * (2 * n + 3))
                                          * (num / den - 1))
    return 1 / lam


@pytest.mark.parametrize("z", [1.001, 1.05, 1.2, 1.5, 2.0, 4.0, 10.0, 30.0])
def test_perpendicular_mobility_matches_brenner(z):
    m = _core.bd.wall_mobility(np.array([z]), 1.0)[0]
    # Bevan & Prieve quote their fit as within ~1 % of Brenner's series
    assert m[1] == pytest.approx(brenner_perpendicular(z), rel=0.015)


def test_derivative_and_far_field():
    z = np.linspace(1.01, 6.0, 200)
    m = _core.bd.wall_mobility(z, 1.0)
    numeric = np.gradient(m[:, 1], z)
    assert np.allclose(m[1:-1, 2], numeric[1:-1], rtol=2e-3, atol=1e-5)
    far = _core.bd.wall_mobility(np.array([100.0]), 1.0)[0]
    assert far[0] == pytest.approx(1 - 9 / 16 / 100, rel=1e-5)  # Faxen / Lorentz far field
    # the rational fit decays as 1 - 7a/6h instead of 1 - 9a/8z: 4e-4 off at z = 100 a
    assert far[1] == pytest.approx(1 - 9 / 8 / 100, abs=1e-3)


def test_wall_mobility_needs_free_draining():
    p = _core.bd.ForceParams()
    it = _core.bd.Integrator(np.array([[0.0, 0, 3.0], [5.0, 0, 3.0]]), np.ones(2),
                             np.zeros(2, dtype=np.int32), np.zeros((2, 3)), p, kT=1.0,
                             viscosity=1.0, dt=1e-3, shear_rate=0.0, hydrodynamics="rpy",
                             noise="cholesky", tolerance=1e-4, max_iterations=50, seed=0)
    with pytest.raises(ValueError, match="hydrodynamics = 'none'"):
        it.set_wall_mobility(True)


def test_boltzmann_near_the_wall_only_with_the_drift_term():
    # 256 independent particles, each averaged over 3 a^2/D0 (about 3 relaxation times):
    # the SE of the fraction within 0.5 a of contact is ~0.019 (spread over particles).
    good = v.measure_wall_boltzmann(seed=2)
    assert abs(good["near"] - good["near_expected"]) < 4 * good["near_se"]
    assert abs(good["mean"] - good["mean_expected"]) < 4 * good["mean_se"]
    # Without kT d(mu_perp)/dz the Ito update samples exp(-U/kT)/mu_perp: particles pile up
    # at the wall (measured 0.75 vs 0.38), far beyond the statistical error.
    bad = v.measure_wall_boltzmann(seed=2, drift=False)
    assert bad["near"] - bad["near_expected"] > 10 * bad["near_se"]


def test_config_switches_the_wall_mobility_on_and_names_bad_settings():
    from mesolith import bd
    from mesolith.config.base import ConfigError

    with pytest.raises(ConfigError, match="bd.wall_mobility = True: needs hydrodynamics"):
        bd.BDConfig.from_dict({"wall_mobility": True, "wall": True}, source="r.toml",
                              prefix="bd")
    with pytest.raises(ConfigError, match="needs wall = true"):
        bd.BDConfig.from_dict({"wall_mobility": True, "hydrodynamics": "none"},
                              source="r.toml", prefix="bd")
    cfg = {"species": [{"name": "NMC", "preset": "nmc", "count": 3}], "wall": True,
           "hydrodynamics": "none", "box": [2e-5, 2e-5, 2e-5], "dt": 1e-4}
    free = bd.Simulation(cfg, seed=1).run(5, progress=False).positions
    walled = bd.Simulation({**cfg, "wall_mobility": True}, seed=1).run(5, progress=False)
    # same noise, but a sphere near the wall moves less: the displacements differ
    assert not np.array_equal(free, walled.positions)


def test_same_seed_same_result_for_one_and_two_threads():
    from mesolith.bd.aggregation import aggregate

    def wall_run():
        n = 64
        x0 = np.column_stack([np.arange(n) * 5.0, np.zeros(n), 1.2 + 0.05 * np.arange(n)])
        p = _core.bd.ForceParams()
        p.wall = True
        ext = np.zeros((n, 3))
        ext[:, 2] = -1.0
        it = _core.bd.Integrator(x0, np.ones(n), np.zeros(n, dtype=np.int32), ext, p, kT=1.0,
                                 viscosity=1.0, dt=1e-3, shear_rate=0.0, hydrodynamics="none",
                                 noise="cholesky", tolerance=1e-4, max_iterations=50, seed=3)
        it.set_wall_mobility(True)
        it.run(200)
        return it.positions

    before = _core.max_threads()
    try:
        _core.set_num_threads(1)
        one = wall_run(), aggregate(80, 1.0, 0.02, seed=4).positions
        _core.set_num_threads(2)
        two = wall_run(), aggregate(80, 1.0, 0.02, seed=4).positions
    finally:
        _core.set_num_threads(before)
    assert np.array_equal(one[0], two[0]) and np.array_equal(one[1], two[1])
