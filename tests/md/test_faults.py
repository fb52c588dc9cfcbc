"""A drying step that goes wrong stops the run with the step, the bead and the likely cause;
the last checkpoint written stays a good state; a recipe's md checkpoint of another
configuration is refused."""

import re

import numpy as np
import pytest

pytest.importorskip("openmm")

from mesolith.config.recipe import parse_recipe  # noqa: E402
from mesolith.io.checkpoint import CheckpointError, load_checkpoint  # noqa: E402
from mesolith.md import preset  # noqa: E402
from mesolith.md.drying import DryingSimulation  # noqa: E402
from mesolith.md.faults import bead_fault  # noqa: E402
from mesolith.pipeline import run_recipe  # noqa: E402
from mesolith.reliability.faults import NumericalFault  # noqa: E402
from mesolith.reliability.killresume import compare_results  # noqa: E402

# timestep 0.05 tau is 25 times the default: the contacts go unstable within ~30 steps
SMALL = dict(n_am=12, box_xy=18e-6, steps=2000, relax_steps=0, seed=3, platform="CPU",
             threads=1)


def test_a_too_large_time_step_names_step_bead_and_cause(tmp_path):
    cfg = preset("nmp_pvdf", timestep=0.05, **SMALL)
    with pytest.raises(NumericalFault, match=r"MD step (\d+): bead \d+ \((AM|CBD)\) .*"
                       r"timestep = 0.05 tau is too large") as info:
        DryingSimulation(cfg, tmp_path / "a").run(progress=False)
    step = int(re.search(r"MD step (\d+)", str(info.value)).group(1))
    assert 1 <= step < 100  # inside the first chunks, not at the end of the run
    # the fault is not earlier than the step named: the same run stopped one step before
    # passes the full end-of-run check
    sim = DryingSimulation(cfg, tmp_path / "b").run(progress=False, max_steps=step - 1)
    assert sim.step == step - 1


def _recipe(tmp_path, **md):
    data = {"run": {"output_dir": str(tmp_path), "checkpoint_interval": 1e-9, "seed": 4},
            "md": {"preset": "nmp_pvdf", "n_am": 12, "box_xy": 18e-6, "steps": 600,
                   "relax_steps": 0, "report_interval": 50, "trajectory_interval": 300,
                   "platform": "CPU", "deterministic": True, **md}}
    return parse_recipe(data)[0]


def test_the_last_good_checkpoint_is_kept_and_foreign_ones_refused(tmp_path):
    run_recipe(_recipe(tmp_path), progress=False)
    ckpt = tmp_path / "checkpoints" / "md.h5"
    good = _recipe(tmp_path).md.model_dump(mode="json") | {"seed": 4}
    assert load_checkpoint(ckpt, "md", good).step == 600
    before = ckpt.read_bytes()
    # the same recipe with a time step 25 times too long blows up in its first chunk: the
    # run stops and no checkpoint of a bad state replaces the good one
    with pytest.raises(NumericalFault, match=r"MD step \d+: bead \d+ .*too large"):
        run_recipe(_recipe(tmp_path, timestep=0.05), progress=False)
    assert ckpt.read_bytes() == before
    # resuming a checkpoint of another [md] configuration is refused, with the way out
    with pytest.raises(CheckpointError, match=r"different \[md\] configuration"):
        run_recipe(_recipe(tmp_path, n_am=13), progress=False, resume=True)
    # a finished stage resumes without stepping again, to the same results
    first = tmp_path / "first.h5"
    first.write_bytes((tmp_path / "md" / "drying.h5").read_bytes())
    run_recipe(_recipe(tmp_path), progress=False, resume=True)
    n, diffs = compare_results(first, tmp_path / "md" / "drying.h5")
    assert n > 3 and diffs == []


def test_state_checks_name_the_bead_and_its_type():
    types = np.array([0, 1, 0])
    diam = np.array([2.0, 1.0, 2.0])
    masses = np.ones(3)
    pos = np.array([[1.0, 1.0, 1.0], [5.0, 5.0, 1.0], [1.0, 9.0, 1.0]])
    vel = np.zeros((3, 3))
    args = (masses, diam, types, 10.0, 1.0, 0.01)
    assert bead_fault(pos, vel, *args) is None
    nan = pos.copy()
    nan[1, 2] = np.nan
    assert bead_fault(nan, vel, *args) == "bead 1 (CBD) has a non-finite position or velocity"
    # across the periodic x boundary: 1.0 and 9.6 are 1.4 apart, an overlap of 60 %
    near = pos.copy()
    near[2] = [9.6, 1.0, 1.0]
    assert "bead 0 (AM) and bead 2 (AM) overlap by 60%" in bead_fault(near, vel, *args)
    fast = vel.copy()
    fast[2, 0] = 100.0  # 1 length unit per step: one radius
    assert "kinetic energy blew up: bead 2 (AM)" in bead_fault(pos, fast, *args)
    assert "bead 1 (CBD) moved" in bead_fault(pos + [[0, 0, 0], [3, 0, 0], [0, 0, 0]], vel,
                                              *args, previous=pos)
    assert "potential energy is inf" in bead_fault(pos, vel, *args, energy=np.inf)
