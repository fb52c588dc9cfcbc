"""properties() result object, volume files (vti, TIFF, raw) and the micro recipe stage."""

import math

import numpy as np
import pytest

from mesolith.config.recipe import parse_recipe
from mesolith.io import read_results
from mesolith.micro import Microstructure, add_cbd, pack_spheres, properties
from mesolith.micro.volume_io import read_raw, read_tiff, read_vti, write_tiff, write_vti
from mesolith.pipeline.stages import run_recipe


@pytest.fixture(scope="module")
def electrode():
    ms = pack_spheres(shape=(32, 32, 40), voxel_size=0.5e-6, mean_radius=2e-6,
                      radius_log_sigma=0.2, am_fraction=0.5, seed=7)
    return add_cbd(ms, fraction=0.08, seed=7)


def test_properties_every_number_consistent(electrode):
    p = properties(electrode, axes=(0, 2), tol=1e-7, conductivities={0: 1.0, 1: 10.0, 2: 5.0})
    fr = p.volume_fractions
    assert fr["pore"] + fr["AM"] + fr["CBD"] == pytest.approx(1.0)
    assert fr["CBD"] == pytest.approx(0.08, abs=1 / electrode.labels.size)
    assert p.porosity == pytest.approx(fr["pore"])
    assert p.connected_porosity <= p.porosity
    t = p.tortuosity["z"]
    assert t.tau_factor == pytest.approx(t.porosity / t.relative_diffusivity)
    assert t.tau_factor_percolating == pytest.approx(
        t.percolating_porosity / t.relative_diffusivity)
    assert t.macmullin_number == pytest.approx(t.tau_factor / t.porosity)
    assert t.porosity ** (1 - t.bruggeman_exponent) == pytest.approx(t.tau_factor)
    assert t.tau_factor > 1 and t.residual <= 1e-7
    assert set(p.specific_surface_area) == {"AM-pore", "CBD-pore", "AM-CBD"}
    # Conductivity bounded by the Wiener bounds (harmonic / arithmetic means).
    sig = {"pore": 1.0, "AM": 10.0, "CBD": 5.0}
    upper = sum(fr[k] * v for k, v in sig.items())
    lower = 1 / sum(fr[k] / v for k, v in sig.items())
    assert lower < p.conductivity["z"] < upper
    assert "m^-1" in p.units["specific_surface_area"]
    assert p.electrode_tortuosity is not None and p.electrode_tortuosity.tau_e > 1


def test_vti_round_trip(electrode, tmp_path):
    path = write_vti(electrode, tmp_path / "s.vti")
    back = read_vti(path)
    assert np.array_equal(back.labels, electrode.labels)
    assert back.voxel_size == electrode.voxel_size
    text = path.read_text()
    assert 'WholeExtent="0 32 0 32 0 40"' in text and 'header_type="UInt64"' in text


def test_tiff_and_raw_import(electrode, tmp_path):
    write_tiff(electrode, tmp_path / "s.tif")
    back = read_tiff(tmp_path / "s.tif", voxel_size=electrode.voxel_size)
    assert np.array_equal(back.labels, electrode.labels)
    # A raw 16-bit grey-value volume stored slice by slice (z, y, x) with a phase map.
    grey = np.choose(electrode.labels, [0, 65535, 30000]).astype("<u2")
    grey.transpose(2, 1, 0).tofile(tmp_path / "s.raw")
    raw = read_raw(tmp_path / "s.raw", (40, 32, 32), 0.5e-6, dtype="<u2",
                   phase_map={0: 0, 65535: 1, 30000: 2})
    assert np.array_equal(raw.labels, electrode.labels)
    with pytest.raises(ValueError, match="no entry in phase_map"):
        read_raw(tmp_path / "s.raw", (40, 32, 32), 0.5e-6, dtype="<u2", phase_map={0: 0})


def test_save_load_keeps_particles_and_metadata(electrode, tmp_path):
    back = Microstructure.load(electrode.save(tmp_path / "m.h5"))
    assert np.array_equal(back.particles, electrode.particles)
    assert back.metadata["cbd_mode"] == "bridge"


def test_micro_stage_writes_structure_and_properties(tmp_path):
    recipe, missing = parse_recipe({
        "run": {"name": "t", "seed": 3, "output_dir": str(tmp_path)},
        "micro": {"packing": {"shape": [24, 24, 32], "voxel_size": 0.5e-6,
                              "mean_radius": 1.5e-6, "am_fraction": 0.5},
                  "cbd": {"fraction": 0.05, "mode": "film"},
                  "calender": {"porosity": 0.4},
                  "properties": {"axes": [2], "rtol": 1e-6}},
    })
    assert not missing and recipe.stages == ["micro"]
    (result,) = run_recipe(recipe, progress=False)
    assert {f.name for f in result.files} == {"micro.h5", "micro.vti"}
    res = read_results(tmp_path / "micro.h5")
    tau = res["properties/tortuosity/z/tau_factor"]
    assert math.isfinite(tau) and tau > 1
    assert res.units["properties/specific_surface_area/AM-pore"] == "1/m"
    # Calendered from 32 voxels to (V_AM + V_CBD) / (A (1 - 0.4)): thinner, porosity ~0.4.
    nz = res["microstructure/labels"].shape[2]
    assert res["microstructure/labels"].shape[:2] == (24, 24) and nz < 32
    assert res["properties/porosity"] == pytest.approx(0.4, abs=0.02)


def test_recipe_error_names_micro_field():
    from mesolith.config.base import ConfigError

    with pytest.raises(ConfigError, match=r"micro.cbd.fraction = 1.5: must be < 1"):
        parse_recipe({"micro": {"cbd": {"fraction": 1.5}}}, source="recipe.toml")


def test_micro_stage_with_a_random_field_structure(tmp_path):
    recipe, _ = parse_recipe({
        "run": {"name": "f", "seed": 1, "output_dir": str(tmp_path)},
        "micro": {"generator": "field", "write_vti": False,
                  "field": {"shape": [24, 24, 24], "voxel_size": 1e-6,
                            "correlation_length": 2.5e-6, "am_fraction": 0.5,
                            "cbd_fraction": 0.1, "cbd_correlation_length": 2e-6},
                  "properties": {"axes": [0]}},
    })
    (result,) = run_recipe(recipe, progress=False)
    assert [f.name for f in result.files] == ["micro.h5"]
    res = read_results(tmp_path / "micro.h5")
    assert res["properties/volume_fractions/CBD"] == pytest.approx(0.1, abs=1e-4)
    assert res["properties/tortuosity/x/tau_factor"] > 1


def test_properties_of_a_plain_label_array():
    v = np.ones((12, 12, 12), np.uint8)
    v[:, ::3, :] = 0
    p = properties(v, 2e-6, axes=(2,))
    assert p.voxel_size == 2e-6 and p.tortuosity["z"].tau_factor == pytest.approx(1.0)
    with pytest.raises(ValueError, match="voxel_size: required"):
        properties(v, axes=(2,))
