"""A Brownian-dynamics step that goes wrong stops the run with the step, the particle
and the likely cause; the last checkpoint written stays a good state."""

import numpy as np
import pytest

from mesolith import bd
from mesolith.reliability.faults import NumericalFault, particle_fault

CFG = {"species": [{"name": "CB", "preset": "carbon_black", "count": 20}],
       "box": (1e-6, 1e-6, 1e-6), "save_every": 5, "hydrodynamics": "none"}


def _overlapping(dt, **extra):
    cfg = dict(CFG, dt=dt, **extra)
    pos = bd.Simulation(cfg, seed=1).positions
    pos[1] = pos[0] + [1.7 * 25e-9, 0.0, 0.0]  # 30 % overlap (allowed): a huge repulsion
    return cfg, pos


def test_a_blow_up_names_step_particle_and_cause():
    cfg, pos = _overlapping(1e-3, max_drift=0.0)  # no drift limiter: the pair flies apart
    sim = bd.Simulation(cfg, positions=pos, seed=1)
    with pytest.raises(NumericalFault, match=r"step 1: particle [01] moved .* radii per step.*"
                       r"dt = 0.001 s is too large"):
        sim.run(10, progress=False)


def test_a_fault_inside_a_chunk_is_located_at_its_step():
    cfg = dict(CFG, dt=1e-3, max_drift=0.0, save_every=50)
    sim = bd.Simulation(cfg, seed=2).run(7, progress=False)
    good = sim.positions
    # the replay from the chunk start finds the first bad step, not the chunk end
    pos = good.copy()
    pos[3] = pos[4] + [1.7 * 25e-9, 0.0, 0.0]
    bad = bd.Simulation(cfg, positions=pos, seed=2)
    with pytest.raises(NumericalFault, match=r"step 1: particle [34] moved"):
        bad.run(40, progress=False)


def test_the_last_good_checkpoint_is_kept(tmp_path):
    from mesolith.config.recipe import parse_recipe
    from mesolith.pipeline import run_recipe

    data = {"run": {"output_dir": str(tmp_path), "checkpoint_interval": 1e-9, "seed": 4},
            "bd": dict(CFG, dt=1e-7, steps=20)}
    run_recipe(parse_recipe(data)[0], progress=False)
    ckpt = tmp_path / "checkpoints" / "bd.h5"
    assert bd.Simulation.restart(ckpt).step == 20
    # the same run with a time step 10^4 times too long and no drift limiter blows up in
    # its first chunk: the run stops, and no checkpoint of a bad state replaces the good one
    data["bd"].update(dt=1e-3, max_drift=0.0)
    with pytest.raises(NumericalFault, match=r"step \d+: .*dt = 0.001 s is too large"):
        run_recipe(parse_recipe(data)[0], progress=False)
    kept = bd.Simulation.restart(ckpt)
    assert kept.step == 20 and kept.config.dt == 1e-7


def test_overlapping_start_positions_are_refused():
    cfg = dict(CFG, dt=1e-7)
    pos = bd.Simulation(cfg, seed=1).positions
    pos[5] = pos[2] + [0.4 * 25e-9, 0.0, 0.0]  # 160 % overlap
    sim = bd.Simulation(cfg, positions=pos, seed=1)
    with pytest.raises(NumericalFault, match=r"step 0: particles 2 and 5 overlap by 160% .*"
                       "before any step; likely cause: overlapping start positions"):
        sim.run(5, progress=False)


def test_state_checks():
    radii = np.full(3, 1.0)
    pos = np.array([[0.0, 0, 0], [5.0, 0, 0], [10.0, 0, 0]])
    assert particle_fault(pos, radii) is None
    assert "particles 0 and 1 overlap by 80%" in particle_fault(
        np.array([[0.0, 0, 0], [1.2, 0, 0], [10.0, 0, 0]]), radii)
    nan = pos.copy()
    nan[2, 1] = np.nan
    assert particle_fault(nan, radii) == "particle 2 has a non-finite position"
    assert "blew up" in particle_fault(pos, radii, energy_kT=np.inf)
    assert particle_fault(pos, radii, energy_kT=4e73) is None  # saturated, finite: not alone
    assert "particle 1 moved" in particle_fault(pos + [[0, 0, 0], [50, 0, 0], [0, 0, 0]], radii,
                                                previous=pos)
