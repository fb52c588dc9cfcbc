"""Voxel volumes as VTK XML image data (.vti), written atomically."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mesolith.io import atomic_output

__all__ = ["write_vti"]


def write_vti(path: str | Path, volume: np.ndarray, spacing: float, name: str = "deposit",
              origin=(0.0, 0.0, 0.0)) -> Path:
    """Write a 3D array indexed [x, y, z] as cell data of a VTK ImageData file (ASCII).

    Parameters
    ----------
    path : path
        Target ``.vti`` file.
    volume : array (nx, ny, nz)
        Values per voxel (stored as UInt8).
    spacing : float
        Voxel edge, m.

    Examples
    --------
    >>> write_vti("deposit.vti", np.zeros((4, 4, 4), np.uint8), 5e-10)  # doctest: +SKIP
    """
    vol = np.asarray(volume)
    if vol.ndim != 3:
        raise ValueError(f"volume: must be 3D, got shape {vol.shape}")
    nx, ny, nz = vol.shape
    values = " ".join(str(int(v)) for v in vol.astype(np.uint8).ravel(order="F"))
    text = (
        '<?xml version="1.0"?>\n'
        '<VTKFile type="ImageData" version="0.1" byte_order="LittleEndian">\n'
        f'  <ImageData WholeExtent="0 {nx} 0 {ny} 0 {nz}" '
        f'Origin="{origin[0]} {origin[1]} {origin[2]}" '
        f'Spacing="{spacing} {spacing} {spacing}">\n'
        f'    <Piece Extent="0 {nx} 0 {ny} 0 {nz}">\n'
        f'      <CellData Scalars="{name}">\n'
        f'        <DataArray type="UInt8" Name="{name}" format="ascii">{values}</DataArray>\n'
        "      </CellData>\n"
        "    </Piece>\n"
        "  </ImageData>\n"
        "</VTKFile>\n"
    )
    with atomic_output(path) as tmp:
        Path(tmp).write_text(text)
    return Path(path)
