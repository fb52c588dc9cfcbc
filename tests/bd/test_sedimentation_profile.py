"""Sedimentation profile n(z): normalisation, species split, and the barometric slope."""

from __future__ import annotations

import numpy as np
import pytest

from mesolith.bd.analysis import sedimentation_profile


def test_profile_counts_every_particle_once_per_frame():
    rng = np.random.default_rng(1)
    traj = rng.uniform(0, 1e-5, size=(4, 50, 3))
    species = np.repeat([0, 1], 25)
    edges, n = sedimentation_profile(traj, species, area=1e-10, bins=10, z_range=(0, 1e-5))
    assert n.shape == (2, 10)
    per_frame = n.sum(axis=1) * 1e-10 * (edges[1] - edges[0])
    np.testing.assert_allclose(per_frame, [25, 25])


def test_exponential_heights_give_the_barometric_length():
    # heights drawn from the barometric law with l = 0.5 um; the fitted slope of ln n(z)
    # has a relative standard error of about 1/sqrt(N) ~ 0.3 % for 1e5 heights.
    rng = np.random.default_rng(7)
    l_g, count = 0.5e-6, 100_000
    traj = np.zeros((1, count, 3))
    traj[0, :, 2] = rng.exponential(l_g, count)
    edges, n = sedimentation_profile(traj, np.zeros(count, int), area=1e-9, bins=30,
                                     z_range=(0, 4 * l_g))
    centres = 0.5 * (edges[1:] + edges[:-1])
    slope = np.polyfit(centres, np.log(n[0]), 1, w=np.sqrt(n[0]))[0]
    assert -1 / slope == pytest.approx(l_g, rel=0.02)


@pytest.mark.parametrize("species, area, match", [
    (np.zeros(3), 1.0, "species"),
    (np.array([0, -1, 0]), 1.0, "species"),
    (np.zeros(3, int), 0.0, "area"),
    (np.zeros(3, int), np.nan, "area"),
])
def test_bad_arguments_name_the_field(species, area, match):
    with pytest.raises(ValueError, match=match):
        sedimentation_profile(np.zeros((1, 3, 3)), species, area)
