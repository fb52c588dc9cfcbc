"""Plated fraction over a C-rate x temperature map from the anode kMC model.

Each point charges a near-surface graphite slab from SOC 0.6 by 20 % of its capacity and
records how much of the reduced Li plated instead of inserting. Writes
kmc_plating_map.json (and kmc_plating_map.png when matplotlib is installed).
Takes about a minute:  python examples/kmc_plating_map.py
"""

import json
from pathlib import Path

from mesolith.io import atomic_output
from mesolith.kmc.trends import TREND_BASE, plated_fraction_trend

c_rates = [1.0, 6.0]
temperatures = [268.15, 298.15]
grid = []
for temperature in temperatures:
    base = dict(TREND_BASE, temperature=temperature)
    points = plated_fraction_trend("c_rate", c_rates, seeds=(0, 1), delta_soc=0.2, base=base)
    grid.append([p.plated_fraction for p in points])
    for p in points:
        print(f"T = {temperature - 273.15:5.1f} C, {p.value:3.1f}C: plated fraction "
              f"{p.plated_fraction:.3f} +- {p.standard_error:.3f}, "
              f"mean E {p.mean_potential:+.3f} V")

out = Path("kmc_plating_map.json")
with atomic_output(out) as tmp:
    tmp.write_text(json.dumps({"c_rate": c_rates, "temperature_K": temperatures,
                               "plated_fraction": grid}, indent=2))
try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print(f"wrote {out} (install matplotlib for the picture)")
else:
    fig, ax = plt.subplots(figsize=(4, 3))
    mesh = ax.pcolormesh(c_rates, [t - 273.15 for t in temperatures], grid, shading="nearest")
    ax.set_xlabel("C-rate (1/h)")
    ax.set_ylabel("temperature (C)")
    fig.colorbar(mesh, label="plated fraction")
    fig.tight_layout()
    with atomic_output("kmc_plating_map.png") as tmp:
        fig.savefig(tmp, format="png", dpi=120)
    print(f"wrote {out} and kmc_plating_map.png")
