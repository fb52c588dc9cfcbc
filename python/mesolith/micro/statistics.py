"""Spatial statistics of a labelled volume: through-thickness profiles, two-point correlation.

These are analyses on top of the compiled core: profiles reuse the Crofton surface estimate
slab by slab, the two-point correlation uses numpy's FFT, the size distributions the exact
Euclidean distance transform and local thickness of the core.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mesolith import _core
from mesolith.micro.structure import Microstructure

__all__ = [
    "Profiles",
    "SizeDistribution",
    "TwoPointCorrelation",
    "chord_lengths",
    "local_thickness",
    "profiles",
    "size_distribution",
    "two_point_correlation",
]


@dataclass(frozen=True)
class Profiles:
    """Phase fractions and specific surface areas per slab along z.

    Attributes
    ----------
    z : ndarray
        Slab centres in m from the current collector.
    fractions : dict of str to ndarray
        Volume fraction of each phase per slab.
    specific_surface_area : dict of str to ndarray
        Interface area per slab volume for each phase pair, in 1/m.
    """

    z: np.ndarray
    fractions: dict[str, np.ndarray]
    specific_surface_area: dict[str, np.ndarray]

    units = {"z": "m", "fractions": "1", "specific_surface_area": "1/m"}


def profiles(structure: Microstructure, slab: int = 4, estimator: str = "crofton") -> Profiles:
    """Through-thickness profiles of a structure, for graded electrodes.

    Parameters
    ----------
    structure : Microstructure
    slab : int
        Slab thickness in voxels (>= 2: the surface estimate needs pairs of voxels inside a
        slab; >= 3 for the extrapolated estimator). The last slab may be thinner; where it
        is too thin for the estimator its surface area is NaN.
    estimator : {"crofton", "extrapolated"}
        Surface estimator, as in :func:`mesolith.micro.specific_surface_area`.

    Examples
    --------
    >>> v = np.zeros((8, 8, 16), np.uint8); v[:, :, 8:] = 1
    >>> p = profiles(Microstructure(v, 1e-6), slab=4)
    >>> p.fractions["AM"].tolist()
    [0.0, 0.0, 1.0, 1.0]
    """
    if estimator not in ("crofton", "extrapolated"):
        raise ValueError(f"estimator = {estimator!r}: must be 'crofton' or 'extrapolated'")
    reach = 2 if estimator == "extrapolated" else 1
    if not isinstance(slab, int) or slab < reach + 1:
        raise ValueError(f"slab = {slab!r}: must be an integer >= {reach + 1} voxels for the "
                         f"{estimator} estimator")
    labels, h = structure.labels, structure.voxel_size
    nz = labels.shape[2]
    starts = list(range(0, nz, slab))
    n_labels = int(labels.max()) + 1
    fractions = {name: [] for name in structure.phases.values()}
    pairs = {}
    for a in structure.phases:
        for b in structure.phases:
            if a < b:
                pairs[(a, b)] = "-".join(sorted((structure.phases[a], structure.phases[b])))
    surface = {name: [] for name in pairs.values()}
    for z0 in starts:
        part = np.ascontiguousarray(labels[:, :, z0:z0 + slab])
        counts = np.bincount(part.ravel(), minlength=max(structure.phases) + 1)
        for label, name in structure.phases.items():
            fractions[name].append(counts[label] / part.size)
        density = (_core.micro.interface_density(part, n_labels, extrapolate=reach == 2)
                   if part.shape[2] > reach else np.full((n_labels, n_labels), np.nan))
        for (a, b), name in pairs.items():
            value = density[a, b] / h if a < n_labels and b < n_labels else 0.0
            surface[name].append(value)
    centres = np.array([(z0 + min(slab, nz - z0) / 2) * h for z0 in starts])
    return Profiles(centres, {k: np.array(v) for k, v in fractions.items()},
                    {k: np.array(v) for k, v in surface.items()})


@dataclass(frozen=True)
class TwoPointCorrelation:
    """Radially averaged two-point correlation S2(r) of one phase.

    Attributes
    ----------
    r : ndarray
        Distances in m (bin centres, one voxel wide).
    s2 : ndarray
        Probability that two points r apart both lie in the phase; S2(0) = phase fraction.
    """

    r: np.ndarray
    s2: np.ndarray

    units = {"r": "m", "s2": "1"}


def two_point_correlation(structure: Microstructure, phase: int = 0,
                          periodic: bool = True, r_max: float | None = None
                          ) -> TwoPointCorrelation:
    """Two-point correlation of ``phase`` by FFT, radially averaged.

    With ``periodic=True`` the box is treated as periodic (exact for periodic generators);
    otherwise it is zero-padded and each lag is normalised by the number of point pairs
    inside the box.

    Parameters
    ----------
    r_max : float, optional
        Largest distance in m (default: half the smallest box edge).
    """
    from mesolith.memory import check_memory

    # float64 indicator, half-spectrum, product, correlation and radial-average arrays; the
    # zero-padded (non-periodic) transform holds several of them on 8x the voxels
    per_voxel = 48.0 if periodic else 400.0
    check_memory(per_voxel * structure.labels.size,
                 f"two-point correlation of a {' x '.join(map(str, structure.labels.shape))} "
                 "volume" + ("" if periodic else " (zero-padded)"))
    ind = (structure.labels == phase).astype(np.float64)
    shape = ind.shape
    if periodic:
        f = np.fft.rfftn(ind)
        corr = np.fft.irfftn(f * np.conj(f), s=shape, axes=(0, 1, 2)) / ind.size
    else:
        padded = [2 * n for n in shape]
        f = np.fft.rfftn(ind, s=padded, axes=(0, 1, 2))
        pairs = np.fft.rfftn(np.ones(shape), s=padded, axes=(0, 1, 2))
        num = np.fft.irfftn(f * np.conj(f), s=padded, axes=(0, 1, 2))
        den = np.fft.irfftn(pairs * np.conj(pairs), s=padded, axes=(0, 1, 2))
        corr = num / np.maximum(den, 1.0)
        shape = tuple(padded)
    grids = np.meshgrid(*[np.minimum(np.arange(n), n - np.arange(n)) for n in shape],
                        indexing="ij", sparse=True)
    dist = np.sqrt(sum(g.astype(np.float64) ** 2 for g in grids))
    limit = (r_max / structure.voxel_size) if r_max else min(structure.labels.shape) / 2
    bins = np.rint(dist).astype(np.int64)
    keep = bins <= limit
    sums = np.bincount(bins[keep], weights=corr[keep])
    counts = np.bincount(bins[keep])
    valid = counts > 0
    r = np.arange(len(sums))[valid] * structure.voxel_size
    return TwoPointCorrelation(r, sums[valid] / counts[valid])


@dataclass(frozen=True)
class SizeDistribution:
    """Volume-weighted size distribution of a phase from its local thickness.

    Attributes
    ----------
    diameters : ndarray
        Bin edges' upper ends in m (ascending).
    cumulative : ndarray
        Fraction of the phase volume with local thickness <= each diameter.
    mean_diameter : float
        Volume-weighted mean local thickness in m.
    """

    diameters: np.ndarray
    cumulative: np.ndarray
    mean_diameter: float

    units = {"diameters": "m", "cumulative": "1", "mean_diameter": "m"}


def local_thickness(structure: Microstructure, phase: int = 0) -> np.ndarray:
    """Local thickness of ``phase`` in m: at each voxel, the diameter of the largest ball that
    fits in the phase and contains the voxel (0 outside the phase).

    Balls are centred on voxel centres with the exact Euclidean distance to the nearest
    other-phase voxel centre as radius (the box edge does not bound them).
    """
    from mesolith.memory import check_memory

    # Per voxel: mask 1 B, squared distances 8 B, float result 4 B, float64 copy 8 B, and
    # up to one 32-byte ball record where the medial axis is dense.
    shape = structure.labels.shape
    check_memory(53.0 * structure.labels.size,
                 f"local thickness of a {' x '.join(map(str, shape))} voxel volume")
    mask = (structure.labels == phase).view(np.uint8)
    return _core.micro.local_thickness(mask).astype(np.float64) * structure.voxel_size


def size_distribution(structure: Microstructure, phase: int = 0,
                      bins: int = 50) -> SizeDistribution:
    """Volume-weighted cumulative distribution of local thickness (pore or particle sizes).

    Examples
    --------
    >>> v = np.zeros((20, 20, 20), np.uint8); v[:, :, 6:14] = 1   # an 8-voxel slab of AM
    >>> round(size_distribution(Microstructure(v, 1e-6), phase=1).mean_diameter * 1e6, 3)
    8.0
    """
    thickness = local_thickness(structure, phase)
    values = thickness[structure.labels == phase]
    if values.size == 0:
        raise ValueError(f"phase = {phase}: not present in the structure")
    edges = np.linspace(0.0, float(values.max()), bins + 1)[1:]
    # Count of values <= each edge: bin each value at the first edge >= it (no full sort).
    per_bin = np.bincount(np.searchsorted(edges, values, side="left"), minlength=bins + 1)
    cumulative = np.cumsum(per_bin[:bins]) / values.size
    return SizeDistribution(edges, cumulative, float(values.mean()))


def chord_lengths(structure: Microstructure, phase: int = 0, axis: int = 0,
                  periodic: bool = False) -> np.ndarray:
    """Lengths in m of the chords of ``phase`` along ``axis`` (runs of voxels on each line).

    Chords cut by the box are left out; with ``periodic=True`` the lines wrap, so chords
    across the box edge are joined and counted once (lines entirely in the phase are left
    out). A chord of k voxels has length k * voxel_size.

    Examples
    --------
    >>> v = np.zeros((1, 1, 12), np.uint8); v[0, 0, 2:5] = 1; v[0, 0, 7:8] = 1
    >>> (chord_lengths(Microstructure(v, 1e-6), phase=1, axis=2) * 1e6).round(6).tolist()
    [3.0, 1.0]
    """
    if axis not in (0, 1, 2):
        raise ValueError(f"axis = {axis!r}: must be 0, 1 or 2")
    lines = np.moveaxis(structure.labels, axis, -1).reshape(-1, structure.shape[axis])
    # Lines go in slabs of about CHORD_SLAB_VOXELS voxels, so the working arrays (the phase
    # mask, its steps and the chord ends) stay small whatever the volume; only the result
    # grows, by one float per chord.
    per_slab = max(1, CHORD_SLAB_VOXELS // lines.shape[1])
    pieces = [_slab_chords(lines[i:i + per_slab] == phase, periodic)
              for i in range(0, lines.shape[0], per_slab)]
    return np.concatenate(pieces).astype(np.float64) * structure.voxel_size


#: Voxels per slab of lines in :func:`chord_lengths` (about 10 bytes of work arrays each).
CHORD_SLAB_VOXELS = 1 << 22


def _slab_chords(lines: np.ndarray, periodic: bool) -> np.ndarray:
    """Chord lengths in voxels of the True runs in each row of ``lines``."""
    n = lines.shape[1]
    if periodic:
        lines = lines[~lines.all(axis=1)]
        lines = np.concatenate([lines, lines], axis=1)
    steps = np.diff(np.pad(lines.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    starts = np.argwhere(steps == 1)
    ends = np.argwhere(steps == -1)  # same row-major order: the k-th end closes the k-th start
    begin, stop = starts[:, 1], ends[:, 1]
    keep = (begin > 0) & (stop < lines.shape[1])
    if periodic:
        keep &= begin < n
    return stop[keep] - begin[keep]
