"""The four plating trends of the anode kMC model as a table and a picture.

Each point charges the near-surface graphite slab of ``mesolith.kmc.trends`` (8 x 8 x 12,
8 host layers) by 30 % of its capacity at 2C, -5 C and SOC 0.6 unless the parameter of
the panel is the one varied, over four seeds; the plated fraction is the net plated Li
over the net reduced Li. Prints the table of docs/theory/kmc.md and writes
kmc_plating_trends.json and kmc_plating_trends.png (matplotlib). Takes about two minutes
on two cores:  python examples/kmc_plating_trends.py
"""

import json
from pathlib import Path

from mesolith.io import atomic_output
from mesolith.kmc.trends import plated_fraction_trend

KELVIN = 273.15
STUDIES = {  # parameter: (values, axis label, how a value is shown)
    "c_rate": ([0.5, 1.0, 2.0, 4.0, 6.0], "C-rate [1/h]", lambda v: v),
    "temperature": ([253.15, 268.15, 283.15, 298.15, 318.15], "temperature [C]",
                    lambda v: v - KELVIN),
    "initial_soc": ([0.3, 0.5, 0.6, 0.7], "initial SOC", lambda v: v),
    "concentration": ([500.0, 1000.0, 2000.0], "Li+ concentration [mol/L]",
                      lambda v: v / 1000),
}

if __name__ == "__main__":
    results = {}
    print("| varied | value | plated fraction | +- | mean E [V] |\n|---|---|---|---|---|")
    for parameter, (values, label, shown) in STUDIES.items():
        points = plated_fraction_trend(parameter, values, seeds=(0, 1, 2, 3))
        results[parameter] = [{"value": p.value, "plated_fraction": p.plated_fraction,
                               "standard_error": p.standard_error,
                               "mean_potential": p.mean_potential} for p in points]
        for p in points:
            print(f"| {label} | {shown(p.value):g} | {p.plated_fraction:.3f} | "
                  f"{p.standard_error:.3f} | {p.mean_potential:+.3f} |")
    out = Path("kmc_plating_trends.json")
    with atomic_output(out) as tmp:
        tmp.write_text(json.dumps(results, indent=2))
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"wrote {out} (install matplotlib for the picture)")
        raise SystemExit(0) from None
    fig, axes = plt.subplots(1, 4, figsize=(12, 3), sharey=True)
    for ax, (parameter, (_, label, shown)) in zip(axes, STUDIES.items(), strict=True):
        rows = results[parameter]
        ax.errorbar([shown(r["value"]) for r in rows], [r["plated_fraction"] for r in rows],
                    yerr=[r["standard_error"] for r in rows], marker="o", capsize=3)
        ax.set_xlabel(label)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("plated fraction")
    fig.suptitle("Li plating in the anode kMC model (mean +- standard error, 4 seeds)")
    fig.tight_layout()
    png = Path("kmc_plating_trends.png")
    with atomic_output(png) as tmp:
        fig.savefig(tmp, format="png", dpi=110)
    print(f"wrote {out} and {png}")
