"""Benchmark: lattice-gas kMC events per second, mesolith against kmcos, same model and size.

Model: square lattice, periodic, adsorption 0.5/s, desorption 0.5/s, hops 1/s to each empty
neighbour, no interactions (benchmarks/kmcos_model.py builds the identical kmcos
model). Both start empty and are warmed up before timing (20 events per site, about 8
relaxation times of the coverage), from 400 to 10^7 sites: the warm-up of kmcos on 10^7 sites
takes about 8 minutes of the run's 15. Also measures events per second
and the cost per event of pure hopping at coverages 0.5 and 0.05 from 10^4 to 10^7 sites, as
wall time and as the CPU time of the running thread (the machine is shared, so wall time also
counts time the process waited for a core).

Run in an environment with mesolith and kmcos (kmcos needs numpy 1.24.x, gfortran, lxml to
write its model and ase 3.22.x to run it; a newer ase brings numpy 2, against which the
compiled model fails to load):
    python benchmarks/kmcos_model.py build/kmcos_bench
    python benchmarks/bench_kmc.py --kmcos-model build/kmcos_bench/lattice_gas_local_smart
With --hopping-only, or without --kmcos-model where a RESULTS_kmc.json exists (as under `make
bench`), only the hopping table is measured and the comparison rows of the last run are kept as
they were; without --kmcos-model and without an earlier run, only mesolith is measured.
Writes benchmarks/RESULTS_kmc.md and .json, and (with matplotlib) RESULTS_kmc.png: the cost
per event against lattice size for both codes, absolute and relative to 10^4 sites. --plot-only
redraws the picture from the .json without measuring.
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
with the flags its own build step chooses (`-Wall -g`).

How mesolith selects (docs/theory/kmc.md): the rate-class n-fold way. The class is the
number of cumulative class rates <= the target (no branch); the site is found in a tree of
class counts with 8 children per node (tiles of 64 sites, then 8, 64, ... tiles), each
level a fixed scan of 8 children; the counts of the 8 classes of a node sit side by side,
so a class change adds one precomputed vector per level, and the changes of one event,
which nearly all fall in one group of 8 tiles, are summed in registers and written once.
One byte of state per site, sites in tiles of 8 x 8 (4 x 4 x 4), one cache line each. On
lattices of more than 2^21 cells the next three events are predicted from the current
counts and their random numbers (read ahead from the counter-based stream, made 8 blocks
at a time) and their cache lines requested level by level: for event +3 the group counts,
for +2 the tile counts, for +1 the cells and the neighbouring tiles' cells and counts.

A/B of this version against the previous one (2026-11-27, C++ driver, -O3 -march=native,
both alternately in the same minutes, best of 3 rounds x 3 timings of 2,000,000 events,
thread CPU ns/event, load average about 1). Square lattice, coverage 0.5: 1e4 123 -> 106,
1e5 137 -> 121, 1e6 169 -> 154, 1e7 295 -> 273; coverage 0.05: 1e4 98 -> 98, 1e5 112 ->
112, 1e6 137 -> 141, 1e7 261 -> 264. Simple cubic (best of 2 x 3 timings of 1,000,000),
coverage 0.5: 46^3 168 -> 147, 100^3 205 -> 184, 215^3 444 -> 337; coverage 0.05: 124 ->
129, 155 -> 163, 380 -> 316. Then the event code with the dimension as a template constant
(loops over axes and directions unrolled), square lattice 1e4: 106 -> 104 (coverage 0.5),
99 -> 95 (0.05); 1e6: 162 -> 161, 150 -> 148. Then the tracer displacements with 2 numbers
per site on the square lattice instead of 3: 1e6 159 -> 150, 147 -> 142; 1e7 281 -> 275,
275 -> 272; 1e4 and 3D unchanged. At 1e7 sites the old version's times move
by 10-15% between runs minutes apart (331 / 305 ns in an earlier round against 280 / 274
for this one). The same trajectories (the selection is still the k-th site of the class in
site order; every statistical test gives the same numbers).
The prediction of earlier versions had never run: its prefetch functions were out of line,
and GCC removes a call to a function whose only effect is a prefetch. They are inlined
now; measured with the prefetches really issued, predicting one event ahead did not help
(the prediction itself waited on the tile counts, which are not in cache at 1e7 sites),
hence the three-stage version. A rdtsc probe of the old code at 1e7 sites: 94% of the reads
of the selected tile's cells took more than 300 cycles although the prediction was right
92% of the time. Three events ahead the prediction is right about 81% of the time.
Tried and not kept: each node's counts class by class (8 children of one class as one
vector: prefix sums and the comparison in a few vector instructions, selection 100
instructions shorter, but 8 scattered additions per level and update: 8-20 ns slower);
a scalar prefix array instead of the running select (10 ns slower); the tile coordinates
by multiplication instead of a 32-bit division (8 ns slower, for reasons not found); a
fresh descent for the nearest or middle prediction instead of continuing the stored one
(354 / 357 against 295 ns at 1e7: the fresh descent reads levels that are not in cache);
a fourth prediction stage (no difference beyond the noise); a vector compare for the
class (4 ns slower); predicting from 2^18 cells on (1e6 sites: 213 against 162); the
whole-tile compare in one AVX-512 register (no difference).
Random numbers made 16 Philox blocks at a time, 8 side by side in vector lanes (the same
numbers; 2.7 instead of 4.5 ns per block) and read ahead without leaving the buffer
(2026-11-27, same driver, alternately): 1e4 coverage 0.5 102.5 -> 100.4, 0.05 95 -> 91;
1e7 266 -> 251.
What the prediction costs and buys (same driver, square lattice, coverage 0.5): switched
on at 3.6e5 sites, where everything is in cache, it costs 57 ns/event (129 -> 182): 5 for
reading the random numbers ahead, 3 for the class, about 11 for each level of the
descent (a chain of dependent loads and additions the processor cannot hide), 16 for the
two later stages. An oracle that replays the recorded sites of the same trajectory and
requests their lines two events ahead, with no prediction work, runs 1e7 sites in 177
ns/event (276 with the prediction) and 1e6 in 130 (152): the gap to a flat cost is the
prediction's work more than its misses. Tried and not kept: choosing the tile inside the
group of 8 tiles by a second random number (exact; the prediction three events ahead is
then right 97.5% instead of 81% of the time, but 1e7 got slower, 263 against 244: more
random numbers and rank arithmetic per event); that and asking for the cells two events
ahead (272); a fresh class and rank for the nearest prediction (81.6 -> 83.1% right); also
asking for the next tile when the rank is within 1 or 2 of the tile's edge (92-95% covered,
275-281 ns: more lines per event); finding the predicted site one event earlier to ask
only for the neighbouring tiles it needs (270-299); spreading the first descent over two
events (270 against 253); the running sum of the class rates as three vector shifts and
the class by a vector compare (106 against 102 at 1e4); the tile counts of the event's
own tile summed in a register (105-110 against 102); the 16-bit level sums converted from
the 32-bit ones at commit (102 against 100); the tracer move at once on small lattices (no
difference); select() inlined (no difference); the next event's tile found while this one
fires, its selection then a walk of a tile or two from there, exact with a running count of
the changes before that tile (falls back to a descent 0.1-0.6% of the time; 119 against 100
at 1e4: a second descent per event costs its instructions, the loop is bound by the work
per event more than by the chain from one event to the next).
One bit of state per site instead of a byte (2026-11-27, same driver, alternately): each
tile's occupancy one 64-bit word, a site's neighbour count for all 64 sites of a tile at
once from shifts of the tile's word and its neighbours' words (three bit planes, summed
carry-save), and after each event the class counts of every tile holding a changed site or
its neighbour recounted by popcounts. The same trajectories on 17 lattices (padded tiles,
lengths 1 and 2 included) and 1.25 MB instead of 10 MB of state at 1e7 sites, but slower
where it matters most: 1e4 sites 119-124 against 99 ns (coverage 0.5), 120-123 against 91
(0.05); 1e6 145-157 against 144-147; 1e7 219-230 without the prediction (258-261 with it)
against 247-258. An event recounts 1.7 tiles on average (a hop near a tile's edge changes
counts in the next tile), each about 100 instructions, more than the per-site class moves
they replace; selecting the site also needs the tile's planes. The neighbour counts stored
as bit planes (4 bits per site) instead of recomputed: 129 ns at 1e4, 313 at 1e7. Asking
for the tracer lines as non-temporal (not to crowd the cells out of the last-level cache):
no difference (256 against 256 at 1e7); -funroll-loops 105 and -O2 113 against 99 at 1e4;
the core built position-independent as in the Python module: no difference; 16-bit
tracer displacements (an upper bound: no overflow handling) 265 -> 261 at 1e7, 149 -> 148
at 1e6, 99.5 -> 101.9 at 1e4: not worth an overflow table.
The running sums of the class rates in three rounds of additions (a Sklansky prefix)
instead of seven in a row, a chain the next event's selection waits on (same driver,
alternately): 1e4 sites 99.0 -> 97.8 ns (coverage 0.5), 90.7 -> 89.4 (0.05); the same
trajectories on the 17 test lattices (the sums round differently only in the last bits).
With it, the tile coordinates by a multiplication (Granlund-Montgomery) instead of the
32-bit division: no gain (99.9 against 99.3). An upper bound for the exponential waiting
time (no logarithm, no draw): 3.3 ns per event, not worth a vector logarithm. Without the
event (selection only, configuration unchanged) an event costs 47 of its 99 ns.
The 8-child scan of the descent in vector registers (lane c of the 8 entries by one AVX-512
permute, running sums by three shift-and-add rounds, the index as a mask count): 115
against 98 ns at 1e4; the scan as a scalar tree (running sums in three rounds, the index
and the count before it summed as trees): also 115 against 98. The running sum in a row
stays: fewer instructions, and its chain of one-cycle additions is short.
Neighbour cell offsets from a table by local coordinate instead of selects: 104 against
99 ns at 1e4; the tile-crossing offset precomputed instead of a multiplication: 103 against
99 (both fewer instructions, both slower: the selects do not wait on a load); clang 14
instead of gcc 12: 106 against 97; -falign-functions / -falign-loops: no difference.
The occupancy copy at the end of a run (same driver, alternately): the tiles a run changed
were copied into the row-major 0/1 array in the order they first changed, each tile's rows
at random places of a 10 MB array; after a long run on a large lattice they are now copied
in tile order (rows written in sequence, the 8 occupied bits of a row in one 64-bit
operation): 1e7 sites, runs of 2e6 events, 262 -> 251, 266 -> 254, 268 -> 257 ns/event;
1e4 unchanged (99 / 98 / 98). Instructions per event (cachegrind, an x86-64-v3 build,
coverage 0.5, after it): 1,356 at 1e4 sites, 2,629 at 1e7; of the difference about 650
are the prediction, 310 the three more levels of the descent, 90 the random numbers read
ahead. Tried and not kept: the selection taking the predicted tile whenever an exact count
puts the site there (the class's sites before the predicted group, read when predicted and
kept up to date by summing every later count change in groups before it, plus those of the
group's tiles before the predicted one, read at selection): taken 81.5% of the time, the
same trajectories on 7 lattices of 2.2-2.3 million sites, but no faster (257-263 against
255-271 ns at 1e7): the descent it saves runs while the event waits on memory. A probe of
what a cache line costs: 2 / 4 / 8 more lines per event requested at random places of the
cells add 0 / 15 / 35-40 ns (about 4.5 ns a line), so the 13 or so lines an event
requests at 1e7 account for about 60 of the 150 ns it gains over 1e4. Without the
prediction, 1e7 sites take 385-505 ns per event (273-298 with it, the same minutes).
LatticeGas(tracers=False) keeps no displacements (the same trajectories; through the
Python API, default build, coverage 0.5, alternately): 1e6 sites 200-205 -> 183-188 ns,
1e7 302-308 -> 289-298 ns; resident memory at 1e7 sites 110 -> 32 MB, a 1000 x 1000 x 100
cubic lattice 1354 -> 208 MB. On 1e4 sites it is no faster: over 16 fresh processes each
(native build), median 101 ns with tracers and 105 without, both with outliers (106-116 and
111-143 ns) that a rerun of the same process does not repeat. The engine object and its
count arrays put at fixed offsets inside 4 KB pages (to rule out 4K aliasing) left the
spread as it was (100-116 and 101-143).
The tables above were measured with the tile-order copy in place; a second run on the final
code (tracers as a template constant; load 2.2 at the start, a noisier quarter hour in
which kmcos ran 1.03e6 / 9.9e5 / 5.0e5 / 3.9e5 / 2.9e5 steps/s) gave ratios 11.24 / 10.54
/ 18.34 / 17.08 / 11.66 and pure hopping 101 / 113 / 172 / 273 ns/event (coverage 0.5)
and 90 / 103 / 149 / 288 (0.05).
Not reached: 1e7 events/s (100 ns/event) with a margin on every lattice; it is reached on
1e4 sites at coverage 0.05 (89-93 ns) and by the adsorption/desorption/hop model of the
kmcos comparison on 400 and 10,000 sites (1.17-1.18e7 / 1.08-1.09e7 events/s in the last
three runs), and only just at coverage 0.5 on 1e4 sites (99-101 ns). Nor is the cost per
event flat: it grows 2.5-2.9x from 1e4 to 1e7 sites (on the model of the comparison
2.8-3.0x, kmcos's 3.1-3.2x in the same runs; RESULTS_kmc.png). At 1e7 sites each event
needs the selected tile's cells, up to 4 neighbouring tiles, their class counts, the group
counts and the tracer displacement of the hopping particle, at random places of 10-90 MB;
this machine's DRAM latency is about 150 ns (a dependent pointer chase over 256 MB on huge
pages) and only 4-8 MB of its 32 MB last-level cache behaves as ours (latency 17 ns up to 4
MB, 109 ns at 8 MB). Leaving the tracer displacement out saves 12-15 ns at 1e6 and 10-35 ns
at 1e7 (10 with the compact displacements: 261 -> 250).

Earlier versions (same benchmark): kmcos ratios 4.40 / 3.74 / 3.97 (rate tree); 10.15 /
11.03 / 8.21 (per-class site lists, at load 12); 7.62 / 7.92 / 12.17 (tiled class counts,
load 2.5). Pure hopping, CPU ns/event at 1e4 / 1e5 / 1e6 / 1e7 sites: site lists at
coverage 0.2: 101 / 146 / 382 / 566; class counts per 64 / 64^2 / 64^3 sites, coverage 0.5:
133 / 146 / 260 / 570, then tiled: 125 / 138 / 175 / 301; coverage 0.05: 103 / 119 / 211 /
492, then tiled: 99 / 112 / 145 / 270 (each pair measured in the same minutes)."""


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


def plot_cost(rows: list[dict], scaling: list[dict], png: Path) -> bool:
    """Cost per event against lattice size, absolute and relative to 10^4 sites (how the cost
    grows with the lattice). False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no picture", flush=True)
        return False
    series = []
    for coverage, marker, line in ((0.5, "o", "-"), (0.05, "s", "--")):
        pts = [(r["sites"], r["cpu_ns_per_event"]) for r in scaling if r["coverage"] == coverage]
        series.append((f"mesolith, pure hopping, coverage {coverage} (CPU)", "C0", marker, line,
                       pts))
    compared = [r for r in rows if r["sites"] >= 10_000]
    series.append(("mesolith, comparison model (wall)", "C2", "^", "-",
                   [(r["sites"], 1e9 / r["mesolith_steps_per_s"]) for r in compared]))
    peer = [(r["sites"], 1e9 / r["kmcos_steps_per_s"]) for r in compared
            if np.isfinite(r["kmcos_steps_per_s"])]
    if peer:
        series.append(("kmcos 1.1.0, comparison model (wall)", "C3", "D", "-", peer))
    fig, (absolute, relative) = plt.subplots(1, 2, figsize=(11, 4.2))
    for label, color, marker, line, pts in series:
        sites, ns = np.array(pts, dtype=float).T
        style = dict(marker=marker, color=color, linestyle=line)
        absolute.plot(sites, ns, label=label, **style)
        relative.plot(sites, ns / np.interp(np.log(1e4), np.log(sites), ns), **style)
    absolute.set(xscale="log", yscale="log", xlabel="lattice sites",
                 ylabel="time per event (ns)", title="Cost per event")
    relative.axhline(1.0, color="0.6", linewidth=0.8)
    relative.set(xscale="log", xlabel="lattice sites", ylabel="cost / cost at $10^4$ sites",
                 title="Growth with lattice size", ylim=(0, None))
    absolute.legend(fontsize=8)
    for ax in (absolute, relative):
        ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    with atomic_output(png) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kmcos-model", type=Path, default=None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 100, 400, 1000, 3162])
    parser.add_argument("--steps", type=int, default=2_000_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS_kmc.md"))
    parser.add_argument("--hopping-only", action="store_true",
                        help="measure the hopping table only; keep the last comparison rows")
    parser.add_argument("--plot-only", action="store_true",
                        help="redraw RESULTS_kmc.png from RESULTS_kmc.json; measure nothing")
    args = parser.parse_args()
    if args.plot_only:
        results = json.loads(args.out.with_suffix(".json").read_text())
        plot_cost(results["lattice_gas"], results["hopping_scaling"], args.out.with_suffix(".png"))
        return
    _core.set_num_threads(1)

    rows = []
    load_start = os.getloadavg()[0]
    earlier = None
    no_peer = args.kmcos_model is None and not args.hopping_only
    if no_peer and args.out.with_suffix(".json").exists():
        # `make bench` has no kmcos: keep the last comparison rather than overwrite it with NaN.
        print("no --kmcos-model: the comparison rows of the last run are kept", flush=True)
        args.hopping_only = True
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
    plot_cost(rows, scaling, args.out.with_suffix(".png"))


if __name__ == "__main__":
    main()
