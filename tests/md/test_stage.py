"""The [md] recipe stage."""

import pytest

pytest.importorskip("openmm")

from mesolith.config.base import ConfigError  # noqa: E402
from mesolith.config.recipe import parse_recipe  # noqa: E402
from mesolith.micro.structure import Microstructure  # noqa: E402
from mesolith.pipeline.stages import run_recipe  # noqa: E402


def test_recipe_md_stage_runs_and_hands_on_a_microstructure(tmp_path):
    recipe, unavailable = parse_recipe({
        "run": {"name": "dry", "seed": 5, "output_dir": str(tmp_path)},
        "md": {"preset": "water_cmc_sbr", "n_am": 12, "box_xy": 18e-6, "steps": 1500,
               "relax_steps": 0, "report_interval": 100, "trajectory_interval": 500},
    })
    assert unavailable == [] and recipe.stages == ["md"]
    (result,) = run_recipe(recipe, progress=False)
    assert result.stage == "md"
    assert all(p.exists() for p in result.files)
    ms = Microstructure.load(tmp_path / "md" / "microstructure.h5")
    assert ms.volume_fractions()["AM"] > 0.1


def test_recipe_md_errors_are_readable():
    with pytest.raises(ConfigError, match=r"md\.n_am = 0: must be >= 1"):
        parse_recipe({"md": {"n_am": 0}}, source="r.toml")
