"""Particles as VTK PolyData (.vtp, plain ASCII XML), readable by ParaView and PyVista."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mesolith._arrays import as_array
from mesolith.io import atomic_output

__all__ = ["write_vtp"]


def _ascii(values: np.ndarray) -> str:
    if np.issubdtype(values.dtype, np.integer):
        return " ".join(str(int(v)) for v in values.ravel())
    return " ".join(f"{v:.9g}" for v in values.ravel())


_VTK_TYPES = {"f": "Float64", "i": "Int64", "u": "Int64"}


def write_vtp(path, positions, point_data: dict | None = None) -> Path:
    """Write points (N, 3) [m] with per-point arrays as a ``.vtp`` file, atomically.

    Each point is also a vertex cell so that viewers draw it; render spheres with
    a glyph filter scaled by the ``radius`` array.

    Examples
    --------
    >>> write_vtp("p.vtp", [[0, 0, 0]], {"radius": [1e-6]})  # doctest: +SKIP
    """
    x = as_array(positions, "positions", np.float64, shape=(None, 3))
    n = x.shape[0]
    arrays = []
    for name, values in (point_data or {}).items():
        v = np.asarray(values)
        if v.shape[0] != n:
            raise ValueError(f"point_data[{name!r}]: must have {n} rows, got {v.shape}")
        comps = 1 if v.ndim == 1 else v.shape[1]
        vtype = _VTK_TYPES[v.dtype.kind]
        arrays.append(f'        <DataArray type="{vtype}" Name="{name}" '
                      f'NumberOfComponents="{comps}" format="ascii">{_ascii(v)}</DataArray>')
    idx = np.arange(n)
    text = "\n".join([
        '<?xml version="1.0"?>',
        '<VTKFile type="PolyData" version="1.0" byte_order="LittleEndian">',
        "  <PolyData>",
        f'    <Piece NumberOfPoints="{n}" NumberOfVerts="{n}" NumberOfLines="0" '
        'NumberOfStrips="0" NumberOfPolys="0">',
        "      <PointData>", *arrays, "      </PointData>",
        "      <Points>",
        f'        <DataArray type="Float64" NumberOfComponents="3" format="ascii">{_ascii(x)}'
        "</DataArray>",
        "      </Points>",
        "      <Verts>",
        f'        <DataArray type="Int64" Name="connectivity" format="ascii">{_ascii(idx)}'
        "</DataArray>",
        f'        <DataArray type="Int64" Name="offsets" format="ascii">{_ascii(idx + 1)}'
        "</DataArray>",
        "      </Verts>",
        "    </Piece>",
        "  </PolyData>",
        "</VTKFile>",
        "",
    ])
    target = Path(path)
    with atomic_output(target) as tmp:
        tmp.write_text(text)
    return target
