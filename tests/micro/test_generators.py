"""Generators: Boolean statistics, dense packing, CBD placement, determinism, config errors."""

import numpy as np
import pytest
from scipy.spatial import cKDTree

from mesolith import _core
from mesolith.config.base import ConfigError
from mesolith.micro import add_cbd, boolean_spheres, calender, pack_spheres
from mesolith.validation.micro import (
    boolean_porosity_given_count,
    boolean_porosity_std_given_count,
)


@pytest.fixture
def threads():
    before = _core.max_threads()
    yield _core.set_num_threads
    _core.set_num_threads(before)


@pytest.mark.parametrize("seed", [11, 12])
def test_boolean_porosity_matches_the_model(seed):
    # Given the sphere count N, E[eps] = (1 - v/V)^N exactly (voxel-centre sampling of a
    # random set is unbiased); the tolerance is 4 standard deviations from the Boolean
    # covariance at fixed N (validation.micro.boolean_porosity_std_given_count).
    n, r = 64, 6.0
    ms = boolean_spheres(shape=(n, n, n), voxel_size=1e-6, mean_radius=r * 1e-6,
                         porosity=0.4, seed=seed)
    count = len(ms.particles)
    expected = boolean_porosity_given_count(count, r, n**3)
    std = boolean_porosity_std_given_count(count, r, n**3)
    assert ms.volume_fractions()["pore"] == pytest.approx(expected, abs=4 * std)
    # The count itself is Poisson with mean ln(1/0.4) V / v: within 4 sqrt(mean).
    mean = np.log(1 / 0.4) * n**3 / (4 / 3 * np.pi * r**3)
    assert abs(count - mean) <= 4 * np.sqrt(mean)


def _packing(**kw):
    cfg = dict(shape=(40, 40, 40), voxel_size=1e-6, mean_radius=4e-6, radius_log_sigma=0.25,
               am_fraction=0.6, seed=4)
    cfg.update(kw)
    seed = cfg.pop("seed")
    return pack_spheres(seed=seed, **cfg)


def test_packing_reaches_060_without_overlaps():
    ms = _packing()
    p = ms.particles / ms.voxel_size
    # Sphere volume equals the target by construction; the voxelised fraction differs only by
    # digitisation of ~100 spheres of radius ~4 voxels (measured < 0.2 %), bound 0.01.
    assert ms.metadata["sphere_fraction"] == pytest.approx(0.6, rel=1e-12)
    assert ms.volume_fractions()["AM"] == pytest.approx(0.6, abs=0.01)
    # Overlaps below the tolerance (2e-3 of the smaller radius), x/y periodic, walls in z.
    tree = cKDTree(p[:, :3] % [40, 40, 1e9], boxsize=[40, 40, 1e9 + 1])
    pairs = tree.query_pairs(2 * p[:, 3].max(), output_type="ndarray")
    d = p[pairs[:, 0], :3] - p[pairs[:, 1], :3]
    d[:, :2] -= 40 * np.round(d[:, :2] / 40)
    gap = np.linalg.norm(d, axis=1) - p[pairs[:, 0], 3] - p[pairs[:, 1], 3]
    smaller = np.minimum(p[pairs[:, 0], 3], p[pairs[:, 1], 3])
    assert (gap >= -2.01e-3 * smaller).all()
    assert (p[:, 2] - p[:, 3] >= -1e-9).all() and (p[:, 2] + p[:, 3] <= 40 + 1e-9).all()
    # Log-normal radii: sample sd of ln r near 0.25 (truncated at 2.5 sigma).
    assert np.std(np.log(p[:, 3])) == pytest.approx(0.25, abs=0.06)


def test_generators_bit_identical_for_one_and_two_threads(threads):
    out = []
    for n in (1, 2):
        threads(n)
        ms = add_cbd(_packing(shape=(32, 32, 32), am_fraction=0.5), fraction=0.08, seed=3)
        b = boolean_spheres(shape=(32, 32, 32), voxel_size=1e-6, mean_radius=3e-6,
                            radius_log_sigma=0.3, seed=9)
        out.append((ms, b))
    (a1, b1), (a2, b2) = out
    assert np.array_equal(a1.labels, a2.labels) and np.array_equal(a1.particles, a2.particles)
    assert np.array_equal(b1.labels, b2.labels) and np.array_equal(b1.particles, b2.particles)


def _surface_distances(ms, voxels):
    """Distances (voxels) from voxel centres to the nearest two particle surfaces."""
    p = ms.particles / ms.voxel_size
    c = voxels + 0.5
    d = c[:, None, :] - p[None, :, :3]
    d[..., :2] -= ms.shape[0] * np.round(d[..., :2] / ms.shape[0])
    s = np.sort(np.linalg.norm(d, axis=2) - p[None, :, 3], axis=1)
    return s[:, 0], s[:, 1]


def test_cbd_fraction_and_modes():
    base = _packing(shape=(32, 32, 32), am_fraction=0.5)
    bridge = add_cbd(base, fraction=0.1, mode="bridge", seed=1)
    film = add_cbd(base, fraction=0.1, mode="film", seed=1)
    for ms in (bridge, film):
        assert np.count_nonzero(ms.labels == 2) == round(0.1 * ms.labels.size)
        assert np.array_equal(ms.labels == 1, base.labels == 1)  # AM untouched
    rng = np.random.default_rng(0)

    def sample(ms):
        idx = np.argwhere(ms.labels == 2)
        return _surface_distances(ms, idx[rng.choice(len(idx), 400, replace=False)])

    b1, b2 = sample(bridge)
    f1, f2 = sample(film)
    # Bridges sit where two surfaces are close (necks); films hug single surfaces.
    assert np.mean(b1 + b2) < np.mean(f1 + f2)
    assert np.mean(f1) < np.mean(b1)


def test_cbd_needs_room_and_particles():
    ms = _packing(shape=(24, 24, 24), am_fraction=0.5, mean_radius=3e-6)
    with pytest.raises(ValueError, match="exceeds the pore fraction"):
        add_cbd(ms, fraction=0.6)
    with pytest.raises(ConfigError, match="mode"):
        add_cbd(ms, mode="glue")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"am_fraction": 0.8}, "am_fraction = 0.8: must be <= 0.66"),
    ({"voxel_size": -1.0}, "voxel_size = -1.0: must be > 0 m"),
    ({"mean_radius": 30e-6}, "does not fit between the walls"),
    ({"shape": (2, 40, 40)}, "shape.0 = 2: must be >= 4"),
])
def test_packing_config_errors_name_field_value_and_range(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        _packing(**kwargs)


def test_calendering_to_a_porosity_moves_particles_and_keeps_volumes():
    ms = add_cbd(_packing(shape=(32, 32, 48), am_fraction=0.45, mean_radius=3e-6), fraction=0.05,
                 seed=2)
    before = ms.volume_fractions()
    cal = calender(ms, porosity=0.40)
    after = cal.volume_fractions()
    nz = cal.shape[2]
    # Target thickness from conserved AM + CBD volume: (V_AM + V_CBD) / (A (1 - 0.40)).
    solid = (before["AM"] + before["CBD"]) * 48
    assert nz == round(solid / 0.6)
    assert cal.metadata["calendered_thickness_m"] == pytest.approx(nz * 1e-6)
    # Rearrangement, not resampling: centres moved in x/y too, overlaps stay small, particles
    # sit between the new walls, and the porosity lands near the target (voxelisation of
    # slightly overlapping spheres loses a little AM volume: bound 0.02).
    p0, p1 = ms.particles / 1e-6, cal.particles / 1e-6
    assert np.abs(p1[:, :2] - p0[:, :2]).max() > 0.1
    assert cal.metadata["calender_max_overlap"] <= 0.05
    assert (p1[:, 2] - p1[:, 3] >= -1e-9).all() and (p1[:, 2] + p1[:, 3] <= nz + 1e-9).all()
    assert after["pore"] == pytest.approx(0.40, abs=0.02)
    assert np.count_nonzero(cal.labels == 2) == np.count_nonzero(ms.labels == 2)


def test_calendering_rejects_impossible_targets():
    ms = _packing(shape=(24, 24, 32), am_fraction=0.5, mean_radius=3e-6)
    with pytest.raises(ConfigError, match="exactly one of thickness"):
        calender(ms)
    with pytest.raises(ValueError, match="must lie between the largest particle diameter"):
        calender(ms, thickness=40e-6)
    with pytest.raises(ValueError, match="overlap_limit"):
        calender(ms, porosity=0.15)


def test_bulk_monodisperse_packing_reaches_random_close_packing():
    # Periodic along z too (no walls): equal spheres reach 0.63 (random close packing is
    # 0.63-0.64; the validation case shows 0.65 jams).
    ms = pack_spheres(shape=(40, 40, 40), voxel_size=1.0, mean_radius=4.0, radius_log_sigma=0.0,
                      am_fraction=0.63, walls=False, seed=1)
    assert ms.metadata["sphere_fraction"] == pytest.approx(0.63, rel=1e-12)
    assert ms.metadata["max_overlap"] <= 2e-3
    # Voxel-centre sampling of ~150 spheres of radius 4: digitisation error well under 0.01.
    assert ms.volume_fractions()["AM"] == pytest.approx(0.63, abs=0.01)
