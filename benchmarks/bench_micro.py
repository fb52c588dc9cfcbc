"""Tortuosity factor: mesolith.micro vs TauFactor (CPU) and PoreSpy, same volumes, one process.

Volumes: the pore space of Boolean overlapping spheres at porosity 0.4 (radius 5 voxels at
100^3, 10 voxels at 200^3), transport along x (TauFactor's direction). TauFactor uses the
total porosity in tau = eps D0 / D_eff, PoreSpy's tortuosity_fd the porosity of the
percolating pores; each is compared with mesolith's value in the same convention from a
reference solve at rtol 1e-8. Writes benchmarks/RESULTS_micro.md and a JSON file beside it.

Run: ``python benchmarks/bench_micro.py [--sizes 100 200] [--threads 2] [--porespy-max 100]``
(needs ``pip install taufactor porespy openpnm pyamg`` and a CPU torch).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from mesolith import _core
from mesolith.io import atomic_output
from mesolith.micro import boolean_spheres, tortuosity

HERE = Path(__file__).resolve().parent


def structure(n: int) -> np.ndarray:
    r = 5e-6 * max(n, 100) / 100
    ms = boolean_spheres(shape=(n, n, n), voxel_size=1e-6, mean_radius=r, porosity=0.4, seed=1)
    return ms.labels == 0


def run_ours(pore: np.ndarray, rtol: float, percolating: bool = False
             ) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    res = tortuosity(pore, axis=0, rtol=rtol)
    tau = res.tau_factor_percolating if percolating else res.tau_factor
    return tau, time.perf_counter() - t0, res.iterations


def run_porespy(pore: np.ndarray) -> tuple[float, float, int]:
    import porespy

    t0 = time.perf_counter()
    res = porespy.simulations.tortuosity_fd(pore, axis=0)
    return float(res.tortuosity), time.perf_counter() - t0, 0


def run_taufactor(pore: np.ndarray, conv_crit: float) -> tuple[float, float, int]:
    import taufactor

    t0 = time.perf_counter()
    solver = taufactor.Solver(pore.astype(np.int64), device="cpu")
    tau = solver.solve(verbose=False, conv_crit=conv_crit)
    tau = float(np.asarray(tau.cpu() if hasattr(tau, "cpu") else tau).ravel()[0])
    return tau, time.perf_counter() - t0, int(solver.iter)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 200])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--porespy-max", type=int, default=100,
                    help="largest size run with PoreSpy (its memory grows fast)")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    _core.set_num_threads(args.threads)
    # Warm-up: thread pools and first-call costs of both codes stay out of the timings.
    warm = structure(40)
    run_ours(warm, 1e-4)
    run_taufactor(warm, 1e-2)
    rows = []
    load_start = os.getloadavg()[0]
    for n in args.sizes:
        pore = structure(n)
        ref = run_ours(pore, 1e-8)[0]
        ref_p = run_ours(pore, 1e-8, percolating=True)[0]
        cases = [("mesolith rtol 1e-4", "total", *run_ours(pore, 1e-4)),
                 ("mesolith rtol 1e-6", "total", *run_ours(pore, 1e-6)),
                 ("TauFactor conv 1e-2", "total", *run_taufactor(pore, 1e-2))]
        if n <= 100:
            cases.append(("TauFactor conv 1e-3", "total", *run_taufactor(pore, 1e-3)))
        if n <= args.porespy_max:
            cases.append(("PoreSpy tortuosity_fd", "percolating", *run_porespy(pore)))
        tf_time = cases[2][3]
        for name, convention, tau, seconds, its in cases:
            expected = ref if convention == "total" else ref_p
            rows.append({"n": n, "porosity": float(pore.mean()), "code": name,
                         "porosity_in_tau": convention, "tau": tau,
                         "error_vs_reference": tau / expected - 1, "seconds": seconds,
                         "iterations": its, "speedup_vs_taufactor_1e-2": tf_time / seconds})
            print(f"{n}^3 {name:22s} tau {tau:.5f} err {tau / expected - 1:+.2e} "
                  f"{seconds:7.2f} s {its:6d} it  x{tf_time / seconds:.2f}", flush=True)
        print(f"{n}^3 reference tau {ref:.6f} (total), {ref_p:.6f} (percolating porosity)")
    with atomic_output(HERE / "results_micro.json") as tmp:
        tmp.write_text(json.dumps(rows, indent=1))
    lines = [
        "# Tortuosity factor: mesolith.micro vs TauFactor",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {args.threads} threads for "
        "both codes (shared 2-core machine; timings are rough). Volumes: pore space of "
        "Boolean spheres, porosity 0.4, transport along x. Error: relative to mesolith at "
        "rtol 1e-8 with the same porosity in tau (TauFactor: total; PoreSpy: percolating). "
        "Speed-up: TauFactor (conv 1e-2) time / this row's time. PoreSpy's iterations are "
        "not reported (0).",
        "",
        f"Load average (1 min) at start / end: {load_start:.1f} / {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores: above the core count, other processes share the cores "
        "and every time is inflated, OpenMP more than PyTorch.",
        "",
        "| size | code | porosity in tau | tau | error vs reference | time [s] | iterations "
        "| speed-up |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['n']}^3 | {r['code']} | {r['porosity_in_tau']} | {r['tau']:.5f} | "
                     f"{r['error_vs_reference']:+.2e} | {r['seconds']:.2f} | "
                     f"{r['iterations']} | {r['speedup_vs_taufactor_1e-2']:.2f} |")
    with atomic_output(HERE / "RESULTS_micro.md") as tmp:
        tmp.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
