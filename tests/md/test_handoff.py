"""BD -> MD hand-off: a bd + md recipe dries the end state of the Brownian-dynamics slurry."""

import numpy as np
import pytest

pytest.importorskip("openmm")

from mesolith.config.recipe import parse_recipe  # noqa: E402
from mesolith.md.handoff import bd_bead_types, drying_from_bd  # noqa: E402

# Micrometre beads (the drying model resolves beads >= 5 contact ranges = 0.5 um), free
# draining BD for speed, a collector wall so the slurry stays above it.
BD = {"solvent": "nmp", "box": [18e-6, 18e-6, 30e-6], "dt": 1e-4, "steps": 20,
      "save_every": 10, "hydrodynamics": "none", "wall": True, "gravity": 9.81,
      "species": [{"name": "NMC", "preset": "nmc", "radius": 2.5e-6, "count": 6},
                  {"name": "CB", "preset": "carbon_black", "radius": 0.6e-6, "count": 10},
                  {"name": "PVDF", "preset": "pvdf", "radius": 0.6e-6, "count": 6}]}
MD = {"preset": "nmp_pvdf", "steps": 1500, "relax_steps": 0, "report_interval": 100,
      "trajectory_interval": 500, "deterministic": True}


def _recipe(tmp_path, bd=BD):
    recipe, unavailable = parse_recipe({"run": {"name": "bdmd", "seed": 2,
                                                "output_dir": str(tmp_path)},
                                        "bd": bd, "md": MD})
    assert unavailable == [] and recipe.stages == ["bd", "md"]
    return recipe


def test_species_map_onto_bead_types(tmp_path):
    recipe = _recipe(tmp_path)
    assert bd_bead_types(recipe.bd).tolist() == [0, 1, 1]  # NMC -> AM, CB and PVDF -> CBD


def test_bd_md_recipe_dries_the_bd_end_state(tmp_path):
    from mesolith.bd.stage import run_stage as run_bd
    from mesolith.md.stage import run_stage as run_md

    recipe = _recipe(tmp_path)
    context = {"progress": False}
    run_bd(recipe, context)
    bd = context["bd"]
    result = run_md(recipe, context)
    sim = context["md"]
    assert result.summary["start"] == "bd end state"
    # every BD particle became a bead of the mapped type and size, where BD left it
    n = len(bd["radii"])
    assert sim.slurry.n == n
    assert sim.slurry.types.tolist() == [0] * 6 + [1] * 16
    np.testing.assert_allclose(sim.slurry.diameter * 1e-6, 2 * bd["radii"], rtol=1e-12)
    start = np.array(bd["positions"])
    start[:, :2] %= 18e-6
    np.testing.assert_allclose(sim.slurry.positions * 1e-6, start, rtol=0, atol=1e-15)
    assert sim.config.box_xy == 18e-6 and sim.config.n_am == 6
    # and the film dried: thinner than the BD slurry, solids conserved
    assert sim.final_thickness < sim.slurry.height * 1e-6
    rec = sim._film.record
    assert np.all(np.asarray(rec.solid_mass) == sim.slurry.mass.sum())


def test_bd_beads_too_small_for_the_drying_model_are_refused(tmp_path):
    from mesolith.md.config import DryingConfig

    bd = {"positions": np.array([[5e-6, 5e-6, 3e-6], [9e-6, 9e-6, 3e-6]]),
          "radii": np.array([2.5e-6, 25e-9]), "species": np.array([0, 1]),
          "species_names": ["NMC", "CB"]}
    small = {**BD, "species": [{"name": "NMC", "preset": "nmc", "radius": 2.5e-6, "count": 1},
                               {"name": "CB", "preset": "carbon_black", "count": 1}]}
    recipe = _recipe(tmp_path, small)
    with pytest.raises(ValueError, match=r"bd species 'CB': diameter 5e-08 m is below"):
        drying_from_bd(DryingConfig(), bd, recipe.bd)


def test_start_option_with_beads_the_model_does_not_resolve(tmp_path):
    from mesolith.bd.stage import run_stage as run_bd
    from mesolith.md.stage import run_stage as run_md

    # carbon black at its preset radius (25 nm) is far below the drying model's 0.5 um
    small = {**BD, "steps": 2,
             "species": [{"name": "NMC", "preset": "nmc", "radius": 2.5e-6, "count": 2},
                         {"name": "CB", "preset": "carbon_black", "count": 4}]}
    md = {**MD, "n_am": 12, "box_xy": 18e-6, "steps": 200}

    def run(start):
        recipe, _ = parse_recipe({"run": {"name": "s", "seed": 1, "output_dir": str(tmp_path)},
                                  "bd": small, "md": {**md, "start": start}})
        context = {"progress": False}
        run_bd(recipe, context)
        return run_md(recipe, context), context

    result, context = run("auto")  # falls back to a random slurry and says why
    assert result.summary["start"].startswith("random slurry (bd species 'CB'")
    assert int(np.sum(context["md"].slurry.types == 0)) == 12  # md.n_am AM beads, not 2
    with pytest.raises(ValueError, match="bd species 'CB'"):
        run("bd")
    result, _ = run("random")
    assert result.summary["start"] == "random slurry"
