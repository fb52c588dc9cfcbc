"""SIGKILL (and Ctrl-C) a real ``mesolith run`` in the middle of its md stage, resume it with
``--resume``, and require every dataset of the results to be bit-identical to an
uninterrupted run (md.threads = 1)."""

import signal

import pytest

pytest.importorskip("openmm")

from mesolith.reliability.killresume import MD_RECIPE, kill_and_resume  # noqa: E402

pytestmark = pytest.mark.slow  # two or three subprocess runs of a few seconds each


def test_sigkill_mid_md_stage_and_resume_is_bit_identical(tmp_path):
    out = kill_and_resume(MD_RECIPE, ["md"], tmp_path, kills=2, seed=4)
    assert out.kills >= 1, "the run finished before it could be killed; make it longer"
    assert out.compared > 5
    assert out.differences == []


def test_ctrl_c_mid_md_stage_stops_at_a_checkpoint_and_resumes(tmp_path):
    out = kill_and_resume(MD_RECIPE, ["md"], tmp_path, kills=1, seed=6, sig=signal.SIGINT)
    assert out.kills == 1
    assert out.differences == [] and out.compared > 5
    log = (tmp_path / "attempt1.log").read_text()
    assert "stopped at a checkpoint" in log and "--resume" in log and "Traceback" not in log
