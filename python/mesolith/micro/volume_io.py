"""Volume files: VTK image data (.vti), TIFF stacks and raw binary volumes.

File axes: TIFF stacks and raw volumes from tomography are usually stored slice by slice
along z, each slice row-major in (y, x): a ``(nz, ny, nx)`` array. Microstructures are
indexed ``[x, y, z]``; the functions here convert between the two. Every file is written
atomically (temporary file + rename).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mesolith.io import atomic_output
from mesolith.io.vtk import read_image, write_image
from mesolith.micro.structure import PHASES, Microstructure

__all__ = ["read_raw", "read_tiff", "read_vti", "write_tiff", "write_vti"]


def write_vti(structure: Microstructure, path: str | Path) -> Path:
    """Write the labels as VTK XML image data (cell data ``labels``, spacing in m).

    Readable by ParaView and PyVista (``pyvista.read(path)``); the phase names are
    kept in a comment so that :func:`read_vti` restores them.

    Examples
    --------
    >>> ms = Microstructure(np.zeros((4, 5, 6), np.uint8), 1e-6)
    >>> write_vti(ms, "structure.vti")  # doctest: +SKIP
    """
    names = ";".join(f"{k}={v}" for k, v in structure.phases.items())
    return write_image(path, {"labels": structure.labels}, structure.voxel_size,
                       comment=f"mesolith microstructure; phases {names}; spacing in m")


def read_vti(path: str | Path, phases: dict[int, str] | None = None) -> Microstructure:
    """Read a .vti label volume (first cell-data array, UInt8) written by :func:`write_vti`."""
    cell_data, spacing, _ = read_image(path)
    if not cell_data:
        raise ValueError(f"{path}: no cell data")
    labels = next(iter(cell_data.values()))
    if labels.dtype != np.uint8:
        raise ValueError(f"{path}: expected a UInt8 cell-data array, got {labels.dtype}")
    return _structure(labels, spacing, phases, path)


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
    if values.dtype.kind not in "biu":
        # float or complex grey values are not labels: refusing beats truncating them
        if values.dtype.kind != "f" or not np.all(np.isfinite(values)) or np.any(
                values != np.round(values)):
            raise ValueError(f"{name}: dtype {values.dtype} with non-integer values; a "
                             "segmented volume holds integer labels (segment it first)")
        values = values.astype(np.int64)
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

    try:
        stack = tifffile.imread(path)
    except (tifffile.TiffFileError, ValueError, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ValueError(f"{path}: not a readable TIFF stack (truncated or corrupted?): "
                         f"{exc}") from None
    return _structure(_to_labels(stack, phase_map, str(path)), voxel_size, phases, path)


def _structure(labels, voxel_size, phases, path) -> Microstructure:
    try:
        return Microstructure(labels, voxel_size, dict(phases or PHASES))
    except ValueError as exc:  # e.g. more labels than phases: say which file
        raise ValueError(f"{path}: {exc}") from None


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
    if len(shape_zyx) != 3 or any(int(s) < 1 for s in shape_zyx):
        raise ValueError(f"shape_zyx = {tuple(shape_zyx)}: must be three sizes >= 1")
    count = int(np.prod(shape_zyx))
    data = np.fromfile(path, dtype=np.dtype(dtype), count=count, offset=offset)
    if data.size != count:
        raise ValueError(f"{path}: holds {data.size} values after the offset, "
                         f"shape {tuple(shape_zyx)} needs {count}")
    extra = Path(path).stat().st_size - offset - count * np.dtype(dtype).itemsize
    if extra:  # a longer file means a wrong shape, dtype or offset, not spare bytes
        raise ValueError(f"{path}: {extra} bytes more than shape {tuple(shape_zyx)} of "
                         f"{np.dtype(dtype)} needs; check the shape, dtype and offset")
    return _structure(_to_labels(data.reshape(shape_zyx), phase_map, str(path)), voxel_size,
                      phases, path)
