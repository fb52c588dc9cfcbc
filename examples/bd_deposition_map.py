"""Deposition morphology vs Damkohler number (runs in about 20 s).

Prints a table of height, roughness and porosity of deposits grown at five Damkohler
numbers and writes each deposit as VTK PolyData (bd_deposits/deposit_Da*.vtp, with the
arrival order as point data) plus one PNG picture of all of them side by side at the same
scale, coloured by arrival order (PyVista, off-screen; needs the 'viz' extra).
"""

from pathlib import Path

import numpy as np

from mesolith import bd
from mesolith.io.vtk import write_points

DAMKOHLER = (3.9, 1.0, 0.4, 0.1, 0.04)

if __name__ == "__main__":
    out = Path("bd_deposits")
    print("| Da | height [a] | roughness [a] | porosity |\n|---|---|---|---|")
    files = []
    for da in DAMKOHLER:
        d = bd.deposition(da, walkers=400, radius=1e-9, cell_radii=12.0, seed=1)
        a = d.radius
        print(f"| {da:g} | {d.height / a:.1f} | {d.roughness / a:.1f} | {d.porosity:.3f} |")
        path = out / f"deposit_Da{da:g}.vtp"
        write_points(path, d.positions, {"radius": np.full(len(d.positions), a),
                                         "order": np.arange(len(d.positions))})
        files.append((da, path))
    try:
        from mesolith.viz import render_row

        png = render_row([path for _, path in files], out / "deposits.png",
                         titles=[f"Da = {da:g}" for da, _ in files], scalars="order",
                         size=(1000, 600))
        print(f"picture: {png}")
    except ImportError as err:  # PyVista is the optional 'viz' extra
        print(f"no pictures: {err}")
