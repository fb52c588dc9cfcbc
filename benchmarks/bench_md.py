"""Benchmark of the MD drying loop: mesolith vs a bare OpenMM script, and steps/s vs size.

Both sides run in this process on the same OpenMM ``System`` (mesolith's, serialised and
deserialised so the bare side shares no Python objects), the same integrator settings,
platform, threads and starting positions. The bare script is ``integrator.step(n)``;
mesolith's loop is ``DryingSimulation.run``: OpenMM's ``app.Simulation`` with the
evaporation reporter (free surface, CBD shrink and binder ramp every 10 steps), the film
reporter (thickness/porosity every 100 steps) and the DCD writer.

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
from mesolith.md.integrator import langevin_middle
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


def bare_openmm(sim: DryingSimulation, steps: int, threads: int, native: bool) -> float:
    """Seconds for ``steps`` of the same System with a plain ``integrator.step`` loop.

    ``native=False`` uses mesolith's LangevinMiddle ``CustomIntegrator`` (the same
    integrator: the ratio is the loop's overhead); ``native=True`` OpenMM's built-in
    ``LangevinMiddleIntegrator`` (the price of thread-count-independent noise).
    """
    cfg = sim.config
    system = mm.XmlSerializer.deserialize(mm.XmlSerializer.serialize(sim.model.system))
    kt = reduced_thermal_energy(cfg.temperature)
    if native:
        integrator = mm.LangevinMiddleIntegrator(openmm_temperature(kt), cfg.damping,
                                                 cfg.timestep)
        integrator.setRandomNumberSeed(1)
    else:
        integrator = langevin_middle(kt, cfg.damping, cfg.timestep, 1)
    plat, props = select_platform(cfg.platform, threads)
    context = mm.Context(system, integrator, plat, props)
    context.setPositions(sim.slurry.positions)
    integrator.step(10)  # warm-up: neighbour list, kernels
    t0 = time.perf_counter()
    integrator.step(steps)
    context.getState(getPositions=True)  # make sure the work is done
    return time.perf_counter() - t0


def mesolith_loop(cfg, steps: int, out: Path) -> tuple[float, DryingSimulation]:
    sim = DryingSimulation(cfg, output_dir=out)
    sim.run(progress=False, max_steps=10)  # same warm-up
    sim = DryingSimulation(cfg, output_dir=out, slurry=sim.slurry)
    t0 = time.perf_counter()
    sim.run(progress=False, max_steps=steps)
    return time.perf_counter() - t0, sim


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1e4, 1e5])
    parser.add_argument("--steps", type=int, nargs="+", default=None,
                        help="steps per size (default 2000 at 1e4, 200 at 1e5)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--output", type=Path,
                        default=Path(__file__).with_name("RESULTS_md.md"))
    args = parser.parse_args()
    rows = []
    for k, size in enumerate(args.sizes):
        steps = args.steps[k] if args.steps else (2000 if size <= 2e4 else 200)
        cfg = config_for(int(size), args.threads)
        with tempfile.TemporaryDirectory() as tmp:
            t_build = time.perf_counter()
            best_ours, best_bare, best_native, sim = math.inf, math.inf, math.inf, None
            for _ in range(args.repeats):  # interleaved, so that load changes hit all three
                t, sim = mesolith_loop(cfg, steps, Path(tmp))
                best_ours = min(best_ours, t)
                best_bare = min(best_bare, bare_openmm(sim, steps, args.threads, False))
                best_native = min(best_native, bare_openmm(sim, steps, args.threads, True))
            t_build = time.perf_counter() - t_build
        rows.append((sim.slurry.n, steps, best_ours, best_bare, best_native))
        print(f"{sim.slurry.n} beads, {steps} steps: mesolith {steps / best_ours:.1f} steps/s, "
              f"bare OpenMM (same integrator) {steps / best_bare:.1f} steps/s, "
              f"overhead {100 * (best_ours / best_bare - 1):+.1f} %; bare with the native "
              f"LangevinMiddleIntegrator {steps / best_native:.1f} steps/s "
              f"(total {t_build:.0f} s)", flush=True)
    plat = select_platform(None, args.threads)[0].getName()
    lines = [
        "# MD drying benchmark: mesolith loop vs bare OpenMM",
        "",
        f"Machine: {pyplatform.processor() or pyplatform.machine()}, OpenMM {mm.__version__}, "
        f"platform {plat}, {args.threads} threads; best of {args.repeats} repeats. "
        "Same System, integrator, positions and steps on both sides (see bench_md.py).",
        "",
        "| beads | steps | mesolith steps/s | bare OpenMM, same integrator, steps/s | "
        "mesolith / bare time | bare OpenMM, native LangevinMiddleIntegrator, steps/s |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for n, steps, ours, bare, native in rows:
        lines.append(f"| {n} | {steps} | {steps / ours:.2f} | {steps / bare:.2f} | "
                     f"{ours / bare:.3f} | {steps / native:.2f} |")
    lines += ["", "Generated by `python benchmarks/bench_md.py`.", ""]
    with atomic_output(args.output) as tmp:
        tmp.write_text("\n".join(lines))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
