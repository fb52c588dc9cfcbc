"""Analyses on synthetic trajectories whose answers are known in closed form."""

import numpy as np
import pytest

pytest.importorskip("MDAnalysis")

from mesolith.analysis import RDF, CBDCoverage, Contacts, DensityProfile, FilmThickness  # noqa: E402
from mesolith.analysis.density import sphere_slab_volume  # noqa: E402

BOX = (100.0, 100.0, 200.0)


def test_film_thickness_follows_the_highest_bead_top(universe_factory):
    # a bead descending from z = 50 to 20 while another sits at 10: top = z + r
    frames = [[[10, 10, 50], [60, 60, 10]], [[10, 10, 20], [60, 60, 10]]]
    u = universe_factory(["AM", "CBD"], [5.0, 8.0], frames, BOX)
    res = FilmThickness(u.atoms, length_unit=1e-7).run().results
    np.testing.assert_allclose(res.thickness, [55e-7, 25e-7], rtol=1e-6)


def test_sphere_slab_volume_integrates_to_the_sphere():
    edges = np.linspace(-3, 3, 31)
    v = sphere_slab_volume(np.array([[0.4]]), np.array([[2.0]]), edges[None, :-1], edges[None, 1:])
    assert v.sum() == pytest.approx(4 / 3 * np.pi * 8, rel=1e-12)
    # a slab through the centre of thickness 2t holds pi (r^2 2t - 2t^3/3)
    mid = sphere_slab_volume(0.0, 2.0, -0.5, 0.5)
    assert mid == pytest.approx(np.pi * (4 - 1 / 12), rel=1e-12)


def test_density_profile_of_a_layer_of_touching_spheres(universe_factory):
    # a square layer of spheres r = 5 at spacing 10 centred at z = 5: solid fraction
    # pi/6 over the layer; per-slab profile pi (r^2 - (z - 5)^2) / 100
    g = (np.arange(10) + 0.5) * 10
    xy = np.array([(x, y) for x in g for y in g])
    pos = np.column_stack([xy, np.full(len(xy), 5.0)])
    u = universe_factory(["AM"] * len(pos), [5.0] * len(pos), [pos], BOX)
    res = DensityProfile(u.atoms, species=("AM",), bins=10, zmin=0, zmax=10).run().results
    phi = res.volume_fraction["AM"]
    assert phi.mean() == pytest.approx(np.pi / 6, rel=1e-6)
    assert phi[5] == pytest.approx(np.pi * (25 - 1 / 3 * (1.0**3 - 0.0)) / 100, rel=1e-5)
    np.testing.assert_allclose(res.edges[[0, -1]], [0, 10e-7])


def test_contacts_on_a_known_arrangement(universe_factory):
    # a periodic chain along x (spacing 10 = touching r = 5): 2 contacts each; one bead
    # lifted 3 units off the chain line loses both contacts; collector contacts: beads
    # with z - r < tolerance
    pos = [[5 + 10 * i, 50, 5.0] for i in range(10)]
    pos[4][2] = 5.0 + 3.0  # lifted: gaps to neighbours sqrt(100 + 9) - 10 = 0.44 < 0.5
    pos[7][1] = 56.0  # shifted sideways: gap sqrt(136) - 10 = 1.66 > 0.5
    u = universe_factory(["AM"] * 10, [5.0] * 10, [pos], (100.0, 100.0, 200.0))
    res = Contacts(u.atoms, tolerance=0.5).run().results
    # contacts: chain of 10 pairs minus the two touching bead 7 -> 8 pairs -> 1.6 each
    assert res.am_am[0] == pytest.approx(2 * 8 / 10)
    assert res.am_cc[0] == 9  # bead 4 sits 3 units up
    assert res.am_cc_fraction[0] == pytest.approx(0.9)


def test_cbd_coverage_equals_the_spherical_cap_fraction(universe_factory):
    r_am, r_c, shell = 10.0, 3.0, 1.0
    d = r_am + r_c  # touching
    pos = [[50, 50, 50], [50 + d, 50, 50]]
    u = universe_factory(["AM", "CBD"], [r_am, r_c], [pos], BOX)
    res = CBDCoverage(u.atoms, shell=shell, n_points=20000).run().results
    cos_t = (r_am**2 + d**2 - (r_c + shell) ** 2) / (2 * r_am * d)
    # golden-spiral points integrate a cap to ~1/n_points
    assert res.coverage[0] == pytest.approx((1 - cos_t) / 2, abs=5e-4)


def test_rdf_of_uniform_random_points_is_one(universe_factory):
    rng = np.random.default_rng(1)
    frames = rng.uniform(0, 100, size=(8, 2000, 3))
    u = universe_factory(["AM"] * 2000, [0.0] * 2000, frames, (100.0, 100.0, 100.0))
    res = RDF(u.atoms, u.atoms, nbins=10, range=(5, 25)).run().results
    # the smallest shell holds ~1,800 distinct pairs per frame, ~15,000 over 8 frames:
    # Poisson relative error ~0.8 %, so 4 % is ~5 sigma
    np.testing.assert_allclose(res.rdf, 1.0, atol=0.04)


def test_rdf_of_a_simple_cubic_lattice_peaks_at_the_spacing(universe_factory):
    g = np.arange(10) * 10.0 + 5
    pos = np.array(np.meshgrid(g, g, g, indexing="ij")).reshape(3, -1).T
    u = universe_factory(["AM"] * len(pos), [0.0] * len(pos), [pos], (100.0, 100.0, 100.0))
    res = RDF(u.atoms, u.atoms, nbins=24, range=(0.25, 12.25), length_unit=1.0).run().results
    # 6 neighbours at distance 10 -> all weight in the bin [9.75, 10.25), none elsewhere
    peak = res.bins[np.argmax(res.rdf)]
    assert peak == pytest.approx(10.0)
    assert np.count_nonzero(res.rdf) == 1
    shell = 4 / 3 * np.pi * (10.25**3 - 9.75**3)
    assert res.rdf.max() == pytest.approx(6 / (len(pos) / 1e6 * shell), rel=0.01)
