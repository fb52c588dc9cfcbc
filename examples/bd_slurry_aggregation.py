"""Aggregation of an NMC + carbon black + CMC slurry in salty water (runs in seconds).

Writes slurry.h5, slurry.dcd + slurry.pdb, slurry.vtp and a picture slurry.png (PyVista,
off-screen; needs the 'viz' extra) into ./bd_example/ and prints the cluster-size
distribution before and after as a table.
"""

from pathlib import Path

from mesolith import bd
from mesolith.bd.analysis import cluster_size_distribution, radius_of_gyration

config = {
    "solvent": "water",
    "ionic_strength": 100.0,  # mol/m^3: screens the double layer, van der Waals wins
    "species": [
        {"name": "NMC", "preset": "nmc", "count": 4, "radius": 0.15e-6},
        {"name": "CB", "preset": "carbon_black", "count": 60},
        {"name": "CMC", "preset": "cmc", "count": 15},
    ],
    "box": (1.0e-6, 1.0e-6, 1.0e-6),
    "dt": 1e-7,
    "save_every": 100,
    "noise": "lanczos",
}

if __name__ == "__main__":
    out = Path("bd_example")
    sim = bd.Simulation(config, seed=11)
    _, before = sim.clusters()
    sim.run(3000, progress=True)
    labels, after = sim.clusters()
    print(f"simulated {sim.time * 1e6:.0f} us, {len(sim.bonds)} binder bonds, "
          f"{sim.drift_limited} drift-limited particle steps")
    print("| cluster size | clusters before | clusters after |\n|---|---|---|")
    s0, n0 = cluster_size_distribution(before)
    s1, n1 = cluster_size_distribution(after)
    table = {int(k): [0, 0] for k in sorted(set(s0.tolist()) | set(s1.tolist()))}
    for k, c in zip(s0, n0, strict=True):
        table[int(k)][0] = int(c)
    for k, c in zip(s1, n1, strict=True):
        table[int(k)][1] = int(c)
    for k, (b, a) in table.items():
        print(f"| {k} | {b} | {a} |")
    rg = radius_of_gyration(sim.positions, labels, sim.radii)
    print(f"largest cluster: {after[0]} particles, Rg = {rg[0] * 1e9:.0f} nm")
    sim.save(out / "slurry.h5")
    sim.write_dcd(out / "slurry.dcd")
    sim.write_vtp(out / "slurry.vtp")
    try:
        from mesolith.viz import render

        render(out / "slurry.vtp", title="NMC + carbon black + CMC after aggregation")
        print(f"picture: {out}/slurry.png")
    except ImportError as err:  # PyVista is the optional 'viz' extra
        print(f"no picture: {err}")
