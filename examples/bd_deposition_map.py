"""Deposition morphology vs Damkohler number (runs in about 10 s).

Prints height, roughness and porosity of deposits grown at three Damkohler numbers and
writes each deposit as a VTK PolyData file (bd_deposits/deposit_Da*.vtp) for ParaView.
"""

from pathlib import Path

import numpy as np

from mesolith import bd
from mesolith.io.vtk import write_points

if __name__ == "__main__":
    out = Path("bd_deposits")
    print("   Da   height [a]   roughness [a]   porosity")
    for da in (3.9, 0.4, 0.04):
        d = bd.deposition(da, walkers=400, radius=1e-9, cell_radii=12.0, seed=1)
        a = d.radius
        print(f"{da:5g}   {d.height / a:9.1f}   {d.roughness / a:12.1f}   {d.porosity:8.3f}")
        write_points(out / f"deposit_Da{da:g}.vtp", d.positions,
                  {"radius": np.full(len(d.positions), a),
                   "order": np.arange(len(d.positions))})
