"""Calendering of spheroid (flake) packings, with agglomerate CBD and spring-back."""

import numpy as np
import pytest

from mesolith.micro import add_cbd, calender, pack_spheroids


@pytest.fixture(scope="module")
def flakes():
    ms = pack_spheroids(shape=(32, 32, 44), voxel_size=1e-6, mean_radius=3e-6,
                        aspect_ratio=0.4, orientation_kappa=10.0, am_fraction=0.35, seed=2)
    return add_cbd(ms, fraction=0.04, mode="agglomerate", seed=2)


def test_flakes_compress_with_rearrangement_and_spring_back(flakes):
    out = calender(flakes, thickness=34e-6, spring_back=0.3)
    m = out.metadata
    assert m["loaded_thickness_m"] == pytest.approx(34e-6)
    assert out.shape == (32, 32, 37)  # 34 + 0.3 * 10 = 37 voxels
    assert m["calendered_thickness_m"] == pytest.approx(37e-6)
    assert m["calender_max_overlap"] <= 0.05
    p = out.spheroids / np.r_[[1e-6] * 5, [1.0] * 3]
    h = np.sqrt(p[:, 3] ** 2 + (p[:, 4] ** 2 - p[:, 3] ** 2) * p[:, 7] ** 2)
    # Inside the walls up to the relaxation tolerance (5e-3 of the half-height).
    assert (p[:, 2] - h >= -5e-3 * h - 1e-9).all() and (p[:, 2] + h <= 37 + 5e-3 * h).all()
    # Orientations and sizes are untouched: only centres move.
    assert np.array_equal(p[:, 3:], (flakes.spheroids / np.r_[[1e-6] * 5, [1.0] * 3])[:, 3:])
    # CBD volume kept; AM volume kept to digitisation (~100 flakes, < 1 % measured; bound 3 %).
    assert np.count_nonzero(out.labels == 2) == np.count_nonzero(flakes.labels == 2)
    am0, am1 = np.count_nonzero(flakes.labels == 1), np.count_nonzero(out.labels == 1)
    assert am1 == pytest.approx(am0, rel=0.03)
    assert out.volume_fractions()["pore"] < flakes.volume_fractions()["pore"] - 0.05


def test_flakes_reject_a_gap_below_the_tallest_particle(flakes):
    with pytest.raises(ValueError, match="tallest particle"):
        calender(flakes, thickness=3e-6)
