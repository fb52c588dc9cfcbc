"""The micro recipe stage with flakes and CBD agglomerates, incl. electrolyte transport."""

import math

import pytest

from mesolith.config.recipe import parse_recipe
from mesolith.io import read_results
from mesolith.pipeline import run_recipe


def test_micro_stage_with_spheroids_and_agglomerates(tmp_path):
    recipe, missing = parse_recipe({
        "run": {"name": "s", "seed": 2, "output_dir": str(tmp_path)},
        "micro": {"generator": "spheroids", "write_vti": False,
                  "spheroids": {"shape": [32, 32, 32], "voxel_size": 1e-6,
                                "mean_radius": 3e-6, "aspect_ratio": 0.4,
                                "am_fraction": 0.4},
                  "cbd": {"fraction": 0.05, "mode": "agglomerate", "nanoporosity": 0.5},
                  "properties": {"axes": [2]}},
    })
    assert not missing
    (result,) = run_recipe(recipe, progress=False)
    res = read_results(tmp_path / "micro.h5")
    assert res["microstructure/spheroids"].shape[1] == 8
    assert res["properties/volume_fractions/CBD"] == pytest.approx(0.05, abs=1e-4)
    e_tau = res["electrolyte_with_cbd/z/tau_factor"]
    eps = res["electrolyte_with_cbd/z/porosity_total"]
    assert math.isfinite(e_tau) and e_tau > 1
    fr = {k: res[f"properties/volume_fractions/{k}"] for k in ("pore", "CBD")}
    assert eps == pytest.approx(fr["pore"] + 0.5 * fr["CBD"], rel=1e-9)
    assert "tau_z (pores + CBD)" in result.summary
