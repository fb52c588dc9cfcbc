"""SIGKILL (or Ctrl-C) a real ``mesolith run`` at random moments, resume it, and require results
bit-identical to an uninterrupted run (kMC anode, Brownian dynamics and microstructure stages)."""

import signal

import pytest
import tomllib

from mesolith.reliability.killresume import (
    BD_RECIPE,
    KMC_RECIPE,
    MICRO_RECIPE,
    MICRO_SPHEROID_RECIPE,
    kill_and_resume,
)


@pytest.mark.parametrize("stage, recipe, seed", [
    ("kmc", KMC_RECIPE, 1), ("bd", BD_RECIPE, 2), ("micro", MICRO_RECIPE, 4),
    pytest.param("micro", MICRO_SPHEROID_RECIPE, 5, marks=pytest.mark.slow, id="micro-spheroids")])
def test_sigkill_and_resume_is_bit_identical(tmp_path, stage, recipe, seed):
    out = kill_and_resume(recipe, [stage], tmp_path, kills=2, seed=seed)
    assert out.kills >= 1, "the run finished before it could be killed; make it longer"
    assert out.compared > 3
    assert out.differences == []


@pytest.mark.parametrize("stage, recipe", [
    ("kmc", KMC_RECIPE), pytest.param("micro", MICRO_RECIPE, marks=pytest.mark.slow)])
def test_ctrl_c_writes_a_checkpoint_and_resume_is_bit_identical(tmp_path, stage, recipe):
    out = kill_and_resume(recipe, [stage], tmp_path, kills=1, seed=3, sig=signal.SIGINT)
    assert out.kills == 1
    assert out.compared > 3
    assert out.differences == []
    log = (tmp_path / "attempt1.log").read_text()
    assert "stopped at a checkpoint" in log and "--resume" in log and "Traceback" not in log


def test_resume_refuses_a_checkpoint_of_another_configuration(tmp_path):
    from mesolith.config.recipe import parse_recipe
    from mesolith.io.checkpoint import CheckpointError
    from mesolith.pipeline import run_recipe

    data = tomllib.loads(KMC_RECIPE)
    data["run"].update(output_dir=str(tmp_path), checkpoint_interval=1e-3)
    data["kmc"]["duration"] = 0.05
    recipe, _ = parse_recipe(data)
    run_recipe(recipe, progress=False)
    assert (tmp_path / "checkpoints" / "kmc.h5").exists()
    data["kmc"]["temperature"] = 270.0
    changed, _ = parse_recipe(data)
    with pytest.raises(CheckpointError, match="different \\[kmc\\] configuration"):
        run_recipe(changed, progress=False, resume=True)
    run_recipe(changed, progress=False)  # without --resume: a fresh start replaces it
    run_recipe(changed, progress=False, resume=True)
