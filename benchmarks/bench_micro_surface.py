"""Specific surface area: mesolith's two estimators vs scikit-image marching cubes.

Volumes: Boolean overlapping spheres at porosity 0.5 (periodic), radius 4, 8 and 24 voxels.
Reference: the exact area of the union of the realised spheres (Monte Carlo on the sphere
surfaces, standard error in the table). Every method sees the same labels in one process:

- mesolith ``crofton`` and ``extrapolated`` with periodic test lines;
- ``skimage.measure.marching_cubes`` (level 0.5) + ``mesh_surface_area`` on the binary
  volume padded by one wrapped layer (so the mesh covers exactly one period), raw and after
  a Gaussian blur of sigma = 1 voxel (the smoothing PoreSpy's ``region_surface_areas``
  offers).

Times are the best of ``--repeat`` calls (the methods take turns), wall and CPU; mesolith
is OpenMP-parallel but runs on 1 thread by default, like the serial marching cubes. Writes
benchmarks/RESULTS_micro_surface.md and benchmarks/results_micro_surface.json.

Run: ``python benchmarks/bench_micro_surface.py [--repeat 5] [--threads 1]``
(needs ``pip install scikit-image``).
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
from mesolith.micro import boolean_spheres, specific_surface_area
from mesolith.validation.micro_surface import union_sphere_area

HERE = Path(__file__).resolve().parent
CASES = ((64, 4.0), (96, 8.0), (160, 24.0))


def timed(func, repeat: int) -> tuple[object, float, float]:
    """Result, best wall time and best CPU time (all threads) of ``repeat`` calls."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = func()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return result, wall, cpu


def marching_cubes_sv(solid: np.ndarray, sigma: float = 0.0) -> float:
    """Mesh area per voxel of the 0.5 level set of a periodic binary volume."""
    from scipy.ndimage import gaussian_filter
    from skimage.measure import marching_cubes, mesh_surface_area

    field = solid.astype(np.float32)
    if sigma > 0:
        field = gaussian_filter(field, sigma, mode="wrap")
    field = np.pad(field, ((0, 1),) * 3, mode="wrap")  # n cells per axis: one period
    verts, faces, _, _ = marching_cubes(field, level=0.5)
    return mesh_surface_area(verts, faces) / solid.size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--samples", type=int, default=100_000,
                        help="Monte Carlo points per sphere for the exact area")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    _core.set_num_threads(args.threads)
    import skimage

    load_start = os.getloadavg()[0]
    rows = []
    for n, r in CASES:
        ms = boolean_spheres(shape=(n, n, n), voxel_size=1.0, mean_radius=r, porosity=0.5,
                             seed=args.seed)
        area, se = union_sphere_area(ms.particles, (n, n, n), args.samples, args.seed)
        exact = area / n**3
        solid = ms.labels == 1
        labels = ms.labels
        methods = {
            "mesolith crofton": lambda v=labels: specific_surface_area(
                v, estimator="crofton", periodic=True)["0-1"],
            "mesolith extrapolated": lambda v=labels: specific_surface_area(
                v, estimator="extrapolated", periodic=True)["0-1"],
            "skimage marching cubes": lambda v=solid: marching_cubes_sv(v),
            "skimage marching cubes, blur 1": lambda v=solid: marching_cubes_sv(v, 1.0),
        }
        # The methods take turns, so a burst of load on the shared machine hits all alike.
        best = {name: (None, float("inf"), float("inf")) for name in methods}
        for _ in range(args.repeat):
            for name, func in methods.items():
                sv, wall, cpu = timed(func, 1)
                best[name] = (sv, min(wall, best[name][1]), min(cpu, best[name][2]))
        for name, (sv, wall, cpu) in best.items():
            rows.append({"size": n, "radius": r, "spheres": len(ms.particles),
                         "method": name, "sv_per_voxel": float(sv), "exact": exact,
                         "exact_rel_se": se / area, "ratio": float(sv) / exact,
                         "wall_s": wall, "cpu_s": cpu, "load_average": os.getloadavg()[0]})
            print(f"{n}^3 r={r:g}: {name:32s} S_V/exact {sv / exact:.4f}  wall {wall:.3f} s"
                  f"  cpu {cpu:.3f} s", flush=True)
    load_end = os.getloadavg()[0]
    meta = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
            "threads": args.threads, "repeat": args.repeat, "samples": args.samples,
            "seed": args.seed, "skimage": skimage.__version__,
            "load_average": [load_start, load_end]}
    with atomic_output(HERE / "results_micro_surface.json") as tmp:
        tmp.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    with atomic_output(HERE / "RESULTS_micro_surface.md") as tmp:
        tmp.write_text(markdown(rows, meta))


def markdown(rows: list[dict], meta: dict) -> str:
    lines = [
        "# Specific surface area: estimators vs exact areas, and marching cubes",
        "",
        "Written by `benchmarks/bench_micro_surface.py`. Boolean overlapping spheres, porosity",
        "0.5, periodic; S_V / exact is relative to the exact area of the union of the realised",
        f"spheres (Monte Carlo, {meta['samples']} points per sphere; relative standard error in",
        "the table). mesolith uses periodic test lines; marching cubes (scikit-image "
        f"{meta['skimage']}) meshes the",
        "volume padded by one wrapped layer. Time ratio: method time / mesolith crofton time.",
        "",
        f"Machine: {meta['machine']}; mesolith OpenMP threads: {meta['threads']}; "
        f"best of {meta['repeat']}; load average {meta['load_average'][0]:.1f} at the start, "
        f"{meta['load_average'][1]:.1f} at the end (shared machine).",
        "",
        "| volume | r [vox] | spheres | exact SE | method | S_V / exact | wall [s] | CPU [s] "
        "| wall / crofton | CPU / crofton |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    base = {}
    for row in rows:
        if row["method"] == "mesolith crofton":
            base[row["size"]] = row
    for row in rows:
        b = base[row["size"]]
        lines.append(
            f"| {row['size']}^3 | {row['radius']:g} | {row['spheres']} | "
            f"{row['exact_rel_se']:.1e} | {row['method']} | {row['ratio']:.4f} | "
            f"{row['wall_s']:.3f} | {row['cpu_s']:.3f} | {row['wall_s'] / b['wall_s']:.2f} | "
            f"{row['cpu_s'] / b['cpu_s']:.2f} |")
    lines += [
        "",
        "Reading: the crofton estimate is low at the sphere-sphere creases (pore wedges thinner",
        "than the test-line step are not seen), by about 0.4 voxel / r; the extrapolated",
        "estimate removes that first-order term for 1.2-1.5x the time (one more label read per",
        "test-line step). Marching cubes on the binary volume overestimates smooth surfaces",
        "(the staircase is chamfered, not smoothed: +7 % at r = 24) and the crease loss hides",
        "part of that at small r; blurring first lowers the area but also rounds the creases",
        "and the sphere caps.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
