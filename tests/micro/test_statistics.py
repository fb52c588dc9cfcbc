"""Through-thickness profiles and the two-point correlation against exact answers."""

import numpy as np
import pytest

from mesolith.micro import Microstructure, boolean_spheres
from mesolith.micro.statistics import profiles, two_point_correlation
from mesolith.validation.micro import boolean_porosity_std_given_count


def test_profiles_of_a_graded_volume():
    v = np.zeros((10, 10, 20), np.uint8)
    v[:, :, 10:] = 1
    v[:5, :, 15:] = 2
    p = profiles(Microstructure(v, 1e-6), slab=5)
    assert p.z.tolist() == pytest.approx([2.5e-6, 7.5e-6, 12.5e-6, 17.5e-6])
    assert p.fractions["pore"].tolist() == [1.0, 1.0, 0.0, 0.0]
    assert p.fractions["CBD"].tolist() == [0.0, 0.0, 0.0, 0.5]
    # Only the slab holding the AM-CBD plane x = 5 has that interface.
    assert p.specific_surface_area["AM-CBD"][3] > 0
    assert (p.specific_surface_area["AM-CBD"][:3] == 0).all()
    with pytest.raises(ValueError, match="slab = 1"):
        profiles(Microstructure(v, 1e-6), slab=1)


def test_two_point_correlation_of_boolean_spheres():
    # Pore phase of the Boolean model with N spheres of volume v in a periodic box V: two
    # points h apart are both uncovered with probability (1 - (2v - g(h)) / V)^N, g the
    # overlap volume; voxel-centre sampling makes this exact, so only sampling noise is left.
    # That noise is dominated by the global porosity fluctuation: dS2 ~ 2 eps d(eps), bound
    # at 4 standard deviations.
    n, r = 64, 6.0
    ms = boolean_spheres(shape=(n, n, n), voxel_size=1.0, mean_radius=r, porosity=0.5, seed=5)
    s2 = two_point_correlation(ms, phase=0, r_max=20.0)
    count, volume = len(ms.particles), float(n**3)
    v = 4 / 3 * np.pi * r**3
    # The lattice lags in each one-voxel bin, averaged like the estimate.
    g = np.indices((41, 41, 41)) - 20
    dist = np.sqrt((g**2).sum(axis=0)).ravel()
    bins = np.rint(dist).astype(int)
    h = np.minimum(dist, 2 * r)
    overlap = v * (1 - 3 * h / (4 * r) + h**3 / (16 * r**3))
    both = (1 - (2 * v - overlap) / volume) ** count
    expected = np.bincount(bins, weights=both) / np.bincount(bins)
    eps = ms.volume_fractions()["pore"]
    tol = 4 * 2 * eps * boolean_porosity_std_given_count(count, r, volume)
    assert s2.s2[0] == pytest.approx(eps)
    assert np.abs(s2.s2 - expected[: len(s2.s2)]).max() <= tol
    # Beyond 2r the points are independent: S2 -> eps^2 of the sample.
    assert s2.s2[-1] == pytest.approx(eps**2, abs=tol)


def test_non_periodic_correlation_starts_at_the_fraction():
    rng = np.random.default_rng(0)
    v = (rng.random((12, 10, 8)) < 0.3).astype(np.uint8)
    s2 = two_point_correlation(Microstructure(v, 1e-6), phase=1, periodic=False)
    assert s2.s2[0] == pytest.approx(np.mean(v == 1))
    assert s2.r[1] == pytest.approx(1e-6)


def test_distance_transform_is_exact():
    from scipy import ndimage

    from mesolith import _core

    rng = np.random.default_rng(0)
    mask = (rng.random((30, 25, 20)) < 0.9).astype(np.uint8)
    expected = ndimage.distance_transform_edt(mask) ** 2
    assert np.abs(_core.micro.squared_distance(mask) - expected).max() < 1e-9


def test_local_thickness_of_slabs_and_balls():
    from mesolith.micro import local_thickness, size_distribution

    slab = np.zeros((20, 20, 20), np.uint8)
    slab[:, :, 5:13] = 1  # 8 voxels thick: balls on voxel centres reach exactly 8
    t = local_thickness(Microstructure(slab, 1e-6), phase=1)
    assert np.allclose(t[slab == 1], 8e-6) and (t[slab == 0] == 0).all()
    # Digitised balls of radius 12 at random sub-voxel centres: the ball centred on the
    # nearest voxel centre is off by up to sqrt(3)/2 voxel, so the thickness is 2R - 0.9
    # on average (measured 23.15 +- 0.17 over offsets); bound: within 1.5 voxels of 2R.
    rng = np.random.default_rng(1)
    g = np.indices((52, 52, 52)) + 0.5
    for _ in range(3):
        c = 25 + rng.random(3)
        ball = (sum((g[a] - c[a]) ** 2 for a in range(3)) <= 144).astype(np.uint8)
        d = size_distribution(Microstructure(ball, 1.0), phase=1, bins=20)
        assert d.mean_diameter == pytest.approx(24.0, abs=1.5)
        assert d.cumulative[-1] == 1.0


def test_chord_lengths_exact_and_boolean_pores_geometric():
    from mesolith.micro import boolean_spheres, chord_lengths

    v = np.zeros((3, 2, 16), np.uint8)
    v[:, :, 3:7] = 1
    v[:, :, 14:] = 1  # cut by the box: left out unless the lines wrap
    ms = Microstructure(v, 1e-6)
    assert sorted(chord_lengths(ms, 1, axis=2) * 1e6) == pytest.approx([4.0] * 6)
    wrapped = sorted(chord_lengths(ms, 1, axis=2, periodic=True) * 1e6)
    assert wrapped == pytest.approx([2.0] * 6 + [4.0] * 6)
    # Pore chords of the Boolean model along a line are exponential with rate a = n pi r^2;
    # by memorylessness the number of voxel centres in a chord is geometric, mean
    # 1 / (1 - exp(-a)) voxels. The per-sample mean scatters by ~5 % (chords share spheres;
    # measured over 6 seeds), so the mean of 4 samples is bound at 4 x 2.5 % = 10 %.
    n, r, ratios = 64, 6.0, []
    for seed in range(4):
        b = boolean_spheres(shape=(n, n, n), voxel_size=1.0, mean_radius=r, porosity=0.5,
                            seed=seed)
        a = len(b.particles) / n**3 * np.pi * r * r
        chords = chord_lengths(b, phase=0, axis=seed % 3, periodic=True)
        ratios.append(chords.mean() * (1 - np.exp(-a)))
    assert np.mean(ratios) == pytest.approx(1.0, abs=0.10)


def test_chord_lengths_in_slabs_equal_one_pass(monkeypatch):
    from mesolith.micro import boolean_spheres, chord_lengths, statistics

    b = boolean_spheres(shape=(24, 20, 28), voxel_size=2e-6, mean_radius=6e-6, porosity=0.5,
                        seed=3)
    whole = {(axis, periodic): chord_lengths(b, 0, axis, periodic)
             for axis in range(3) for periodic in (False, True)}
    # slabs of 2-3 lines (and of one line, where a line is longer than the slab)
    for slab in (50, 7):
        monkeypatch.setattr(statistics, "CHORD_SLAB_VOXELS", slab)
        for (axis, periodic), expected in whole.items():
            np.testing.assert_array_equal(chord_lengths(b, 0, axis, periodic), expected)
