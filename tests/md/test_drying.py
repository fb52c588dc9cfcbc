"""Drying runs: outputs, conservation, mass balance, configuration errors."""

import numpy as np
import pytest

pytest.importorskip("openmm")
pytest.importorskip("MDAnalysis")

from mesolith.config.base import ConfigError  # noqa: E402
from mesolith.md import DryingConfig, DryingSimulation, preset  # noqa: E402
from mesolith.md.slurry import build_slurry  # noqa: E402

SMALL = dict(n_am=20, box_xy=18e-6, steps=8000, relax_steps=1000, report_interval=100,
             trajectory_interval=1000, seed=3)


@pytest.fixture(scope="module")
def dried(tmp_path_factory):
    sim = DryingSimulation(preset("nmp_pvdf", **SMALL), tmp_path_factory.mktemp("dry"))
    return sim.run(progress=False)


def test_config_errors_name_field_value_and_range():
    with pytest.raises(ConfigError, match=r"md\.temperature = -5.0: must be > 0"):
        DryingSimulation({"temperature": -5.0})
    with pytest.raises(ConfigError, match="chemistry.w_am_am"):
        DryingConfig.from_dict({"chemistry": {"w_am_am": 0.0}})
    with pytest.raises(ConfigError, match="unknown key"):
        DryingConfig.from_dict({"solvent": "water"})
    with pytest.raises(ValueError, match="box_xy"):
        DryingConfig(box_xy=5e-6)


def test_presets_differ_only_in_chemistry():
    nmp, water = preset("nmp_pvdf"), preset("water_cmc_sbr")
    a, b = nmp.model_dump(), water.model_dump()
    assert {k for k in a if a[k] != b[k]} == {"preset", "chemistry"}
    assert water.chemistry.w_am_am < nmp.chemistry.w_am_am
    assert water.chemistry.w_am_cc < nmp.chemistry.w_am_cc


def test_same_seed_same_slurry_other_seed_differs():
    cfg = preset("nmp_pvdf", **SMALL)
    a, b = build_slurry(cfg), build_slurry(cfg)
    assert np.array_equal(a.positions, b.positions) and np.array_equal(a.diameter, b.diameter)
    c = build_slurry(cfg, seed=4)
    assert not np.array_equal(a.positions, c.positions)


def test_initial_slurry_has_no_overlaps_and_target_solids_fraction():
    s = build_slurry(preset("nmp_pvdf", **SMALL))
    d = s.positions[:, None, :] - s.positions[None, :, :]
    d[..., :2] -= s.box_xy * np.round(d[..., :2] / s.box_xy)
    gap = np.linalg.norm(d, axis=-1) - 0.5 * (s.diameter[:, None] + s.diameter[None, :])
    np.fill_diagonal(gap, np.inf)
    assert gap.min() >= 0
    assert s.solid_volume() / (s.box_xy**2 * s.height) == pytest.approx(0.22, rel=1e-12)


def test_film_shrinks_and_solids_are_conserved(dried):
    rec = dried._film.record
    h0 = dried.slurry.height
    assert dried.thickness[0] == pytest.approx(h0 * 1e-6, rel=0.02)
    # the film ends well below half its wet thickness (solids fraction 0.22 -> ~0.6)
    assert dried.final_thickness < 0.5 * h0 * 1e-6
    # every bead stays inside the film: the dry solid mass never changes
    total = dried.slurry.mass.sum()
    assert np.all(np.asarray(rec.solid_mass) == total)
    assert 0.3 < dried.final_porosity < 0.6


def test_final_thickness_agrees_with_mass_balance_and_voxel_porosity(dried):
    ms = dried.to_microstructure(0.1e-6)
    eps = ms.volume_fractions()["pore"]
    v_solid = dried.slurry.solid_volume() * 1e-18  # m^3
    predicted = v_solid / (dried.box_xy**2 * (1 - eps))
    # Voxel centres sample each sphere's volume with a relative error ~ (h/R)^2 ~ 2 % for
    # the 0.75 um CBD beads at h = 0.1 um, averaging down over ~130 beads; contacts
    # overlap by < 0.02 um. 1.5 % covers both.
    assert dried.final_thickness == pytest.approx(predicted, rel=0.015)
    assert eps == pytest.approx(dried.final_porosity, abs=0.01)
    assert set(np.unique(ms.labels)) == {0, 1, 2}


def test_outputs_trajectory_and_files(dried):
    out = dried.output_dir
    for name in ("drying.dcd", "drying.pdb", "particles.vtp"):
        assert (out / name).stat().st_size > 0
    u = dried.trajectory
    assert u.atoms.n_atoms == dried.slurry.n
    assert len(u.trajectory) == (SMALL["steps"] + SMALL["relax_steps"]) // 1000
    u.trajectory[-1]
    # DCD Angstrom = 0.1 um; the final frame is the final state
    np.testing.assert_allclose(u.atoms.positions[:, 2] * 1e-7, dried.positions[:, 2], atol=1e-9)
    assert set(u.atoms.names) == {"AM", "CBD"}
    vtp = (out / "particles.vtp").read_text()
    assert f'NumberOfPoints="{dried.slurry.n}"' in vtp


def test_save_writes_results(dried, tmp_path):
    from mesolith.io import read_results

    path = dried.save(tmp_path / "drying.h5")
    res = read_results(path)
    np.testing.assert_allclose(res["drying/thickness"], dried.thickness)
    assert res["beads/positions"].shape == (dried.slurry.n, 3)


def test_results_before_run_raise():
    sim = DryingSimulation(preset("nmp_pvdf", **SMALL))
    with pytest.raises(RuntimeError, match="run"):
        sim.final_thickness  # noqa: B018


def test_analyses_read_the_engine_trajectory(dried):
    from mesolith.analysis import Contacts, DensityProfile, FilmThickness

    u = dried.trajectory
    thick = FilmThickness(u.atoms).run().results.thickness
    # last frame = final state, CBD dry (the PDB radii are dry radii); the PDB stores
    # diameters to 0.01 A = 1 nm, i.e. ~1e-4 of a micrometre-sized bead
    assert thick[-1] == pytest.approx(dried.final_thickness, rel=1e-4)
    prof = DensityProfile(u.atoms, bins=40, zmin=-5.0, zmax=200.0).run(start=-1).results
    dz = np.diff(prof.edges)
    v_am = float(np.sum(prof.volume_fraction["AM"] * dz)) * dried.box_xy**2
    am = dried.slurry.types == 0
    # diameters rounded to 1 nm in the PDB: volumes to ~3 x 1e-4
    assert v_am == pytest.approx(np.sum(np.pi / 6 * dried.diameters[am] ** 3), rel=1e-3)
    contacts = Contacts(u.atoms).run(start=-1).results
    assert contacts.am_am[0] > 0 and contacts.am_cc[0] > 0


def test_two_threads_agree_statistically_with_one():
    # (bit-identical repeats with deterministic = true: tests/md/test_platform.py)
    def run(threads, seed=3):
        cfg = preset("nmp_pvdf", **{**SMALL, "threads": threads, "platform": "CPU",
                                    "seed": seed})
        return DryingSimulation(cfg).run(progress=False)

    one = run(1)
    # Two threads: OpenMM's CPU platform draws Langevin noise per thread and sums forces
    # in thread order, so the trajectory differs (chaotically) from the one-thread run.
    # The dried film must agree statistically: seed-to-seed porosity scatter of films
    # this size is ~0.007 (sd over 4 seeds), so 0.03 is > 4 sd.
    two = run(2)
    assert abs(two.final_porosity - one.final_porosity) < 0.03


def test_drying_starts_from_given_beads():
    from mesolith.md.slurry import slurry_from_beads

    cfg = preset("nmp_pvdf", **{**SMALL, "steps": 500, "relax_steps": 0})
    ref = build_slurry(cfg)
    beads = slurry_from_beads(cfg, ref.positions * 1e-6, ref.diameter * 1e-6, ref.types,
                              ref.box_xy * 1e-6)
    np.testing.assert_allclose(beads.mass, ref.mass, rtol=1e-12)
    assert beads.height <= ref.height + 1e-9
    sim = DryingSimulation(cfg, slurry=beads).run(progress=False)
    assert sim.final_thickness < beads.height * 1e-6
    with pytest.raises(ValueError, match="above the collector"):
        slurry_from_beads(cfg, ref.positions * 1e-6 - [0, 0, 1e-5], ref.diameter * 1e-6,
                          ref.types, ref.box_xy * 1e-6)
