"""Dry the same slurry with the NMP + PVDF and water + CMC/SBR presets and compare.

Run: ``python examples/md_drying.py [--small] [--out results/md_drying] [--pictures DIR]``.
The default (about 370 beads, 22,000 steps per preset) takes about 30 s on 2 cores;
``--small`` takes seconds. Writes, per preset, the DCD + PDB trajectory, particles.vtp,
drying.h5 (thickness vs time) and the voxelised microstructure. ``--pictures DIR`` also
draws the film before and after drying (PyVista, off-screen) and thickness vs time
(matplotlib) as PNG files in DIR.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mesolith.analysis import Contacts
from mesolith.io import atomic_output
from mesolith.md import DryingSimulation, preset
from mesolith.md.slurry import build_slurry

LABELS = {"nmp_pvdf": "NMP + PVDF", "water_cmc_sbr": "water + CMC/SBR"}


def draw_films(sim, name: str, out: Path, pictures: Path, stage: str) -> Path:
    """Render the beads now (``stage`` "wet" or "dry") to ``pictures/md_<name>_<stage>.png``."""
    from mesolith.viz import render

    vtp = sim.write_vtp(out / f"particles_{stage}.vtp")
    height = (sim.final_thickness if stage == "dry" else sim.slurry.height * 1e-6) * 1e6
    return render(vtp, pictures / f"md_{name}_{stage}.png", size=(560, 420),
                  title=f"{LABELS[name]}, {stage}: H = {height:.1f} um")


def plot_thickness(runs: dict, pictures: Path) -> Path | None:
    """Thickness vs drying time of each preset (matplotlib); None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no thickness plot")
        return None
    fig, ax = plt.subplots(figsize=(5.0, 3.4), dpi=100)
    for name, sim in runs.items():
        ax.plot(sim.time, sim.thickness * 1e6, label=LABELS[name])
    ax.set_xlabel("drying time [s]")
    ax.set_ylabel("film thickness [um]")
    ax.legend()
    fig.tight_layout()
    target = pictures / "md_thickness.png"
    with atomic_output(target) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
    return target


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a seconds-long version")
    parser.add_argument("--out", type=Path, default=Path("results/md_drying"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pictures", type=Path, default=None,
                        help="draw the films and thickness vs time as PNG files here")
    args = parser.parse_args(argv)
    size = (dict(n_am=12, box_xy=18e-6, steps=3000, relax_steps=300, trajectory_interval=500)
            if args.small else dict(n_am=60, box_xy=30e-6, steps=20_000, relax_steps=2_000))
    slurry = build_slurry(preset("nmp_pvdf", seed=args.seed, **size))
    summary, runs = {}, {}
    print(f"{'preset':>14} {'H0 [um]':>8} {'H [um]':>7} {'porosity':>8} {'AM-AM':>6} {'AM-CC':>6}")
    for name in ("nmp_pvdf", "water_cmc_sbr"):
        out = args.out / name
        sim = DryingSimulation(preset(name, seed=args.seed, **size), out, slurry=slurry)
        if args.pictures:
            draw_films(sim, name, out, args.pictures, "wet")
        sim.run(progress=True)
        if args.pictures:
            draw_films(sim, name, out, args.pictures, "dry")
        runs[name] = sim
        sim.save(out / "drying.h5")
        sim.to_microstructure(0.25e-6).save(out / "microstructure.h5", seed=args.seed)
        contacts = Contacts(sim.trajectory.atoms).run(start=-1).results
        summary[name] = dict(thickness=sim.final_thickness, porosity=sim.final_porosity,
                             am_am=float(contacts.am_am[0]),
                             am_cc=float(contacts.am_cc_fraction[0]))
        print(f"{name:>14} {sim.thickness[0] * 1e6:8.2f} {sim.final_thickness * 1e6:7.2f} "
              f"{sim.final_porosity:8.3f} {contacts.am_am[0]:6.2f} "
              f"{contacts.am_cc_fraction[0]:6.2f}")
    if args.pictures:
        plot_thickness(runs, args.pictures)
    return summary


if __name__ == "__main__":
    main()
