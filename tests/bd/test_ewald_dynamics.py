"""Brownian dynamics with the dense periodic (Ewald) RPY mobility: hydrodynamics = 'ewald'."""

import numpy as np
import pytest

from mesolith import _core, bd
from mesolith.config.base import ConfigError

A = 1e-6  # m


def _config(**extra):
    cfg = {"species": [{"name": "small", "radius": A, "density": 1000.0, "count": 6},
                       {"name": "large", "radius": 2 * A, "density": 1000.0, "count": 3}],
           "viscosity": 1e-3, "dt": 0.02, "dlvo": False, "hydrodynamics": "ewald",
           "box": (16e-6,) * 3, "save_every": 5}
    cfg.update(extra)
    return cfg


def test_mixture_self_diffusion_follows_hasimoto_per_species():
    """Short run (600 steps): each species' D/D0 within 4 standard errors (about 5 %) of
    Hasimoto's value for its own radius (0.82 and 0.65, both far from free space)."""
    from mesolith.validation import bd as v

    for radius, expected, measured, se, used in v.measure_ewald_mixture_diffusion(3, 600):
        assert used > 500  # nearly every step starts force-free in this dilute mixture
        assert se < 0.03
        assert abs(measured - expected) < 4 * se, (radius, expected, measured, se)
        assert 1 - measured > 4 * se  # distinguishable from the free-space D0


@pytest.mark.slow
def test_mixture_self_diffusion_follows_hasimoto_per_species_long():
    from mesolith.validation import bd as v

    rows = v.ewald_mixture_rows(seed=5, steps=20_000)
    assert len(rows) == 2
    for row in rows:
        # tolerance = 4 standard errors of the per-step species means (about 0.5 %)
        assert row.tolerance < 0.01
        assert row.passed, (row.quantity, row.expected, row.measured, row.tolerance)


def test_restart_is_bit_for_bit_and_thread_independent(tmp_path):
    full = bd.Simulation(_config(), seed=4).run(10, progress=False)
    assert full.noise_method == "cholesky"
    half = bd.Simulation(_config(), seed=4).run(5, progress=False)
    half.checkpoint(tmp_path / "c.h5")
    resumed = bd.Simulation.restart(tmp_path / "c.h5").run(5, progress=False)
    np.testing.assert_array_equal(full.positions, resumed.positions)
    before = _core.max_threads()
    try:
        _core.set_num_threads(1)
        one = bd.Simulation(_config(), seed=4).run(10, progress=False)
        _core.set_num_threads(2)
        two = bd.Simulation(_config(), seed=4).run(10, progress=False)
    finally:
        _core.set_num_threads(before)
    np.testing.assert_array_equal(one.positions, two.positions)
    np.testing.assert_array_equal(one.positions, full.positions)


def test_noise_covariance_is_the_periodic_mobility():
    """Force-free steps from one configuration: the sample covariance of the displacements
    is 2 kT dt M (Cholesky sampler), within the sampling error of K draws."""
    from mesolith.bd.ewald_dynamics import EwaldIntegrator

    x = np.array([[1.0, 1.0, 1.0], [4.6, 1.2, 1.0], [1.0, 4.0, 4.5]])  # gaps > 0.5
    radii = np.array([1.0, 2.0, 0.7])
    p = _core.bd.ForceParams()
    k, dt = 4000, 1e-3
    eng = EwaldIntegrator(x, radii, np.zeros(3, np.int32), np.zeros((3, 3)), p, kT=1.0,
                          viscosity=1.0, dt=dt, box=9.0, seed=2)
    assert not eng.forces(x)[0].any()  # pure noise
    m = eng.mobility_matrix()
    samples = np.empty((k, 9))
    for step in range(k):
        eng._x[:] = x  # every step from the same start
        eng.step = step
        eng.run(1)
        samples[step] = (eng.positions - x).ravel()
    cov = samples.T @ samples / k / (2 * dt)
    # entry-wise standard error of a sample covariance: sqrt((M_ii M_jj + M_ij^2) / K)
    se = np.sqrt((np.outer(np.diag(m), np.diag(m)) + m**2) / k)
    assert np.abs(cov - m).max() < 5 * se.max()


@pytest.mark.parametrize(("extra", "message"), [
    ({"box": (16e-6, 16e-6, 8e-6)}, "cubic periodic box"),
    ({"wall": True}, "wall = True"),
    ({"shear_rate": 10.0}, "shear_rate = 10.0 1/s must be 0"),
    ({"noise": "lanczos"}, "noise = 'lanczos' is not available"),
    ({"species": [{"name": "S", "radius": 1e-7, "density": 1e3, "count": 1001}]},
     "1001 particles is more than 1000"),
])
def test_config_refuses_what_ewald_does_not_model(extra, message):
    with pytest.raises(ConfigError, match=message):
        bd.BDConfig.from_dict(_config(**extra), source="r.toml", prefix="bd")


def test_binder_bonds_and_boxes_smaller_than_a_sphere_are_refused():
    binder = _config(species=[{"name": "B", "preset": "cmc", "count": 4}], box=(2e-6,) * 3)
    with pytest.raises(ValueError, match="binder bonds"):
        bd.Simulation(binder, positions=np.full((4, 3), 1e-6) * np.arange(1, 5)[:, None],
                      seed=1)
    small = _config(species=[{"name": "S", "radius": 1e-6, "density": 1e3, "count": 1}],
                    box=(1.5e-6,) * 3)
    with pytest.raises(ConfigError, match="must be > 2 x the largest radius"):
        bd.Simulation(small, positions=[[0.7e-6, 0.7e-6, 0.7e-6]], seed=1)


def test_memory_is_checked_before_the_dense_matrix(monkeypatch):
    monkeypatch.setenv("MESOLITH_MEMORY_LIMIT", "1M")
    cfg = _config(species=[{"name": "S", "radius": 1e-7, "density": 1e3, "count": 500}],
                  box=(20e-6,) * 3)
    with pytest.raises(MemoryError, match="dense 3N x 3N mobility"):
        bd.Simulation(cfg, seed=1)
