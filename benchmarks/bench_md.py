"""Benchmark of the MD drying loop: mesolith vs a bare OpenMM script, and steps/s vs size.

Both sides run in this process on the same OpenMM ``System`` (mesolith's, serialised and
deserialised so the bare side shares no Python objects), the same integrator settings,
platform, threads and starting positions. The bare script is ``integrator.step(n)``;
mesolith's loop is ``DryingSimulation.run`` after ``setup()``: OpenMM's
``app.Simulation`` with the evaporation reporter (free surface, CBD shrink and binder ramp
about every 10 steps), the film reporter (thickness/porosity every 100 steps), the DCD
writer and the final PDB/VTP output. Context creation is timed on neither side.

Usage: ``python benchmarks/bench_md.py [--sizes 1e4 1e5] [--threads 2]``; writes
``benchmarks/RESULTS_md.md``.
"""

from __future__ import annotations

import argparse
import math
import platform as pyplatform
import tempfile
import time
from pathlib import Path

import openmm as mm

from mesolith.io import atomic_output
from mesolith.md import DryingSimulation, preset
from mesolith.md.platform import select_platform
from mesolith.md.units import openmm_temperature, reduced_thermal_energy

#: AM particles per bead: 1 / (1 + CBD beads per AM) for the default composition.
BEADS_PER_AM = 5.6


def config_for(n_beads: int, threads: int, seed: int = 1):
    """A default-composition film of about ``n_beads`` beads, 25 um wet thickness, drying
    at the default pace (20,000 steps); the benchmark times its first steps."""
    n_am = max(10, int(round(n_beads / BEADS_PER_AM)))
    box = 30e-6 * math.sqrt(n_am / 60)  # the default 60-AM film, widened
    return preset("nmp_pvdf", n_am=n_am, box_xy=box, steps=20_000, relax_steps=0,
                  trajectory_interval=10**6, threads=threads, seed=seed)


def bare_openmm(sim: DryingSimulation, steps: int, threads: int) -> float:
    """Seconds for ``steps`` of the same System with a plain ``integrator.step`` loop."""
    cfg = sim.config
    system = mm.XmlSerializer.deserialize(mm.XmlSerializer.serialize(sim.model.system))
    kt = reduced_thermal_energy(cfg.temperature)
    integrator = mm.LangevinMiddleIntegrator(openmm_temperature(kt), cfg.damping,
                                             cfg.timestep)
    integrator.setRandomNumberSeed(1)
    plat, props = select_platform(cfg.platform, threads)
    context = mm.Context(system, integrator, plat, props)
    context.setPositions(sim.slurry.positions)
    with Clock() as clock:  # from the first step, as mesolith's loop
        integrator.step(steps)
        context.getState(getPositions=True)  # make sure the work is done
    return clock


class Clock:
    """Wall and process CPU time of a block (CPU time: all threads of this process)."""

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


def mesolith_loop(cfg, steps: int, out: Path, slurry=None) -> tuple[Clock, DryingSimulation]:
    sim = DryingSimulation(cfg, output_dir=out, slurry=slurry)
    sim.setup()  # context creation, timed by neither side
    with Clock() as clock:
        sim.run(progress=False, max_steps=steps)
    return clock, sim


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1e4, 1e5])
    parser.add_argument("--steps", type=int, nargs="+", default=None,
                        help="steps per size (default 2000 at 1e4, 200 at 1e5)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path,
                        default=Path(__file__).with_name("RESULTS_md.md"))
    args = parser.parse_args()
    rows = []
    for k, size in enumerate(args.sizes):
        steps = args.steps[k] if args.steps else (2000 if size <= 2e4 else 200)
        cfg = config_for(int(size), args.threads)
        with tempfile.TemporaryDirectory() as tmp:
            t_build = time.perf_counter()
            _, sim = mesolith_loop(cfg, 10, Path(tmp))  # build the slurry once
            ours = {"wall": math.inf, "cpu": math.inf}
            bare = {"wall": math.inf, "cpu": math.inf}
            for _ in range(args.repeats):  # interleaved, so that load changes hit both
                clock, _ = mesolith_loop(cfg, steps, Path(tmp), slurry=sim.slurry)
                ours = {k: min(v, getattr(clock, k)) for k, v in ours.items()}
                clock = bare_openmm(sim, steps, args.threads)
                bare = {k: min(v, getattr(clock, k)) for k, v in bare.items()}
            t_build = time.perf_counter() - t_build
        rows.append((sim.slurry.n, steps, ours, bare))
        print(f"{sim.slurry.n} beads, {steps} steps: mesolith {steps / ours['wall']:.1f} "
              f"steps/s, bare OpenMM {steps / bare['wall']:.1f} steps/s; mesolith/bare: wall "
              f"{ours['wall'] / bare['wall']:.3f}, CPU {ours['cpu'] / bare['cpu']:.3f} "
              f"(total {t_build:.0f} s)", flush=True)
    plat = select_platform(None, args.threads)[0].getName()
    lines = [
        "# MD drying benchmark: mesolith loop vs bare OpenMM",
        "",
        f"Machine: {pyplatform.processor() or pyplatform.machine()}, OpenMM {mm.__version__}, "
        f"platform {plat}, {args.threads} threads; best of {args.repeats} repeats. "
        "Same System, integrator, positions and steps on both sides (see bench_md.py).",
        "",
        "Steps/s are wall-clock; the machine is shared, so the overhead is also given as the",
        "ratio of process CPU time (all threads), which other jobs disturb much less.",
        "",
        "| beads | steps | mesolith steps/s | bare OpenMM steps/s | mesolith / bare, wall | "
        "mesolith / bare, CPU |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for n, steps, ours, bare in rows:
        lines.append(f"| {n} | {steps} | {steps / ours['wall']:.2f} | "
                     f"{steps / bare['wall']:.2f} | {ours['wall'] / bare['wall']:.3f} | "
                     f"{ours['cpu'] / bare['cpu']:.3f} |")
    lines += [
        "",
        "The peer here is OpenMM itself, driven by a bare `integrator.step(n)` loop on the "
        "same System: the ratio is the cost of mesolith's loop (OpenMM `app.Simulation`, "
        "the evaporation/film/DCD reporters, the parameter updates of the drying schedule "
        "and the final PDB/VTP output). Both start from a freshly created Context, so the "
        "first step's neighbour-list build counts on both sides.",
        "",
        "Generated by `python benchmarks/bench_md.py`.",
        "",
    ]
    with atomic_output(args.output) as tmp:
        tmp.write_text("\n".join(lines))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
