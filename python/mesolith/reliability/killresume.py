"""Kill a real ``mesolith run`` with SIGKILL at random moments, resume it, compare.

Used by the tests (tests/reliability/) and by ``mesolith validate --reliability``.
The recipe runs twice in subprocesses: once straight through, once killed with
SIGKILL at ``kills`` random moments (each after a checkpoint exists, so that the
resume really continues from one) and resumed with ``mesolith run --resume`` until it
finishes. Every dataset of every results file must then be bit-identical.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mesolith.io import read_results

__all__ = ["BD_RECIPE", "KMC_RECIPE", "MD_RECIPE", "MICRO_RECIPE", "MICRO_SPHEROID_RECIPE",
           "KillResumeOutcome", "compare_results", "kill_and_resume"]

# Small systems: each straight run takes ~1-3 s of compute plus ~1 s of start-up.
KMC_RECIPE = """[run]
name = "kmc-resume"
seed = 7
threads = 1
[kmc]
temperature = 268.15
initial_soc = 0.6
duration = 1.0
sample_interval = 0.005
lattice = { nx = 6, ny = 5, nz = 14, host_layers = 6 }
[kmc.drive]
mode = "galvanostatic"
c_rate = 4.0
"""

BD_RECIPE = """[run]
name = "bd-resume"
seed = 11
threads = 1
[bd]
steps = 12000
dt = 2e-8
save_every = 50
box = [1.5e-6, 1.5e-6, 1.5e-6]
species = [
  { name = "NMC", preset = "nmc", count = 4, radius = 0.2e-6 },
  { name = "CB", preset = "carbon_black", count = 20 },
  { name = "CMC", preset = "cmc", count = 6 },
]
"""

# One CPU thread: the only OpenMM CPU setting whose runs repeat bit for bit.
MD_RECIPE = """[run]
name = "md-resume"
seed = 5
threads = 1
[md]
preset = "nmp_pvdf"
n_am = 12
box_xy = 18e-6
steps = 6000
relax_steps = 500
report_interval = 50
trajectory_interval = 500
platform = "CPU"
deterministic = true
"""

# A 48^3 packing (about 1400 sweeps, in chunks of 50) with CBD, then tortuosity along all
# three axes: kills land in the packing, the CBD placement or between the solves.
MICRO_RECIPE = """[run]
name = "micro-resume"
seed = 3
threads = 1
[micro]
generator = "packing"
write_vti = false
[micro.packing]
shape = [48, 48, 48]
voxel_size = 1e-6
mean_radius = 4e-6
radius_log_sigma = 0.25
am_fraction = 0.55
[micro.cbd]
fraction = 0.1
[micro.properties]
axes = [0, 1, 2]
"""

# A 64 x 64 x 48 packing of aligned flakes (about 360 spheroids, 19 compression stages in
# chunks of 4) with film CBD, then tortuosity along all three axes: kills land in the
# packing, the CBD placement or between the solves.
MICRO_SPHEROID_RECIPE = """[run]
name = "micro-spheroid-resume"
seed = 3
threads = 1
[micro]
generator = "spheroids"
write_vti = false
[micro.spheroids]
shape = [64, 64, 48]
voxel_size = 1e-6
mean_radius = 4e-6
radius_log_sigma = 0.2
aspect_ratio = 0.3
orientation_kappa = 3.0
am_fraction = 0.55
[micro.cbd]
fraction = 0.1
mode = "film"
[micro.properties]
axes = [0, 1, 2]
"""

#: Results files each resumable stage writes, relative to the output folder.
STAGE_RESULTS = {"micro": ["micro.h5"], "kmc": ["kmc.h5"], "bd": ["bd/bd.h5"],
                 "md": ["md/drying.h5", "md/microstructure.h5"]}


@dataclass
class KillResumeOutcome:
    """What happened: kills that landed mid-run, and the datasets that differ (none is good)."""

    kills: int = 0
    kill_times: list[float] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    compared: int = 0

    @property
    def identical(self) -> bool:
        return self.compared > 0 and not self.differences


def _cli(recipe: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "mesolith.cli", "--quiet", "run", str(recipe), *extra]


def _env(threads: int) -> dict:
    env = dict(os.environ)
    env["OMP_NUM_THREADS"] = str(threads)
    return env


def compare_results(a: Path, b: Path) -> tuple[int, list[str]]:
    """Compare every dataset of two results files; returns (count compared, differing keys)."""
    ra, rb = read_results(a), read_results(b)
    diffs = sorted(set(ra.data) ^ set(rb.data))
    compared = 0
    for key in sorted(set(ra.data) & set(rb.data)):
        x, y = np.asarray(ra[key]), np.asarray(rb[key])
        compared += 1
        same = x.shape == y.shape and x.dtype == y.dtype and (
            np.array_equal(x, y, equal_nan=x.dtype.kind in "fc"))
        if not same:
            diffs.append(key)
    if _without_output_dir(ra.config) != _without_output_dir(rb.config):
        diffs.append("config")
    return compared, diffs


def _without_output_dir(config):
    """A whole-recipe config (as micro.h5 stores it) less ``run.output_dir``, the one setting
    in which the two compared runs differ by design."""
    if isinstance(config, dict) and isinstance(config.get("run"), dict):
        config = {**config, "run": {k: v for k, v in config["run"].items()
                                    if k != "output_dir"}}
    return config


def _write_recipe(text: str, out: Path, path: Path, interval: float) -> Path:
    lines = text.splitlines()
    i = lines.index("[run]") + 1
    lines[i:i] = [f'output_dir = "{out.as_posix()}"', f"checkpoint_interval = {interval!r}"]
    path.write_text("\n".join(lines) + "\n")
    return path


def kill_and_resume(recipe_text: str, stages: list[str], workdir: Path, *, kills: int = 2,
                    seed: int = 0, interval: float = 0.02, threads: int = 1,
                    timeout: float = 120.0, sig: int = signal.SIGKILL) -> KillResumeOutcome:
    """Run ``recipe_text`` straight and with ``kills`` SIGKILLs + resumes; compare results.

    ``recipe_text`` must have a ``[run]`` table without ``output_dir`` and
    ``checkpoint_interval`` (they are set here). The kill moments are drawn from
    ``random.Random(seed)``: after the first checkpoint appears, a uniform fraction (5 to
    80 %) of the time the straight run took from its first checkpoint to its end. With
    ``sig=signal.SIGINT`` (Ctrl-C) each stopped run must exit with status 130 after
    writing its checkpoint.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    straight_out, killed_out = workdir / "straight", workdir / "killed"
    straight = _write_recipe(recipe_text, straight_out, workdir / "straight.toml", interval)
    killed = _write_recipe(recipe_text, killed_out, workdir / "killed.toml", interval)
    # The straight run writes checkpoints too (they do not change its state), so that the
    # time between its first checkpoint and its end sizes the window the kills land in.
    straight_ckpts = [straight_out / "checkpoints" / f"{s}.h5" for s in stages]
    with (workdir / "straight.log").open("wb") as fh:
        proc = subprocess.Popen(_cli(straight), env=_env(threads), stdout=fh,
                                stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while proc.poll() is None and not any(c.exists() for c in straight_ckpts):
            if time.monotonic() > deadline:
                proc.kill()
                break
            time.sleep(0.005)
        t_first = time.monotonic()
        if proc.wait(timeout=timeout) != 0:
            raise RuntimeError(f"the straight run failed: "
                               f"{(workdir / 'straight.log').read_text(errors='replace')[-2000:]}")
    run_time = time.monotonic() - t_first

    checkpoints = [killed_out / "checkpoints" / f"{s}.h5" for s in stages]
    # On a shared machine a killed run can go faster than the straight one did, so that a
    # drawn moment falls after its end; such an attempt proves nothing, and the killed run
    # starts over with the moments drawn from a window half as long.
    for retry in range(_KILL_RETRIES):
        if retry:
            shutil.rmtree(killed_out, ignore_errors=True)
        outcome = _killed_run(killed, checkpoints, workdir, rng, kills,
                              0.5**retry * run_time, threads, timeout, sig)
        if outcome.kills or not kills:
            break
    for stage in stages:
        for rel in STAGE_RESULTS[stage]:
            n, diffs = compare_results(straight_out / rel, killed_out / rel)
            outcome.compared += n
            outcome.differences += [f"{rel}:{d}" for d in diffs]
    return outcome


#: Fresh killed runs tried when every drawn kill moment fell after the run had ended.
_KILL_RETRIES = 4


def _killed_run(killed: Path, checkpoints: list[Path], workdir: Path, rng: random.Random,
                kills: int, window: float, threads: int, timeout: float,
                sig: int) -> KillResumeOutcome:
    """Run ``killed``, stop it ``kills`` times at a random moment (a uniform 5 to 80 % of
    ``window`` after its newest checkpoint appears) and resume it until it finishes."""
    outcome = KillResumeOutcome()
    attempt = 0
    while True:
        args = _cli(killed, "--resume") if attempt else _cli(killed)
        attempt += 1
        log = workdir / f"attempt{attempt}.log"
        with log.open("wb") as fh:
            proc = subprocess.Popen(args, env=_env(threads), stdout=fh, stderr=subprocess.STDOUT)
        if outcome.kills < kills:
            deadline = time.monotonic() + timeout
            # wait for a checkpoint newer than this attempt's start, then a random delay
            start = time.time()
            while proc.poll() is None and time.monotonic() < deadline and not any(
                    c.exists() and c.stat().st_mtime >= start for c in checkpoints):
                time.sleep(0.005)
            time.sleep(rng.uniform(0.05, 0.8) * window)
            if proc.poll() is None:
                os.kill(proc.pid, sig)
                rc = proc.wait(timeout=timeout)
                if sig == signal.SIGINT and rc not in (130, 0):
                    raise RuntimeError(f"Ctrl-C ended the run with status {rc}, not 130: "
                                       f"{log.read_text(errors='replace')[-2000:]}")
                outcome.kills += 1
                outcome.kill_times.append(time.time() - start)
                continue
        proc.wait(timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"resumed run failed ({proc.returncode}): "
                               f"{log.read_text(errors='replace')[-2000:]}")
        return outcome
