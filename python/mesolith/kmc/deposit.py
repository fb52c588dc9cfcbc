"""Morphology of a Li metal deposit given as a voxel mask above the anode surface."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["box_counting_dimension", "deposit_metrics"]


def box_counting_dimension(mask: np.ndarray, min_boxes: int = 3) -> float:
    """Box-counting (Minkowski) dimension of the set of True voxels.

    Boxes of edge 1, 2, 4, ... voxels tile the volume; the dimension is the slope of
    log N(s) against log(1/s), fitted over box sizes that leave at least ``min_boxes``
    occupied boxes. Returns NaN when fewer than two sizes qualify.

    Examples
    --------
    >>> m = np.zeros((16, 16, 1), bool); m[:, :, 0] = True
    >>> round(box_counting_dimension(m), 2)
    2.0
    """
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return math.nan
    sizes, counts = [], []
    s = 1
    while s <= max(mask.shape):
        shape = [math.ceil(n / s) * s for n in mask.shape]
        padded = np.zeros(shape, dtype=bool)
        padded[tuple(slice(0, n) for n in mask.shape)] = mask
        view = padded.reshape([v for n in shape for v in (n // s, s)])
        occupied = view.any(axis=tuple(range(1, 2 * mask.ndim, 2)))
        n = int(occupied.sum())
        if n < min_boxes:
            break
        sizes.append(s)
        counts.append(n)
        s *= 2
    if len(sizes) < 2:
        return math.nan
    slope, _ = np.polyfit(np.log(1.0 / np.asarray(sizes)), np.log(np.asarray(counts)), 1)
    return float(slope)


def deposit_metrics(metal: np.ndarray, spacing: float) -> dict[str, float]:
    """Volume, height, roughness, porosity and fractal dimension of a deposit.

    Parameters
    ----------
    metal : bool array (nx, ny, nz_above)
        Li metal voxels above the anode surface, z = 0 the first layer on the surface.
    spacing : float
        Voxel edge in m.

    Returns
    -------
    dict with ``volume`` (m^3), ``mean_height`` and ``max_height`` (m; a column's height is
    its highest metal voxel + 1), ``roughness`` (m, standard deviation of column heights),
    ``porosity`` (void fraction below the column tops; 0 for a compact film) and
    ``fractal_dimension`` (box counting of the voxel set).
    """
    metal = np.asarray(metal, dtype=bool)
    nz = metal.shape[2]
    any_metal = metal.any(axis=2)
    top = nz - np.argmax(metal[:, :, ::-1], axis=2)  # highest metal voxel + 1
    heights = np.where(any_metal, top, 0).astype(float)
    envelope = heights.sum()
    count = int(metal.sum())
    return {
        "volume": count * spacing**3,
        "mean_height": float(heights.mean()) * spacing,
        "max_height": float(heights.max()) * spacing,
        "roughness": float(heights.std()) * spacing,
        "porosity": float(1.0 - count / envelope) if envelope > 0 else 0.0,
        "fractal_dimension": box_counting_dimension(metal),
    }
