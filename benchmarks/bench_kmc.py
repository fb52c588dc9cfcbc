"""Benchmark: lattice-gas kMC events per second, mesolith against kmcos, same model and size.

Model: square lattice, periodic, adsorption 0.5/s, desorption 0.5/s, hops 1/s to each empty
neighbour, no interactions (benchmarks/kmcos_model.py builds the identical kmcos
model). Both start empty and are warmed up before timing. Also measures events per second
and the cost per event of pure hopping at coverages 0.5 and 0.05 from 10^4 to 10^7 sites, as
wall time and as the CPU time of the running thread (the machine is shared, so wall time also
counts time the process waited for a core).

Run in an environment with mesolith and kmcos (kmcos needs numpy 1.24.x, gfortran, lxml to
write its model and ase 3.22.x to run it; a newer ase brings numpy 2, against which the
compiled model fails to load):
    python benchmarks/kmcos_model.py build/kmcos_bench
    python benchmarks/bench_kmc.py --kmcos-model build/kmcos_bench/lattice_gas_local_smart
Without --kmcos-model only mesolith is measured; with --hopping-only only the hopping table is
measured and the comparison rows of the last run (RESULTS_kmc.json) are kept as they were.
Writes benchmarks/RESULTS_kmc.md and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from mesolith import _core
from mesolith.io import atomic_output
from mesolith.kmc import LatticeGas

HOP, ADS, DES = 1.0, 0.5, 0.5

NOTES = """Notes. Both codes run in one process, interleaved, so a shared machine slows both
alike and the ratio stays meaningful; absolute rates are not (wall time here includes the
time the process waited for a core, hence the CPU-time columns). kmcos compiles its Fortran
with the flags its own build step chooses (`-Wall -g`). mesolith selects events with the
rate-class n-fold way (see docs/theory/kmc.md): class as the number of cumulative class
rates <= the target (no branch), site by class counts kept per 64, 64^2 and 64^3 sites
(levels of <= 8 entries counted without branches, longer ones scanned to the entry), one
byte of state per site, the sites numbered in tiles of 8 x 8 (one cache line each). Earlier
measurements: ratios 4.40 / 3.74 / 3.97 (rate tree), then 10.15 / 11.03 / 8.21 (per-class
site lists, 20-byte site records, load average 12.3: mesolith 4.06e6 / 4.09e6 / 1.44e6
events/s, kmcos 3.99e5 / 3.71e5 / 1.76e5 steps/s at 400 / 10,000 / 160,000 sites); pure
hopping at coverage 0.2 with the site lists: 101, 146, 382, 566 ns/event (CPU) at 1e4..1e7
sites. The comparison above (tiled class counts, load average about 2.5) found kmcos 2.8-3.5x
and mesolith 1.9-5x faster than that loaded run did: the ratio is lower on the two small
lattices and higher at 160,000 sites (a second run: 7.65 / 7.90 / 12.18).
A/B of the selection (2026-11-27, C++ driver, -O3 -march=native, both versions run
alternately in the same minutes, best of 3 x 2,000,000 events, thread CPU ns/event, two
rounds; load average 7-10): per-class site lists (previous version) -> class counts (this
version), coverage 0.5: 1e4 121/114 -> 143/140, 1e5 180/159 -> 157/155, 1e6 435/483 ->
236/236, 1e7 723/788 -> 608/596; coverage 0.05: 1e4 78/79 -> 103/103, 1e5 127/122 ->
123/131, 1e6 346/326 -> 272/195, 1e7 441/488 -> 497/520. The counts win where the lists
and their per-site index no longer fit in cache (1e6, and 1e7 at high coverage); on small
lattices the scan down the count levels costs 20-30 ns more than a list lookup, and on
large dilute lattices (short lists) the two are about even. Neither reaches 1e7 events/s
(100 ns/event) or a flat cost per event on this machine. Also tried and not kept (no
difference beyond the noise): prefetching the site records and list indices of the
neighbourhood, a two-phase update that first notes the changed sites, prefetching fewer
rows, a vector scan of the block counts.
Second A/B (2026-11-27, same driver and method, two rounds, load average 1-5): class counts
with early-exit scans (previous version) -> branch-free class choice and short levels, the
hop direction as the k-th set bit of the empty-neighbour mask (pdep), no 64^3 counters on
lattices of one such group (<= 2^18 sites), count updates inlined into the event. Coverage
0.5: 1e4 138/139 -> 127/126, 1e5 152/150 -> 144/143, 1e6 264/188 -> 187/182, 1e7 463/392 ->
466/378; coverage 0.05: 1e4 101/100 -> 102/101, 1e5 111/111 -> 117/117, 1e6 140/139 ->
157/155, 1e7 378/326 -> 391/344 (a third round at rising load, 0.05: 1e5 115/134 -> 119/121,
1e6 198/217 -> 181/166, so the dilute differences are within the noise of this box). Every
run gave the same trajectory (tracer MSD and clock equal to all printed digits after
8.8e6 events). Where an event's 130 ns go (1e4 sites, coverage 0.5, the driver with parts
taken out): random numbers, log and clock 23 ns; selection 33 ns (45 at 1e5); the event
itself (neighbour counts and class counters of up to 10 sites, tracer) 75-80 ns. Tried and
not kept: branch-free neighbour-class updates (a +/-0 on the same counters, or on scratch
counters: 10-20 ns slower; the store-to-load chains cost more than the mispredicted
branches), four Philox blocks per refill in AVX2 (the same words; faster in a tight loop
of draws, no change per event, where the draws overlap with other work), division by nx
as a multiply (no change), branch-free scans of long levels (6 ns slower at 1e5, 20 at 1e6).
1e7 events/s (100 ns/event) is reached at best on dilute 1e4 lattices (100-104 ns).
Third A/B (2026-11-27, same driver, -O3 -march=native, best of 3 rounds of 3 timings of
1,000,000 events, thread CPU ns/event, load average 1-5): row-major cell order (previous
version) -> tiled order: a tile of the class counts is an 8 x 8 patch (4 x 4 x 4 in 3D)
whose 64 cells fill one cache line, so a neighbour shares the site's line and counter byte
with probability 7/8 per direction instead of never for +-y; the row-major 0/1 array that
Python sees is no longer written per event but from the tiles changed during a run when it
returns; the next-event prefetch asks for 5 lines (the tile and its 4 neighbour tiles)
instead of 10. Coverage 0.5: 1e4 128 -> 125, 1e5 151 -> 142, 1e6 237 -> 209 (medians 306 ->
213), 1e7 478 -> 382; coverage 0.05: 1e4 101 -> 99, 1e5 118 -> 113, 1e6 158 -> 143, 1e7
329 -> 333 (medians 445 -> 401). Same statistics (tests/kmc), another trajectory (another
site order). Tried and not kept (no difference beyond the noise): prefetching the tile
counts of every class for the predicted tile, predicting two events ahead (its tile counts,
or its cells), issuing the prediction before the selection; a demand load of the predicted
tile instead of a prefetch was slower (420 -> 455 ns at 1e7). The bookkeeping of changed
tiles costs nothing measurable (1e4: 125 ns with it, 124 without), nor does copying them
when a run returns (1e7, runs of 1e6 events: 388 with, 384 without). The next-event
prediction (a Philox block and a second scan of the counts per event) now starts beyond
2^22 cells instead of 2^18: in this benchmark, two rounds with the builds alternating, it
cost at 1e6 sites (coverage 0.5: 229 / 262 ns with it, 187 / 182 without; 0.05: 204 / 206
against 150 / 167) and paid at 1e7 (0.5: 349 / 336 against 426 / 392; 0.05: 291 / 264
against 391 / 404). Before / after in this benchmark in the same minutes (native builds,
load average 3): coverage 0.5: 133 / 146 / 260 / 570 -> 125 / 138 / 175 / 301 ns/event
(CPU) at 1e4 / 1e5 / 1e6 / 1e7 sites; 0.05: 103 / 119 / 211 / 492 -> 99 / 112 / 145 / 270.
The cost per event still grows 2.4-2.7x from 1e4 to 1e7 sites (4.3-4.8x before).
Simple-cubic lattice (pure hopping, the same timing in a short script, load average 2.4):
100^3 sites, coverage 0.5: 319 -> 216 / 245 ns/event, 0.05: 232 -> 173 / 178; 215^3 sites,
0.5: 769 -> 384 / 423. There too the prediction from 2^18 cells on cost at 100^3 (0.5: 286 /
274 against 202 / 225; 0.05: 271 / 220 against 157 / 184).
The cost that remains at large lattices is main memory: this machine's DRAM latency is
about 150 ns (a dependent pointer chase over 200 MB on huge pages). A profile (timer
samples) at 1e7 sites puts about 30% of the time on the first read of the selected tile's
cells, although its line was requested one event ahead and the prediction is right 90% of
the time, 10% on the neighbours' cells in the event, and the tracer displacement of the
hopping particle (one line, moved one event late) costs about 60 ns (measured by leaving it
out). The last-level cache (32 MB) is shared with every other process on the machine, and
the machine is a virtual one (its page tables are translated once more by the host)."""


# The setting of the comparison in RESULTS_kmc.json files written before it was stored there.
EARLIER_COMPARED = ("2,000,000 timed events after warm-up, lattice initially empty. Machine: "
                    "x86_64, one thread; mesolith 0.1.0 (Release, gcc 12.2.0), per-class site "
                    "lists; load average 12.3 at the start and 12.4 at the end (shared machine).")


def time_mesolith(size: int, warm: int, steps: int) -> float:
    gas = LatticeGas((size, size), hop_rate=HOP, adsorption_rate=ADS, desorption_rate=DES, seed=1)
    gas.run(events=warm)
    start = time.perf_counter()
    gas.run(events=steps)
    return steps / (time.perf_counter() - start)


def time_kmcos(model_dir: Path, size: int, warm: int, steps: int) -> float:
    cwd = os.getcwd()
    sys.path.insert(0, str(model_dir))
    os.chdir(model_dir)
    try:
        from kmcos.run import KMC_Model

        model = KMC_Model(size=(size, size), banner=False, print_rates=False, random_seed=1)
        model.do_steps(warm)
        start = time.perf_counter()
        model.do_steps(steps)
        rate = steps / (time.perf_counter() - start)
        model.deallocate()
        return rate
    finally:
        os.chdir(cwd)
        sys.path.remove(str(model_dir))


def hopping_cost(sites: int, coverage: float, steps: int, repeats: int = 3) -> dict:
    """Pure hopping at `coverage` on a square lattice of ~`sites` sites: the best of
    `repeats` timings (least disturbed by other processes) of wall and CPU ns per event.
    CPU time is that of this thread (the engine runs in the calling thread)."""
    side = int(round(sites**0.5))
    gas = LatticeGas((side, side), hop_rate=1.0, seed=2)
    rng = np.random.default_rng(0)
    gas.set_occupancy((rng.random((side, side)) < coverage).astype(np.uint8))
    gas.run(events=steps // 10)
    wall, cpu = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.thread_time()
        gas.run(events=steps)
        wall.append((time.perf_counter() - w0) / steps * 1e9)
        cpu.append((time.thread_time() - c0) / steps * 1e9)
    return {"sites": side * side, "coverage": coverage, "wall_ns_per_event": min(wall),
            "cpu_ns_per_event": min(cpu), "events_per_s_wall": 1e9 / min(wall),
            "events_per_s_cpu": 1e9 / min(cpu)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kmcos-model", type=Path, default=None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 100, 400])
    parser.add_argument("--steps", type=int, default=2_000_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS_kmc.md"))
    parser.add_argument("--hopping-only", action="store_true",
                        help="measure the hopping table only; keep the last comparison rows")
    args = parser.parse_args()
    _core.set_num_threads(1)

    rows = []
    load_start = os.getloadavg()[0]
    earlier = None
    if args.hopping_only:
        earlier = json.loads(args.out.with_suffix(".json").read_text())
        rows = earlier["lattice_gas"]
    for size in [] if args.hopping_only else args.sizes:
        warm = max(20 * size * size, 100_000)
        ours = time_mesolith(size, warm, args.steps)
        peer = (time_kmcos(args.kmcos_model.resolve(), size, warm, args.steps)
                if args.kmcos_model else float("nan"))
        rows.append({"sites": size * size, "mesolith_steps_per_s": ours,
                     "kmcos_steps_per_s": peer, "ratio": ours / peer})
        print(f"{size}x{size}: mesolith {ours:.3e}/s, kmcos {peer:.3e}/s, ratio {ours / peer:.2f}",
              flush=True)
    scaling = []
    for coverage in (0.5, 0.05):
        for sites in (10**4, 10**5, 10**6, 10**7):
            row = hopping_cost(sites, coverage, args.steps)
            scaling.append(row)
            print(f"hopping, coverage {coverage}, {sites:.0e} sites: "
                  f"{row['wall_ns_per_event']:.0f} ns/event wall, "
                  f"{row['cpu_ns_per_event']:.0f} ns/event CPU", flush=True)

    info = _core.build_info()
    machine = (f"Machine: {platform.processor() or platform.machine()}, one thread; mesolith "
               f"{info['version']} ({info['build_type']}, {info['compiler']}, native tuning "
               f"{'on' if info.get('native') else 'off'}); load average {load_start:.1f} at the "
               f"start and {os.getloadavg()[0]:.1f} at the end (shared machine).")
    compared = (earlier.get("compared", EARLIER_COMPARED) if earlier else
                f"{args.steps:,} timed events after warm-up, lattice initially empty. {machine}")
    lines = [
        "# kMC benchmark: lattice gas, mesolith vs kmcos",
        "",
        ("Comparison from the last run with kmcos (not repeated: " if earlier else "") +
        compared + (")" if earlier else ""),
        "Model: square periodic lattice, adsorption 0.5/s, desorption 0.5/s, hop 1/s per empty "
        "neighbour, no interactions; identical in both codes.",
        "kmcos 1.1.0, backend local_smart, compiled by kmcos's own f2py/gfortran call.",
        "",
        "| sites | mesolith (events/s) | kmcos (steps/s) | ratio mesolith/kmcos |",
        "|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['sites']:,} | {r['mesolith_steps_per_s']:.3g} | "
                     f"{r['kmcos_steps_per_s']:.3g} | {r['ratio']:.2f} |")
    lines += ["", "Pure hopping (square lattice, no interactions), best of 3 timings of "
              f"{args.steps:,} events; CPU = CPU time of the running thread. {machine}", "",
              "| coverage | sites | events/s (wall) | events/s (CPU) | ns/event (wall) | "
              "ns/event (CPU) |",
              "|---:|---:|---:|---:|---:|---:|"]
    for s in scaling:
        lines.append(f"| {s['coverage']} | {s['sites']:.2e} | {s['events_per_s_wall']:.3g} | "
                     f"{s['events_per_s_cpu']:.3g} | {s['wall_ns_per_event']:.0f} | "
                     f"{s['cpu_ns_per_event']:.0f} |")
    lines += ["", NOTES, ""]
    with atomic_output(args.out) as tmp:
        Path(tmp).write_text("\n".join(lines))
    with atomic_output(args.out.with_suffix(".json")) as tmp:
        Path(tmp).write_text(json.dumps({"compared": compared, "lattice_gas": rows,
                                         "hopping_scaling": scaling}, indent=2))


if __name__ == "__main__":
    main()
