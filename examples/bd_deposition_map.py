"""Deposition morphology vs Damkohler number (runs in about 20 s).

Prints a table of height, roughness and porosity of deposits grown at five Damkohler
numbers and writes each deposit as VTK PolyData (bd_deposits/deposit_Da*.vtp, coloured by
arrival order) plus a PNG picture of it (PyVista, off-screen; needs the 'viz' extra).
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
        from mesolith.viz import render

        for da, path in files:
            render(path, title=f"Li deposit, Da = {da:g}")
        print(f"pictures: {out}/deposit_Da*.png")
    except ImportError as err:  # PyVista is the optional 'viz' extra
        print(f"no pictures: {err}")
