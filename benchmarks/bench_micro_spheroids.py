"""Spheroid (flake) packing to AM 0.60: (aspect, kappa, seed) -> reached, FIRE steps, stages,
time, order parameter before and after. Writes RESULTS_micro_spheroids.md.

Run: python benchmarks/bench_micro_spheroids.py [--box 64] [--seeds 5] [--large]
(--large adds two 128^3 packings per flake kind).
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from _common import machine, write_markdown

from mesolith.micro import pack_spheroids


def one(box: int, aspect: float, kappa: float, seed: int, target: float) -> dict:
    cpu0 = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    start = time.perf_counter()
    try:
        ms = pack_spheroids(shape=(box, box, box), voxel_size=1e-6, mean_radius=5e-6,
                            aspect_ratio=aspect, orientation_kappa=kappa, am_fraction=target,
                            max_sweeps=200_000, seed=seed)
        md = ms.metadata
        row = {"reached": md["particle_fraction"], "voxelised": ms.volume_fractions()["AM"],
               "n": md["particle_count"], "sweeps": md["sweeps"], "stages": md["stages"],
               "s0": md["order_parameter_z_sampled"], "s": md["order_parameter_z"],
               "overlap": md["max_overlap"]}
    except RuntimeError as err:
        row = {"reached": None, "error": str(err)[:120]}
    row["wall"] = time.perf_counter() - start
    row["cpu"] = resource.getrusage(resource.RUSAGE_SELF).ru_utime - cpu0
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--box", type=int, default=64)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--target", type=float, default=0.6)
    parser.add_argument("--large", action="store_true")
    args = parser.parse_args()
    lines = [f"# Spheroid packing to AM {args.target}", "",
             f"Machine: {machine()}; load average at start {os.getloadavg()[0]:.2f}. Mean "
             "equal-volume radius 5 voxels, sigma_ln 0.25, walls at z, tolerance 5e-3.", "",
             "| box | aspect | kappa | seed | n | reached | voxelised AM | FIRE steps | stages | "
             "wall s | CPU s | S0 -> S |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    cases = [(args.box, a, k, s) for a in (0.25, 0.35, 0.5) for k in (0.0, 10.0)
             for s in range(1, args.seeds + 1)]
    if args.large:
        cases += [(128, a, k, s) for a in (0.25, 0.5) for k in (0.0, 10.0) for s in (1, 2)]
    for box, aspect, kappa, seed in cases:
        r = one(box, aspect, kappa, seed, args.target)
        if r["reached"] is None:
            line = (f"| {box}³ | {aspect} | {kappa:g} | {seed} | – | no: {r['error']} | – | – | "
                    f"– | {r['wall']:.1f} | {r['cpu']:.1f} | – |")
        else:
            line = (f"| {box}³ | {aspect} | {kappa:g} | {seed} | {r['n']} | {r['reached']:.4f} | "
                    f"{r['voxelised']:.4f} | {r['sweeps']} | {r['stages']} | {r['wall']:.1f} | "
                    f"{r['cpu']:.1f} | {r['s0']:.3f} -> {r['s']:.3f} |")
        print(line, flush=True)
        lines.append(line)
    lines += ["", f"Load average at the end {os.getloadavg()[0]:.2f}."]
    print("wrote", write_markdown("micro_spheroids", "\n".join(lines) + "\n"))


if __name__ == "__main__":
    main()
