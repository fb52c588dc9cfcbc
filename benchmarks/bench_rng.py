"""Random-number throughput: mesolith's Philox-4x32-10 vs NumPy's Philox bit generator.

Both generate the same counts of uniform and normal doubles in one process, on
the same machine, one after the other; the table reports draws per second and
the ratio mesolith/NumPy (higher is better for mesolith). NumPy's Philox is
the 4x64 variant with a sequential stream, the closest peer available.

Run: python benchmarks/bench_rng.py
"""

from __future__ import annotations

import sys

import numpy as np
from _common import best_time, machine, write_json, write_markdown

from mesolith import _core

N = 20_000_000


def main() -> int:
    rows = []
    gen = np.random.Generator(np.random.Philox(42))
    peers = {
        "uniform": lambda: gen.random(N),
        "normal": lambda: gen.standard_normal(N),
        "exponential": lambda: gen.standard_exponential(N),
    }
    for threads in (1, 2):
        _core.set_num_threads(threads)
        for kind, peer in peers.items():
            ours = getattr(_core.rng, kind)
            t_ours = best_time(lambda ours=ours: ours(42, 0, N))
            t_peer = best_time(peer)
            rows.append({"kind": kind, "threads": threads, "mesolith_per_s": N / t_ours,
                         "numpy_per_s": N / t_peer, "ratio": t_peer / t_ours})
    lines = [
        "# Random numbers: mesolith Philox-4x32-10 vs NumPy Philox (4x64)",
        "",
        f"{N:,} draws, best of 5, {machine()}. NumPy's generator is single-threaded;",
        "mesolith fills arrays in parallel with identical results for any thread count.",
        "",
        "| distribution | mesolith threads | mesolith draws/s | NumPy draws/s | ratio |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['kind']} | {r['threads']} | {r['mesolith_per_s']:.3g} | "
                     f"{r['numpy_per_s']:.3g} | {r['ratio']:.2f}x |")
    text = "\n".join(lines) + "\n"
    write_markdown("rng", text)
    write_json("rng", {"n": N, "machine": machine(), "rows": rows})
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
