"""Carbon-black aggregates by rigid-cluster DLCA, their fractal dimension, and the loading
at which they form a conducting network (runs in about 30 s).

Writes into ./bd_carbon_black/: aggregate.vtp + aggregate.png (the largest aggregate) and
network.vtp + network.png (aggregates at the percolation loading, the spanning network
coloured apart), and prints two tables.
"""

from pathlib import Path

import numpy as np

from mesolith import _core
from mesolith.bd.aggregation import aggregate
from mesolith.bd.percolation import aggregate_percolation_threshold, wrapping_clusters
from mesolith.io.vtk import write_points

A = 25e-9  # carbon-black primary radius [m] (the carbon_black preset)

if __name__ == "__main__":
    out = Path("bd_carbon_black")
    # 1. aggregation of 1500 primaries at 0.5 vol% in water, until one cluster is left
    res = aggregate(1500, A, 0.005, viscosity=0.89e-3, seed=3)
    d_f, k0 = res.fractal_dimension()
    print(f"aggregated in {res.info['time'] * 1e3:.2f} ms of Brownian time; "
          f"d_f = {d_f:.2f}, k0 = {k0:.2f} (DLCA: 1.78, 1.3)")
    print("\n| N | Rg [nm] | R_h [nm] | clusters |\n|---|---|---|---|")
    m = res.merges
    for lo, hi in ((2, 3), (4, 7), (8, 15), (16, 31), (32, 63), (64, 127), (128, 255)):
        sel = (m["size"] >= lo) & (m["size"] <= hi)
        if sel.any():
            print(f"| {lo}-{hi} | {m['radius_of_gyration'][sel].mean() * 1e9:.0f} | "
                  f"{m['hydrodynamic_radius'][sel].mean() * 1e9:.0f} | {sel.sum()} |")
    big = res.positions[res.labels == 0]
    write_points(out / "aggregate.vtp", big, {"radius": np.full(len(big), A)})

    # 2. percolation of randomly placed, penetrable aggregates vs their size
    print("\n| primaries per aggregate | eta_c (loading) | +- | covered fraction |"
          "\n|---|---|---|---|")
    for n0, box in ((1, 24.0), (8, 30.0), (32, 60.0)):
        t = aggregate_percolation_threshold(n0, box, 4, seed=1)
        print(f"| {n0} | {t['eta']:.3f} | {t['eta_se']:.3f} | {t['covered_fraction']:.3f} |")

    # 3. a network at the percolation loading: spheres of the spanning cluster marked
    shapes = aggregate(8, 1.0, 0.01, seed=5).positions
    box_a = 30.0
    n_agg = int(0.14 * box_a**3 / (4.0 / 3.0 * np.pi) / 8)
    centres = _core.rng.uniform(7, 1, 3 * n_agg, 0).reshape(-1, 3) * box_a
    x = (shapes[None, :, :] - shapes.mean(0) + centres[:, None, :]).reshape(-1, 3)
    net = wrapping_clusters(x, np.ones(len(x)), box_a, gap=0.05)
    spanning = np.isin(net.labels, np.flatnonzero(net.wraps.any(axis=1)))
    print(f"\n{n_agg} aggregates of 8 in a box of {box_a:g} a: wraps along x, y, z = "
          f"{net.percolates.tolist()}, {spanning.sum()} primaries in the network")
    write_points(out / "network.vtp", (x % box_a) * A,
                 {"radius": np.where(spanning, A, 0.6 * A)})
    try:
        from mesolith.viz import render

        render(out / "aggregate.vtp", title=f"DLCA aggregate, N = {len(big)}, d_f = {d_f:.2f}")
        render(out / "network.vtp", title="carbon-black network (large: spanning cluster)")
        print(f"pictures in {out}/")
    except ImportError as err:  # PyVista is the optional 'viz' extra
        print(f"no pictures: {err}")
