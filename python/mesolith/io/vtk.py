"""VTK XML files without a VTK dependency: image data (.vti) and particles (.vtp).

Both are plain XML that ParaView and PyVista (``pyvista.read``) open. Volumes
are stored as base64 binary cell data (x fastest, as VTK expects), particles as
points with one vertex cell each and per-point arrays (e.g. ``radius`` in m,
which glyph filters use to draw spheres). Files are written atomically.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from mesolith._arrays import as_array
from mesolith.io.atomic import atomic_output

__all__ = ["read_image", "read_points", "write_image", "write_points"]

_VTK_TYPES = {
    np.dtype(np.uint8): "UInt8", np.dtype(np.int8): "Int8",
    np.dtype(np.uint16): "UInt16", np.dtype(np.int16): "Int16",
    np.dtype(np.uint32): "UInt32", np.dtype(np.int32): "Int32",
    np.dtype(np.uint64): "UInt64", np.dtype(np.int64): "Int64",
    np.dtype(np.float32): "Float32", np.dtype(np.float64): "Float64",
}


def _vtk_type(values: np.ndarray, name: str) -> str:
    try:
        return _VTK_TYPES[values.dtype]
    except KeyError:
        raise ValueError(f"{name}: dtype {values.dtype} has no VTK type") from None


def _binary(values: np.ndarray) -> str:
    """VTK's inline binary: base64 of a UInt64 byte count, then base64 of the bytes."""
    data = np.ascontiguousarray(values).astype(values.dtype.newbyteorder("<")).tobytes()
    return (base64.b64encode(struct.pack("<Q", len(data))) + base64.b64encode(data)).decode()


def _data_array(name: str, values: np.ndarray, components: int = 1) -> str:
    finite = values.size and np.isfinite(values).all()
    ranges = (f' RangeMin="{values.min()!r}" RangeMax="{values.max()!r}"' if finite else "")
    return (f'        <DataArray type="{_vtk_type(values, name)}" Name="{name}" '
            f'NumberOfComponents="{components}" format="binary"{ranges}>\n'
            f"          {_binary(values)}\n        </DataArray>")


def _write(path: str | Path, text: str) -> Path:
    target = Path(path)
    with atomic_output(target) as tmp:
        tmp.write_text(text)
    return target


def write_image(
    path: str | Path,
    cell_data: Mapping[str, np.ndarray],
    spacing: float,
    origin: Sequence[float] = (0.0, 0.0, 0.0),
    comment: str = "",
) -> Path:
    """Write 3D arrays indexed ``[x, y, z]`` as cell data of a VTK ImageData file.

    Parameters
    ----------
    path : path
        Target ``.vti`` file.
    cell_data : mapping of str to array (nx, ny, nz)
        One value per voxel; all arrays share the shape. The first is the active scalar.
    spacing : float
        Voxel edge in m.
    origin : 3 floats
        Position of the volume's corner in m.
    comment : str
        Free text stored as an XML comment (e.g. the phase names of the labels).

    Examples
    --------
    >>> write_image("labels.vti", {"labels": np.zeros((4, 4, 4), np.uint8)}, 1e-6)  # doctest: +SKIP
    """
    if not cell_data:
        raise ValueError("cell_data: must hold at least one array")
    if not (np.isfinite(spacing) and spacing > 0):
        raise ValueError(f"spacing = {spacing!r}: must be > 0 m and finite")
    arrays = {name: np.asarray(v) for name, v in cell_data.items()}
    shapes = {v.shape for v in arrays.values()}
    if len(shapes) != 1 or len(next(iter(shapes))) != 3:
        raise ValueError(f"cell_data: arrays must be 3D with one shape, got {sorted(shapes)}")
    nx, ny, nz = next(iter(shapes))
    ox, oy, oz = (float(v) for v in origin)
    extent = f"0 {nx} 0 {ny} 0 {nz}"
    body = "\n".join(_data_array(name, v.transpose(2, 1, 0)) for name, v in arrays.items())
    note = f"  <!-- {comment.replace('--', '- -')} -->\n" if comment else ""
    text = (
        '<?xml version="1.0"?>\n'
        '<VTKFile type="ImageData" version="1.0" byte_order="LittleEndian" '
        'header_type="UInt64">\n'
        f'  <ImageData WholeExtent="{extent}" Origin="{ox!r} {oy!r} {oz!r}" '
        f'Spacing="{spacing!r} {spacing!r} {spacing!r}">\n'
        f'    <Piece Extent="{extent}">\n'
        f'      <CellData Scalars="{next(iter(arrays))}">\n{body}\n      </CellData>\n'
        "    </Piece>\n  </ImageData>\n"
        f"{note}</VTKFile>\n"
    )
    return _write(path, text)


def write_points(
    path: str | Path, positions, point_data: Mapping[str, np.ndarray] | None = None
) -> Path:
    """Write points (N, 3) in m with per-point arrays as a VTK PolyData file.

    Each point is also a vertex cell so that viewers draw it; give a ``radius``
    array (m) to draw spheres with a glyph filter (``mesolith render`` does).

    Examples
    --------
    >>> write_points("p.vtp", [[0, 0, 0]], {"radius": [1e-6]})  # doctest: +SKIP
    """
    x = as_array(positions, "positions", np.float64, shape=(None, 3), allow_empty=True)
    n = x.shape[0]
    arrays = []
    for name, values in (point_data or {}).items():
        v = np.asarray(values)
        if v.dtype.kind in "b":
            v = v.astype(np.uint8)
        if v.ndim == 0 or v.shape[0] != n:
            raise ValueError(f"point_data[{name!r}]: must have {n} rows, got shape {v.shape}")
        arrays.append(_data_array(name, v, 1 if v.ndim == 1 else int(np.prod(v.shape[1:]))))
    idx = np.arange(n, dtype=np.int64)
    text = "\n".join([
        '<?xml version="1.0"?>',
        '<VTKFile type="PolyData" version="1.0" byte_order="LittleEndian" header_type="UInt64">',
        "  <PolyData>",
        f'    <Piece NumberOfPoints="{n}" NumberOfVerts="{n}" NumberOfLines="0" '
        'NumberOfStrips="0" NumberOfPolys="0">',
        "      <PointData>", *arrays, "      </PointData>",
        "      <Points>", _data_array("positions", x, 3), "      </Points>",
        "      <Verts>", _data_array("connectivity", idx), _data_array("offsets", idx + 1),
        "      </Verts>",
        "    </Piece>",
        "  </PolyData>",
        "</VTKFile>",
        "",
    ])
    return _write(path, text)


_NUMPY_TYPES = {name: dtype for dtype, name in _VTK_TYPES.items()}


def _decode(array, header_type: str) -> np.ndarray:
    """Values of one DataArray element, ascii or inline binary (uncompressed)."""
    dtype = _NUMPY_TYPES.get(array.get("type"))
    if dtype is None:
        raise ValueError(f"DataArray {array.get('Name')!r}: unsupported type {array.get('type')}")
    text = (array.text or "").strip()
    if array.get("format") == "ascii":
        values = np.array(text.split(), dtype=dtype)
    elif array.get("format") == "binary":
        header_len = 8 if header_type == "UInt64" else 4
        header_chars = 4 * ((header_len + 2) // 3)
        nbytes = int.from_bytes(base64.b64decode(text[:header_chars])[:header_len], "little")
        raw = base64.b64decode(text[header_chars:])[:nbytes]
        values = np.frombuffer(raw, dtype.newbyteorder("<")).astype(dtype)
    else:
        raise ValueError(f"DataArray {array.get('Name')!r}: format {array.get('format')!r} "
                         "is not supported (ascii or binary)")
    components = int(array.get("NumberOfComponents", "1"))
    return values.reshape(-1, components) if components > 1 else values


def _root(path: str | Path, kind: str):
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise ValueError(f"{path}: not a VTK XML file ({exc})") from None
    if root.get("type") != kind or root.get("compressor"):
        raise ValueError(f"{path}: expected uncompressed VTK {kind}, got {root.get('type')!r}")
    return root


def read_image(path: str | Path) -> tuple[dict[str, np.ndarray], float, tuple[float, ...]]:
    """Read cell data of a ``.vti`` (as written by :func:`write_image`).

    Returns ``(cell_data, spacing, origin)`` with arrays indexed ``[x, y, z]``.
    """
    root = _root(path, "ImageData")
    image = root.find("ImageData")
    ext = [int(v) for v in image.get("WholeExtent").split()]
    nx, ny, nz = ext[1] - ext[0], ext[3] - ext[2], ext[5] - ext[4]
    spacing = [float(v) for v in image.get("Spacing").split()]
    if not np.allclose(spacing, spacing[0]):
        raise ValueError(f"{path}: spacing {spacing} is not isotropic")
    origin = tuple(float(v) for v in image.get("Origin", "0 0 0").split())
    header = root.get("header_type", "UInt32")
    data = {}
    for array in image.findall("Piece/CellData/DataArray"):
        values = _decode(array, header)
        if values.size != nx * ny * nz:
            raise ValueError(f"{path}: {array.get('Name')!r} has {values.size} values, "
                             f"expected {nx * ny * nz}")
        data[array.get("Name")] = np.ascontiguousarray(
            values.reshape(nz, ny, nx).transpose(2, 1, 0))
    return data, spacing[0], origin


def read_points(path: str | Path) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Read positions (N, 3) and point data of a ``.vtp`` written by :func:`write_points`."""
    root = _root(path, "PolyData")
    piece = root.find("PolyData/Piece")
    header = root.get("header_type", "UInt32")
    positions = _decode(piece.find("Points/DataArray"), header).reshape(-1, 3)
    data = {a.get("Name"): _decode(a, header) for a in piece.findall("PointData/DataArray")}
    return positions, data
