"""Calendering with elastic spring-back: thickness under load and after release."""

import numpy as np
import pytest

from mesolith.micro import add_cbd, calender, pack_spheres


@pytest.fixture(scope="module")
def electrode():
    return pack_spheres(shape=(32, 32, 48), voxel_size=1e-6, mean_radius=4e-6,
                        am_fraction=0.4, seed=6)


def test_spring_back_recovers_the_given_fraction_of_the_compression(electrode):
    res = calender(electrode, thickness=36e-6, spring_back=0.25)
    m = res.metadata
    assert m["uncalendered_thickness_m"] == pytest.approx(48e-6)
    assert m["loaded_thickness_m"] == pytest.approx(36e-6)
    # L_final = L_load + f (L0 - L_load) = 36 + 0.25 * 12 = 39 um (a whole number of voxels).
    assert m["calendered_thickness_m"] == pytest.approx(39e-6)
    assert m["spring_back"] == pytest.approx(0.25)
    assert res.shape == (32, 32, 39)
    p = res.particles / 1e-6
    # Particles inside the released box, overlaps within the accepted limit, volume kept.
    assert (p[:, 2] - p[:, 3] >= -1e-9).all() and (p[:, 2] + p[:, 3] <= 39 + 1e-9).all()
    assert m["calender_max_overlap"] <= 0.05
    assert np.sum(p[:, 3] ** 3) == pytest.approx(np.sum((electrode.particles / 1e-6)[:, 3] ** 3))
    # Released electrode is more porous than the one under load.
    loaded = calender(electrode, thickness=36e-6)
    assert loaded.shape == (32, 32, 36)
    assert res.volume_fractions()["pore"] > loaded.volume_fractions()["pore"] + 0.03


def test_spring_back_rounds_to_whole_voxels_and_keeps_the_cbd(electrode):
    ms = add_cbd(electrode, fraction=0.05, seed=2)
    res = calender(ms, thickness=36e-6, spring_back=0.2)
    # 36 + 0.2 * 12 = 38.4 -> 38 voxels; the effective spring-back is 2 / 12.
    assert res.shape[2] == 38
    assert res.metadata["spring_back"] == pytest.approx(2 / 12)
    assert np.count_nonzero(res.labels == 2) == np.count_nonzero(ms.labels == 2)


def test_spring_back_out_of_range_is_rejected(electrode):
    from mesolith.config.base import ConfigError

    with pytest.raises(ConfigError, match="spring_back"):
        calender(electrode, thickness=36e-6, spring_back=1.0)
