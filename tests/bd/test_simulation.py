"""The Simulation object: configuration errors, determinism, forces, bonds, output."""

from __future__ import annotations

import numpy as np
import pytest

from mesolith import _core, bd
from mesolith.config.base import ConfigError
from mesolith.config.recipe import parse_recipe
from mesolith.io import read_results


def slurry(count_am=6, count_cb=30, count_binder=10, **extra):
    cfg = {
        "species": [
            {"name": "NMC", "preset": "nmc", "count": count_am, "radius": 0.2e-6},
            {"name": "CB", "preset": "carbon_black", "count": count_cb},
            {"name": "CMC", "preset": "cmc", "count": count_binder},
        ],
        "box": (2e-6, 2e-6, 2e-6),
        "dt": 2e-8,
        "save_every": 5,
    }
    cfg.update(extra)
    return cfg


def test_config_errors_name_field_value_and_range():
    with pytest.raises(ConfigError) as err:
        bd.BDConfig.from_dict({"temperature": -5.0}, source="recipe.toml", prefix="bd")
    assert "recipe.toml: bd.temperature = -5.0: must be > 0 K" in str(err.value)
    with pytest.raises(ConfigError, match=r"bd.viscosity = 0.0: must be > 0 Pa s"):
        bd.BDConfig.from_dict({"viscosity": 0.0}, source="recipe.toml", prefix="bd")
    with pytest.raises(ConfigError, match="unknown preset"):
        bd.BDConfig.from_dict({"species": [{"name": "X", "preset": "gold", "count": 1}]})
    with pytest.raises(ConfigError, match="radius, density must be given"):
        bd.BDConfig.from_dict({"species": [{"name": "X", "count": 1}]})
    with pytest.raises(ConfigError, match="dt = -1e-06: must be > 0 s"):
        bd.BDConfig.from_dict({"dt": -1e-6}, prefix="bd")


def test_recipe_has_a_bd_section():
    recipe, unavailable = parse_recipe({"bd": {"temperature": 310.0, "solvent": "nmp"}})
    assert recipe.bd.temperature == 310.0
    assert "bd" in recipe.stages and "bd" not in unavailable
    with pytest.raises(ConfigError, match="recipe.toml: bd.temperature = -5.0: must be > 0 K"):
        parse_recipe({"bd": {"temperature": -5.0}}, source="recipe.toml")


def test_presets_are_overridable():
    cfg = bd.BDConfig(species=[{"name": "A", "preset": "lmo", "count": 1, "density": 4000.0}],
                      solvent="nmp")
    r = cfg.species[0].resolved("nmp")
    assert r["density"] == 4000.0 and r["radius"] == 0.5e-6
    assert cfg.solvent_properties()["viscosity"] == pytest.approx(1.67e-3)


def test_same_seed_is_bit_identical_for_one_and_two_threads():
    # 300 particles (> 256): the tiled RPY product runs threaded
    cfg = slurry(count_am=10, count_cb=240, count_binder=50, noise="lanczos",
                 box=(3e-6, 3e-6, 3e-6))
    out = []
    for threads in (1, 2):
        _core.set_num_threads(threads)
        sim = bd.Simulation(cfg, seed=42).run(6, progress=False)
        out.append((sim.positions, sim.bonds))
    _core.set_num_threads(2)
    np.testing.assert_array_equal(out[0][0], out[1][0])
    np.testing.assert_array_equal(out[0][1], out[1][1])
    other = bd.Simulation(cfg, seed=43).run(6, progress=False).positions
    assert not np.array_equal(other, out[0][0])


def test_forces_are_minus_the_energy_gradient():
    sim = bd.Simulation(slurry(count_am=2, count_cb=6, count_binder=2,
                               box=(1.2e-6, 1.2e-6, 1.2e-6)), seed=1)
    x0 = sim.positions
    f = sim.forces()
    engine = sim._engine
    h = 1e-11
    for q in [(0, 0), (3, 1), (8, 2)]:
        xp, xm = x0.copy(), x0.copy()
        xp[q] += h
        xm[q] -= h
        ep = engine.forces(xp / sim.units.length)[1]
        em = engine.forces(xm / sim.units.length)[1]
        numeric = -(ep - em) * sim.units.energy / (2 * h)
        assert numeric == pytest.approx(f[q], rel=1e-4, abs=1e-6 * np.abs(f).max())


def test_binder_bonds_form_and_clusters_grow():
    # 0.1 M salt screens the double layer (Debye length 1 nm): van der Waals wins
    cfg = slurry(count_am=0, count_cb=60, count_binder=20, box=(0.8e-6, 0.8e-6, 0.8e-6),
                 bond_capture_gap=10e-9, hydrodynamics="none", dt=1e-7, ionic_strength=100.0)
    sim = bd.Simulation(cfg, seed=7)
    _, sizes0 = sim.clusters()
    sim.run(5000, progress=False)
    labels, sizes = sim.clusters()
    assert len(sim.bonds) > 0
    assert sizes.max() > sizes0.max()
    assert labels.shape == (80,) and sizes.sum() == 80


def test_shear_flow_advects_along_x():
    cfg = {"species": [{"name": "S", "radius": 1e-6, "density": 1000.0, "count": 2}],
           "dt": 1e-3, "dlvo": False, "shear_rate": 10.0, "hydrodynamics": "none"}
    x0 = np.array([[0, 0, 0], [0, 0, 20e-6]])
    sim = bd.Simulation(cfg, positions=x0, seed=0).run(100, progress=False)
    # the particle at z = 20 um drifts by rate * z * t = 20 um; Brownian spread ~ 0.7 um
    dx = sim.positions[1, 0] - sim.positions[0, 0]
    assert dx == pytest.approx(10.0 * 20e-6 * 0.1, abs=5 * np.sqrt(2 * 2 * 2.45e-13 * 0.1))


def test_save_round_trip(tmp_path):
    sim = bd.Simulation(slurry(), seed=2).run(20, progress=False)
    path = sim.save(tmp_path / "bd.h5")
    res = read_results(path)
    np.testing.assert_array_equal(res["particles/positions"], sim.positions)
    assert res["trajectory/positions"].shape == (5, 46, 3)
    assert res.units["particles/radii"] == "m"
    assert res.config["temperature"] == 298.15


def test_recipe_stage_writes_results(tmp_path):
    from mesolith.pipeline.stages import run_recipe

    recipe, _ = parse_recipe({"run": {"name": "bdtest", "seed": 3,
                                      "output_dir": str(tmp_path)},
                              "bd": slurry(steps=10)})
    (result,) = run_recipe(recipe, progress=False)
    assert result.stage == "bd"
    assert all(p.exists() for p in result.files)
    assert int(result.summary["particles"]) == 46


def test_checkpoint_restart_continues_bit_for_bit(tmp_path):
    # a wide capture gap makes bonds form (and break) within a few steps
    cfg = slurry(count_am=2, count_cb=40, count_binder=10, box=(0.8e-6, 0.8e-6, 0.8e-6),
                 ionic_strength=100.0, hydrodynamics="rpy", bond_capture_gap=60e-9)
    straight = bd.Simulation(cfg, seed=5).run(40, progress=False)
    first = bd.Simulation(cfg, seed=5).run(20, progress=False)
    assert len(first.bonds) > 0  # the bond list is part of the saved state
    path = first.checkpoint(tmp_path / "state.h5")
    resumed = bd.Simulation.restart(path).run(20, progress=False)
    assert resumed.step == 40
    np.testing.assert_array_equal(resumed.positions, straight.positions)
    np.testing.assert_array_equal(resumed.bonds, straight.bonds)
    with pytest.raises(ValueError, match="not a mesolith.bd checkpoint"):
        bd.Simulation.restart(straight.save(tmp_path / "plain.h5"))
