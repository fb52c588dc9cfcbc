"""The trajectory analyses run on the Brownian-dynamics engine's DCD + PDB, and agree with
the same quantities computed directly from the simulation's own frames."""

from __future__ import annotations

import numpy as np
import pytest

from mesolith import bd

mda = pytest.importorskip("MDAnalysis")

ANGSTROM = 1e-10
pytestmark = [
    # coarse-grained beads have no chemical element; MDAnalysis says so, which is expected
    pytest.mark.filterwarnings("ignore:Element information is missing:UserWarning"),
]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    cfg = {"species": [{"name": "NMC", "preset": "nmc", "count": 12, "radius": 0.4e-6},
                       {"name": "CB", "preset": "carbon_black", "count": 30}],
           "box": (5e-6, 5e-6, 5e-6), "dt": 1e-6, "save_every": 10, "hydrodynamics": "none"}
    sim = bd.Simulation(cfg, seed=11).run(40, progress=False)
    path = sim.write_dcd(tmp_path_factory.mktemp("bd") / "slurry.dcd")
    u = bd.trajectory.universe(path.with_suffix(".pdb"), path)
    return sim, u


def test_topology_carries_species_names_radii_and_box(run):
    sim, u = run
    names = np.array(sim.species_names)[sim.species]
    assert list(u.atoms.names) == list(names)
    np.testing.assert_allclose(u.atoms.radii * ANGSTROM, sim.radii, rtol=1e-8)
    assert len(u.trajectory) == len(sim.trajectory)
    for _ in u.trajectory:
        np.testing.assert_allclose(u.dimensions[:3] * ANGSTROM, sim.config.box, rtol=1e-6)


def test_film_thickness_is_the_highest_particle_top(run):
    from mesolith.analysis import FilmThickness

    sim, u = run
    got = FilmThickness(u.atoms, length_unit=ANGSTROM).run().results.thickness
    want = (sim.trajectory[:, :, 2] + sim.radii).max(axis=1)
    # float32 DCD coordinates: relative rounding ~6e-8 of the coordinate
    np.testing.assert_allclose(got, want, rtol=1e-6)


def _direct_contacts(frame, radii, box, tol):
    d = frame[:, None, :] - frame[None, :, :]
    d[..., :2] -= box[:2] * np.round(d[..., :2] / box[:2])  # periodic in x and y
    d[..., 2] -= box[2] * np.round(d[..., 2] / box[2])
    gap = np.linalg.norm(d, axis=-1) - (radii[:, None] + radii[None, :])
    iu = np.triu_indices(len(radii), 1)
    return 2.0 * np.count_nonzero(gap[iu] < tol) / len(radii)


def test_contact_numbers_match_a_direct_pair_count(run):
    from mesolith.analysis import Contacts

    sim, u = run
    tol = 0.2e-6  # generous, so the count is not zero in a dilute slurry
    res = Contacts(u.atoms, am_name="NMC", tolerance=tol / ANGSTROM,
                   length_unit=ANGSTROM).run().results
    am = sim.species == sim.species_names.index("NMC")
    box = np.asarray(sim.config.box)
    for f, frame in enumerate(sim.trajectory):
        want = _direct_contacts(frame[am], sim.radii[am], box, tol)
        assert res.am_am[f] == pytest.approx(want)
    assert res.am_am.max() > 0  # the check above compares real contacts


def test_density_profile_integrates_to_the_particle_volume(run):
    from mesolith.analysis import DensityProfile

    sim, u = run
    prof = DensityProfile(u.atoms, species=("NMC", "CB"), bins=40,
                          length_unit=ANGSTROM).run(start=-1).results
    lx, ly, _ = sim.config.box
    dz = np.diff(prof.edges)
    for k, name in enumerate(sim.species_names):
        radii = sim.radii[sim.species == k]
        volume = prof.volume_fraction[name] @ dz * lx * ly
        assert volume == pytest.approx(np.sum(4 / 3 * np.pi * radii**3), rel=1e-3)


def test_rdf_and_coverage_run_on_bd_species(run):
    from mesolith.analysis import RDF, CBDCoverage

    sim, u = run
    am, cb = u.select_atoms("name NMC"), u.select_atoms("name CB")
    rdf = RDF(am, cb, nbins=20, range=(0, 20_000), length_unit=ANGSTROM).run().results
    assert rdf.rdf.shape == (20,) and np.all(np.isfinite(rdf.rdf))
    cov = CBDCoverage(u.atoms, am_name="NMC", cbd_name="CB",
                      length_unit=ANGSTROM).run(start=-1).results
    assert 0.0 <= cov.coverage[0] <= 1.0
