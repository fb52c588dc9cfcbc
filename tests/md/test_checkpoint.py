"""Checkpoint/resume of drying runs: bit-identical continuation, SIGKILL, Ctrl-C, refusals."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

pytest.importorskip("openmm")
pytest.importorskip("MDAnalysis")

from mesolith.io import read_results  # noqa: E402
from mesolith.io.checkpoint import CheckpointError, load_checkpoint, save_checkpoint  # noqa: E402
from mesolith.md import preset  # noqa: E402
from mesolith.md.drying import DryingInterrupted, DryingSimulation  # noqa: E402

# deterministic = true: one CPU thread, the only CPU setting that is bit-reproducible
RUN = dict(n_am=12, box_xy=18e-6, steps=3000, relax_steps=500, report_interval=100,
           trajectory_interval=250, checkpoint_interval=1000, seed=7, deterministic=True,
           platform="CPU")


def _frames(sim):
    u = sim.trajectory
    return np.array([ts.positions.copy() for ts in u.trajectory])


def _assert_same_run(a, b):
    assert np.array_equal(a.positions, b.positions)
    for name in ("step", "thickness", "porosity", "surface", "surface_force", "solid_mass"):
        assert getattr(a._film.record, name) == getattr(b._film.record, name), name
    assert np.array_equal(_frames(a), _frames(b))


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    return DryingSimulation(preset("nmp_pvdf", **RUN),
                            tmp_path_factory.mktemp("whole")).run(progress=False)


def test_resume_from_checkpoint_is_bit_identical(uninterrupted, tmp_path):
    first = DryingSimulation(preset("nmp_pvdf", **RUN), tmp_path)
    first.run(progress=False, max_steps=2000)  # checkpoints at 1000 and where it stops
    ckpt = load_checkpoint(first.checkpoint_path, "md",
                           first.config.model_dump(mode="json"))
    assert ckpt.step == 2000
    resumed = DryingSimulation.from_checkpoint(first.checkpoint_path)
    assert resumed.step == 2000
    # the drying schedule state came back: the free surface agrees with OpenMM's restored
    # global parameter, and the records run up to step 2000
    ztop = resumed.simulation.context.getParameter("ztop")
    assert resumed._evaporation.ztop == ztop < resumed.slurry.height
    assert resumed._film.record.step[-1] == 2000
    resumed.run(progress=False)
    assert resumed.step == RUN["steps"] + RUN["relax_steps"]
    _assert_same_run(resumed, uninterrupted)


def test_a_run_stopped_by_max_steps_continues_identically(uninterrupted, tmp_path):
    sim = DryingSimulation(preset("nmp_pvdf", **RUN), tmp_path)
    sim.run(progress=False, max_steps=1500)  # off the checkpoint schedule
    sim.run(progress=False)
    _assert_same_run(sim, uninterrupted)
    with pytest.raises(RuntimeError, match="already run"):
        sim.run(progress=False)


_KILLED_RUN = textwrap.dedent("""
    import sys
    from mesolith.md import preset
    from mesolith.md.drying import DryingSimulation
    cfg = preset("nmp_pvdf", **{run!r})
    DryingSimulation(cfg, sys.argv[1]).run(progress=False)
""")


def test_resume_after_sigkill_is_bit_identical(tmp_path):
    run = {**RUN, "steps": 30_000, "checkpoint_interval": 500}
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_RUN.format(run=run), str(out)])
    ckpt_path = out / "checkpoint.h5"
    try:
        deadline = time.monotonic() + 300  # generous: the machine may be heavily shared
        step = 0
        while step < 1500 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            if ckpt_path.exists():
                try:
                    step = int(read_results(ckpt_path, verify=False).attrs["step"])
                except Exception:  # noqa: BLE001 (being replaced at this instant)
                    continue
        assert proc.poll() is None, "the run ended before it could be killed"
        assert step >= 1500, "no checkpoint at step 1500 within 300 s"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not (out / "drying.dcd").exists()  # killed mid-run: no complete trajectory
    # ... and frames written after the last checkpoint lie in the partial file; they are
    # cut off on resume (the run is killed at any moment, usually between checkpoints)
    resumed = DryingSimulation.from_checkpoint(ckpt_path)
    assert resumed.step >= 1500 and resumed.step % 500 == 0
    stop = resumed.step + 1500
    resumed.run(progress=False, max_steps=stop)
    whole = DryingSimulation(preset("nmp_pvdf", **run), tmp_path / "whole")
    whole.run(progress=False, max_steps=stop)
    _assert_same_run(resumed, whole)


class _CtrlC:
    """An OpenMM reporter that presses Ctrl-C (a real SIGINT to this process) at a step."""

    def __init__(self, step):
        self.step = step

    def describeNextReport(self, simulation):  # noqa: N802 (OpenMM protocol)
        return {"steps": max(1, self.step - simulation.currentStep), "periodic": False,
                "include": []}

    def report(self, simulation, state):
        if simulation.currentStep == self.step:
            os.kill(os.getpid(), signal.SIGINT)


def test_ctrl_c_writes_a_checkpoint_and_the_run_resumes(uninterrupted, tmp_path):
    sim = DryingSimulation(preset("nmp_pvdf", **RUN), tmp_path)
    with pytest.raises(DryingInterrupted) as info:
        sim.run(progress=False, reporters=[_CtrlC(2000)])
    # the chunk in which Ctrl-C came is finished (it ends at step 2000), the run writes a
    # checkpoint there and stops
    assert info.value.step == 2000
    assert info.value.checkpoint == sim.checkpoint_path
    assert isinstance(info.value, KeyboardInterrupt)  # the CLI's exit code 130 path
    assert not (tmp_path / "drying.dcd").exists()
    resumed = DryingSimulation.from_checkpoint(sim.checkpoint_path)
    assert resumed.step == 2000
    resumed.run(progress=False)
    _assert_same_run(resumed, uninterrupted)


def test_corrupt_and_foreign_checkpoints_are_refused(uninterrupted, tmp_path):
    sim = DryingSimulation(preset("nmp_pvdf", **RUN), tmp_path / "run")
    sim.run(progress=False, max_steps=1000)
    good = sim.checkpoint_path

    flipped = tmp_path / "flipped.h5"
    data = bytearray(good.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 64):
        data[i] ^= 0xFF
    flipped.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="refused|checksum|not a readable"):
        DryingSimulation.from_checkpoint(flipped)

    foreign = save_checkpoint(tmp_path / "kmc.h5", "kmc", {"x": np.zeros(3)}, step=1,
                              config={"a": 1}, seed=0)
    with pytest.raises(CheckpointError, match="not a drying checkpoint"):
        DryingSimulation.from_checkpoint(foreign)

    results = uninterrupted.save(tmp_path / "results.h5")  # a results file, no checkpoint
    with pytest.raises(CheckpointError, match="not a drying checkpoint"):
        DryingSimulation.from_checkpoint(results)

    # intact file (valid checksums) holding the OpenMM state of another system: OpenMM's
    # own check. (A truncated OpenMM blob is not always caught by OpenMM itself; the
    # dataset checksum above is what catches damage.)
    cfg = sim.config.model_dump(mode="json")
    state = load_checkpoint(good, "md", cfg).state
    other_system = DryingSimulation(preset("nmp_pvdf", **{**RUN, "n_am": 14})).setup()
    state["openmm"] = np.frombuffer(other_system.context.createCheckpoint(), np.uint8)
    damaged = save_checkpoint(tmp_path / "damaged.h5", "md", state, step=1000, config=cfg,
                              seed=sim.config.seed)
    with pytest.raises(CheckpointError, match="OpenMM refused"):
        DryingSimulation.from_checkpoint(damaged, output_dir=tmp_path / "run")

    # a checkpoint of another configuration is refused by the helper the engine uses
    other = preset("water_cmc_sbr", **RUN).model_dump(mode="json")
    with pytest.raises(CheckpointError, match="different configuration"):
        load_checkpoint(good, "md", other)


def test_checkpoint_is_written_atomically_and_holds_the_schedule(tmp_path):
    sim = DryingSimulation(preset("nmp_pvdf", **RUN), tmp_path)
    sim.run(progress=False, max_steps=2000)
    assert not list(tmp_path.glob(".checkpoint.h5.*"))  # no temporary left behind
    res = read_results(sim.checkpoint_path)
    assert res.attrs["engine"] == "md" and res.attrs["step"] == 2000
    assert res["state/platform"] == "CPU"
    assert 0 < res["state/surface/ztop"] <= sim.slurry.height
    assert len(res["state/film/step"]) == 20
    assert res["state/trajectory/size"] > 0


def test_checkpoints_by_the_clock_leave_the_trajectory_unchanged(uninterrupted, tmp_path):
    sim = DryingSimulation(preset("nmp_pvdf", **RUN), tmp_path)
    sim.checkpoint_seconds = 1e-9  # a checkpoint at every chunk boundary
    sim.checkpoint_path = tmp_path / "checkpoints" / "md.h5"
    sim.run(progress=False)
    assert load_checkpoint(sim.checkpoint_path, "md",
                           sim.config.model_dump(mode="json")).step == 3400
    _assert_same_run(sim, uninterrupted)
