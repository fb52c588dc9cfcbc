"""Volume files: VTK image data (.vti), TIFF stacks and raw binary volumes.

File axes: TIFF stacks and raw volumes from tomography are usually stored slice by slice
along z, each slice row-major in (y, x): a ``(nz, ny, nx)`` array. Microstructures are
indexed ``[x, y, z]``; the functions here convert between the two. Every file is written
atomically (temporary file + rename).
"""

from __future__ import annotations

import base64
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from mesolith.io import atomic_output
from mesolith.micro.structure import PHASES, Microstructure

__all__ = ["read_raw", "read_tiff", "read_vti", "write_tiff", "write_vti"]


def write_vti(structure: Microstructure, path: str | Path) -> Path:
    """Write the labels as VTK XML image data (cell data ``labels``, spacing in m).

    Plain XML with base64 inline binary data (UInt64 headers), readable by ParaView and
    PyVista (``pyvista.read(path)``) without any VTK dependency here.

    Examples
    --------
    >>> ms = Microstructure(np.zeros((4, 5, 6), np.uint8), 1e-6)
    >>> write_vti(ms, "structure.vti")  # doctest: +SKIP
    """
    nx, ny, nz = structure.shape
    h = structure.voxel_size
    data = np.ascontiguousarray(structure.labels.transpose(2, 1, 0)).tobytes()  # x fastest
    payload = (base64.b64encode(struct.pack("<Q", len(data))) + base64.b64encode(data)).decode()
    names = ";".join(f"{k}={v}" for k, v in structure.phases.items())
    text = (
        '<?xml version="1.0"?>\n'
        '<VTKFile type="ImageData" version="1.0" byte_order="LittleEndian" '
        'header_type="UInt64">\n'
        f'  <ImageData WholeExtent="0 {nx} 0 {ny} 0 {nz}" Origin="0 0 0" '
        f'Spacing="{h!r} {h!r} {h!r}">\n'
        f'    <Piece Extent="0 {nx} 0 {ny} 0 {nz}">\n'
        '      <CellData Scalars="labels">\n'
        f'        <DataArray type="UInt8" Name="labels" format="binary" '
        f'RangeMin="{int(structure.labels.min())}" RangeMax="{int(structure.labels.max())}">\n'
        f"          {payload}\n"
        "        </DataArray>\n"
        "      </CellData>\n"
        "    </Piece>\n"
        "  </ImageData>\n"
        f"  <!-- mesolith microstructure; phases {names}; spacing in m -->\n"
        "</VTKFile>\n"
    )
    with atomic_output(path) as tmp:
        tmp.write_text(text)
    return Path(path)


def read_vti(path: str | Path, phases: dict[int, str] | None = None) -> Microstructure:
    """Read a .vti written by :func:`write_vti` (uncompressed binary or ascii UInt8 cells)."""
    root = ET.parse(path).getroot()
    image = root.find("ImageData")
    if image is None:
        raise ValueError(f"{path}: not VTK image data")
    ext = [int(v) for v in image.get("WholeExtent").split()]
    nx, ny, nz = ext[1] - ext[0], ext[3] - ext[2], ext[5] - ext[4]
    spacing = [float(v) for v in image.get("Spacing").split()]
    if not np.allclose(spacing, spacing[0]):
        raise ValueError(f"{path}: spacing {spacing} is not isotropic")
    array = image.find("Piece/CellData/DataArray")
    if array is None or array.get("type") != "UInt8":
        raise ValueError(f"{path}: expected a UInt8 cell-data array")
    text = (array.text or "").strip()
    if array.get("format") == "ascii":
        flat = np.array(text.split(), dtype=np.uint8)
    else:
        header_len = 8 if root.get("header_type", "UInt32") == "UInt64" else 4
        header_chars = 4 * ((header_len + 2) // 3)
        nbytes = int.from_bytes(base64.b64decode(text[:header_chars])[:header_len], "little")
        flat = np.frombuffer(base64.b64decode(text[header_chars:]), np.uint8)[:nbytes]
    labels = flat.reshape(nz, ny, nx).transpose(2, 1, 0)
    return Microstructure(np.ascontiguousarray(labels), spacing[0], dict(phases or PHASES))


def write_tiff(structure: Microstructure, path: str | Path) -> Path:
    """Write the labels as a multi-page TIFF stack: one uint8 page (ny, nx) per z slice.

    The voxel size is stored as the resolution (pixels per micrometre) and in the
    ImageJ metadata (``spacing``, unit ``um``).
    """
    import tifffile

    stack = np.ascontiguousarray(structure.labels.transpose(2, 1, 0))
    um = structure.voxel_size * 1e6
    with atomic_output(path) as tmp:
        tifffile.imwrite(tmp, stack, imagej=True, resolution=(1 / um, 1 / um),
                         metadata={"spacing": um, "unit": "um", "axes": "ZYX"})
    return Path(path)


def _to_labels(stack_zyx: np.ndarray, phase_map: dict[int, int] | None, name: str) -> np.ndarray:
    values = np.asarray(stack_zyx)
    if values.ndim != 3:
        raise ValueError(f"{name}: must hold a 3-D volume, got shape {values.shape}")
    if phase_map:
        out = np.full(values.shape, 255, np.uint8)
        for value, label in phase_map.items():
            out[values == value] = label
        if (out == 255).any():
            missing = sorted(set(np.unique(values[out == 255]).tolist()))[:10]
            raise ValueError(f"{name}: values {missing} have no entry in phase_map")
        values = out
    elif values.min() < 0 or values.max() > 255:
        raise ValueError(f"{name}: values must be labels 0..255 or be mapped with phase_map")
    return np.ascontiguousarray(values.astype(np.uint8).transpose(2, 1, 0))


def read_tiff(path: str | Path, voxel_size: float, phase_map: dict[int, int] | None = None,
              phases: dict[int, str] | None = None) -> Microstructure:
    """Read a segmented TIFF stack (pages = z slices, each (ny, nx)) as a Microstructure.

    Parameters
    ----------
    voxel_size : float
        Voxel edge in m.
    phase_map : dict, optional
        Grey value -> label, e.g. ``{0: 0, 128: 2, 255: 1}`` for pore / CBD / AM.
    """
    import tifffile

    return Microstructure(_to_labels(tifffile.imread(path), phase_map, str(path)), voxel_size,
                          dict(phases or PHASES))


def read_raw(path: str | Path, shape_zyx: tuple[int, int, int], voxel_size: float,
             dtype="uint8", phase_map: dict[int, int] | None = None, offset: int = 0,
             phases: dict[int, str] | None = None) -> Microstructure:
    """Read a raw binary volume stored slice by slice (C order ``(nz, ny, nx)``).

    Parameters
    ----------
    shape_zyx : (nz, ny, nx)
    dtype : numpy dtype of the file (byte order included, e.g. ``"<u2"``)
    offset : bytes to skip (a header)
    """
    count = int(np.prod(shape_zyx))
    data = np.fromfile(path, dtype=np.dtype(dtype), count=count, offset=offset)
    if data.size != count:
        raise ValueError(f"{path}: holds {data.size} values after the offset, "
                         f"shape {tuple(shape_zyx)} needs {count}")
    return Microstructure(_to_labels(data.reshape(shape_zyx), phase_map, str(path)),
                          voxel_size, dict(phases or PHASES))
