"""The kmc recipe stage: TOML -> Simulation -> HDF5 + VTK."""

import pytest

from mesolith.config.base import ConfigError
from mesolith.config.recipe import parse_recipe
from mesolith.io import read_results
from mesolith.pipeline.stages import run_recipe


def test_recipe_runs_kmc_stage(tmp_path):
    recipe, unavailable = parse_recipe({
        "run": {"name": "kmc-test", "seed": 4, "output_dir": str(tmp_path)},
        "kmc": {"lattice": {"nx": 6, "ny": 5, "nz": 12, "host_layers": 5},
                "drive": {"mode": "potentiostatic", "potential": -0.3},
                "initial_soc": 0.9, "duration": 0.01, "sample_interval": 0.002},
    })
    assert "kmc" not in unavailable
    (result,) = run_recipe(recipe, progress=False)
    h5, vti = result.files
    res = read_results(h5)
    assert res.attrs["seed"] == 4
    assert res["lattice/state"].shape == (6, 5, 12)
    text = vti.read_text()
    assert 'WholeExtent="0 6 0 5 0 7"' in text
    assert float(result.summary["plated fraction"]) > 0


def test_recipe_error_names_kmc_field():
    with pytest.raises(ConfigError, match=r"kmc.drive.c_rate = -1.0: must be >= 0"):
        parse_recipe({"kmc": {"drive": {"c_rate": -1.0}}}, source="recipe.toml")
