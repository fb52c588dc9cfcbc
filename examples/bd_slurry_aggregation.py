"""Aggregation of an NMC + carbon black + CMC slurry in salty water (runs in seconds).

Writes slurry.h5, slurry.dcd + slurry.pdb and slurry.vtp into ./bd_example/ and prints the
cluster-size distribution before and after.
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
    for name, sizes in (("before", before), ("after", after)):
        s, n = cluster_size_distribution(sizes)
        print(name, dict(zip(s.tolist(), n.tolist(), strict=True)))
    rg = radius_of_gyration(sim.positions, labels, sim.radii)
    print(f"largest cluster: {after[0]} particles, Rg = {rg[0] * 1e9:.0f} nm")
    sim.save(out / "slurry.h5")
    sim.write_dcd(out / "slurry.dcd")
    sim.write_vtp(out / "slurry.vtp")
