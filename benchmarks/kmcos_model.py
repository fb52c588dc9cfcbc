"""Build the kmcos model used by bench_kmc.py: a square-lattice gas with adsorption,
desorption and nearest-neighbour hops (no interactions), the same model as
mesolith.kmc.LatticeGas(shape, hop_rate, adsorption_rate, desorption_rate).

Run in an environment with kmcos (numpy 1.24.x, gfortran):
    python benchmarks/kmcos_model.py OUTDIR
It writes and compiles the model in OUTDIR/lattice_gas_local_smart.
"""

from __future__ import annotations

import os
import sys

import kmcos
import numpy as np
from kmcos.types import Action, Condition, Site

HOP, ADS, DES = 1.0, 0.5, 0.5  # 1/s; the benchmark uses the same numbers


def build(outdir: str) -> None:
    os.makedirs(outdir, exist_ok=True)
    os.chdir(outdir)
    model = kmcos.create_kmc_model("lattice_gas")
    model.set_meta(author="mesolith", email="none@example.org", model_name="lattice_gas",
                   model_dimension=2)
    model.add_species(name="empty", color="#ffffff")
    model.add_species(name="A", color="#000000")
    layer = model.add_layer(name="square")
    layer.sites.append(Site(name="s", pos="0.5 0.5 0.5", default_species="empty"))
    model.lattice.cell = np.diag([1.0, 1.0, 10.0])
    model.add_parameter(name="k_hop", value=HOP)
    model.add_parameter(name="k_ads", value=ADS)
    model.add_parameter(name="k_des", value=DES)
    here = model.lattice.generate_coord("s.(0,0,0).square")
    model.add_process(name="adsorption", conditions=[Condition(species="empty", coord=here)],
                      actions=[Action(species="A", coord=here)], rate_constant="k_ads")
    model.add_process(name="desorption", conditions=[Condition(species="A", coord=here)],
                      actions=[Action(species="empty", coord=here)], rate_constant="k_des")
    for name, shift in (("right", (1, 0, 0)), ("left", (-1, 0, 0)), ("up", (0, 1, 0)),
                        ("down", (0, -1, 0))):
        there = model.lattice.generate_coord(f"s.({shift[0]},{shift[1]},0).square")
        model.add_process(
            name=f"hop_{name}",
            conditions=[Condition(species="A", coord=here), Condition(species="empty",
                                                                        coord=there)],
            actions=[Action(species="empty", coord=here), Action(species="A", coord=there)],
            rate_constant="k_hop")
    model.backend = "local_smart"
    model.clear_model()
    model.save_model()
    kmcos.compile(model)


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else "build/kmcos_bench")
