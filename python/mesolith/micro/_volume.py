"""Accept a Microstructure, a label array or a boolean array wherever a volume is expected."""

from __future__ import annotations

import numpy as np

from mesolith._arrays import as_array
from mesolith.micro.structure import Microstructure

__all__ = ["as_labels"]


def as_labels(volume, phase: int | None = None) -> tuple[np.ndarray, int | None, float | None]:
    """Return ``(labels uint8 (nx, ny, nz), phase, voxel_size or None)``.

    A boolean array is read with the PoreSpy convention: ``True`` marks the phase of interest
    (the pore space); it becomes labels 1 (True) and 0, and ``phase`` is always 1.
    """
    if isinstance(volume, Microstructure):
        return volume.labels, phase, volume.voxel_size
    arr = np.asarray(volume)
    if arr.dtype == bool:
        return np.ascontiguousarray(arr, dtype=np.uint8), 1, None
    if arr.ndim == 3 and np.issubdtype(arr.dtype, np.integer) and arr.size:
        lo, hi = int(arr.min()), int(arr.max())
        if lo < 0 or hi > 255:
            raise ValueError(f"volume: labels must be in 0..255, found {lo}..{hi}")
        arr = arr.astype(np.uint8, copy=False)
    return as_array(arr, "volume", np.uint8, ndim=3), phase, None
