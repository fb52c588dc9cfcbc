"""Percolation of particle networks in a periodic box (carbon-black networks).

A cluster percolates in a periodic box when it is connected to one of its own periodic
images: following contacts from a particle one returns to a copy of it shifted by a box
vector. The test unwraps each cluster along a breadth-first spanning tree of its contact
graph (every tree edge carries its minimum-image contact vector) and then checks every
contact: one whose unwrapped vector differs from its minimum-image vector by a non-zero
box vector closes a loop around the box, and the cluster wraps along that axis.

The continuum-percolation threshold of overlapping (fully penetrable) spheres is the
check: reduced density ``eta_c = n 4/3 pi a^3 = 0.3418``, covered fraction
``phi_c = 1 - exp(-eta_c) = 0.2895`` (Rintoul & Torquato, J. Phys. A 30, L585, 1997).

Examples
--------
>>> chain = np.column_stack([np.arange(10) * 1.9, np.zeros(10), np.zeros(10)])
>>> wrapping_clusters(chain, np.ones(10), box=19.0).wraps[0].tolist()
[True, False, False]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import breadth_first_order
from scipy.spatial import cKDTree

from mesolith import _core
from mesolith._arrays import as_array
from mesolith.bd.analysis import labels_by_size

__all__ = [
    "ETA_C_OVERLAPPING_SPHERES", "WrappingClusters", "aggregate_percolation_threshold",
    "overlapping_sphere_threshold",
    "percolation_threshold", "wrapping_clusters",
]

#: Continuum percolation threshold of overlapping spheres (Rintoul & Torquato 1997).
ETA_C_OVERLAPPING_SPHERES = 0.3418

_PERCOLATION_STREAM = 0x9E2C_0000_0000


@dataclass
class WrappingClusters:
    """Clusters of a periodic configuration: ``labels`` (N,) with 0 the largest, ``sizes``
    (C,), ``wraps`` (C, 3) bool (cluster connected to its own image along x, y, z) and
    ``unwrapped`` (N, 3) positions [m], contiguous within each cluster up to its wraps."""

    labels: np.ndarray
    sizes: np.ndarray
    wraps: np.ndarray
    unwrapped: np.ndarray

    @property
    def percolates(self) -> np.ndarray:
        """(3,) bool: some cluster wraps along x, y, z."""
        return self.wraps.any(axis=0)


def _contacts(x, r, box, gap):
    tree = cKDTree(x, boxsize=box)
    pairs = tree.query_pairs(2 * r.max() + gap, output_type="ndarray")
    if not pairs.size:
        return pairs.reshape(0, 2), np.zeros((0, 3))
    d = x[pairs[:, 1]] - x[pairs[:, 0]]
    d -= box * np.round(d / box)
    near = np.linalg.norm(d, axis=1) - r[pairs[:, 0]] - r[pairs[:, 1]] < gap
    return pairs[near], d[near]


def wrapping_clusters(positions, radii, box: float, gap: float = 0.0) -> WrappingClusters:
    """Connected clusters (surfaces closer than ``gap`` [m]; ``gap = 0`` means touching or
    overlapping) of spheres in the periodic cube of edge ``box`` [m], and which of them
    wrap around the box.

    Parameters
    ----------
    positions : (N, 3) array [m], any image
    radii : (N,) array [m]
    box : float
        Edge of the periodic cube [m]; contacts must be shorter than box / 2.
    gap : float
        Contact criterion (e.g. a tunnelling distance for electronic contact) [m].
    """
    r = as_array(radii, "radii", np.float64, ndim=1)
    x = as_array(positions, "positions", np.float64, shape=(r.size, 3)) % box
    n = r.size
    if not 2 * r.max() + gap < box / 2:
        raise ValueError(f"box = {box:.3g} m: must exceed 2 (2 a_max + gap) = "
                         f"{2 * (2 * r.max() + gap):.3g} m")
    pairs, d = _contacts(x, r, box, gap)
    labels, sizes = labels_by_size(pairs, n)
    # Spanning forest: a virtual node n joined to the first particle of every cluster.
    roots = np.unique(labels, return_index=True)[1]
    rows = np.concatenate([pairs[:, 0], pairs[:, 1], np.full(roots.size, n)])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0], roots])
    forest = coo_matrix((np.ones(rows.size), (rows, cols)), shape=(n + 1, n + 1)).tocsr()
    bfs, parent = breadth_first_order(forest, n, directed=True, return_predecessors=True)
    bfs = bfs[1:]
    depth = np.zeros(n + 1, dtype=np.int64)
    par = parent[bfs]
    for k, node in enumerate(bfs):  # BFS order: a parent always comes before its child
        depth[node] = depth[par[k]] + 1
    u = x.copy()
    for level in range(2, int(depth.max()) + 1 if n else 0):
        nodes = bfs[depth[bfs] == level]
        p = parent[nodes]
        step = x[nodes] - x[p]
        step -= box * np.round(step / box)
        u[nodes] = u[p] + step
    shift = np.round((u[pairs[:, 1]] - u[pairs[:, 0]] - d) / box).astype(np.int64)
    wraps = np.zeros((sizes.size, 3), dtype=bool)
    looped = shift != 0
    for axis in range(3):
        wraps[np.unique(labels[pairs[looped[:, axis], 0]]), axis] = True
    return WrappingClusters(labels, sizes, wraps, u)


def percolation_threshold(sample, n_max: int, box: float, gap: float = 0.0,
                          axis: int | None = None) -> int:
    """Smallest number of the particles of ``sample`` (taken in order) whose first ``k``
    form a cluster wrapping the box (along ``axis``, or any axis if None); ``n_max + 1``
    if even all ``n_max`` do not. Wrapping only becomes more likely as particles are
    added, so the first wrapping prefix is found by bisection.

    ``sample(k)`` returns ``(positions, radii)`` of the first ``k`` particles.
    """
    def wraps(k):
        if k == 0:
            return False
        x, r = sample(k)
        p = wrapping_clusters(x, r, box, gap).percolates
        return bool(p.any() if axis is None else p[axis])

    if not wraps(n_max):
        return n_max + 1
    lo, hi = 0, n_max  # wraps(lo) is False, wraps(hi) is True
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if wraps(mid):
            hi = mid
        else:
            lo = mid
    return hi


def overlapping_sphere_threshold(box_in_radii: float, realisations: int, seed: int = 0,
                                 axis: int | None = 0) -> tuple[float, float]:
    """Percolation threshold of overlapping spheres of radius 1 in a periodic cube of
    edge ``box_in_radii``: the mean over ``realisations`` of the reduced density
    ``eta = N 4/3 pi / L^3`` at which a cluster first wraps (along ``axis``), and its
    standard error.

    Examples
    --------
    >>> eta, se = overlapping_sphere_threshold(12.0, 4, seed=1)
    >>> 0.1 < eta < 0.6
    True
    """
    L = float(box_in_radii)
    v = 4.0 / 3.0 * math.pi
    n_max = int(math.ceil(0.8 * L**3 / v))  # eta = 0.8, far above the threshold
    etas = []
    ones = np.ones(n_max)
    for k in range(realisations):
        x = _core.rng.uniform(seed, _PERCOLATION_STREAM + k, 3 * n_max, 0).reshape(-1, 3) * L
        n_c = percolation_threshold(lambda m, x=x: (x[:m], ones[:m]), n_max, L, axis=axis)
        etas.append(n_c * v / L**3)
    etas = np.asarray(etas)
    se = float(etas.std(ddof=1) / math.sqrt(etas.size)) if etas.size > 1 else float("nan")
    return float(etas.mean()), se


def _random_rotations(seed: int, stream: int, count: int) -> np.ndarray:
    """``count`` uniformly random rotation matrices (unit quaternions from 4 normals)."""
    q = _core.rng.normal(seed, stream, 4 * count, 0).reshape(count, 4)
    w, x, y, z = (q / np.linalg.norm(q, axis=1, keepdims=True)).T
    return np.stack([
        np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)], -1),
        np.stack([2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)], -1),
        np.stack([2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)], -1),
    ], axis=1)


def aggregate_percolation_threshold(primaries: int, box_in_radii: float, realisations: int,
                                    gap_in_radii: float = 0.05, library: int = 8,
                                    seed: int = 0) -> dict:
    """Percolation threshold of randomly placed, mutually penetrable carbon-black aggregates.

    ``library`` DLCA aggregates of ``primaries`` spheres (radius 1) are grown with
    :func:`mesolith.bd.aggregation.aggregate`; each realisation drops copies of them, with
    random centres, orientations and library members, into a periodic cube of edge
    ``box_in_radii`` until one network wraps the box along any axis (primaries of different
    aggregates conduct when their surfaces are closer than ``gap_in_radii``, a tunnelling
    distance). The threshold is reported as the nominal solid loading ``eta`` (primary
    volume over box volume, overlaps counted twice), its standard error over realisations,
    and the covered fraction ``1 - exp(-eta)`` that ``eta`` would give for independent spheres.

    Examples
    --------
    >>> out = aggregate_percolation_threshold(1, 12.0, 3, seed=1)
    >>> 0.1 < out["eta"] < 0.6
    True
    """
    from mesolith.bd.aggregation import aggregate

    L = float(box_in_radii)
    shapes = []
    for k in range(library):
        if primaries == 1:
            shapes.append(np.zeros((1, 3)))
            continue
        res = aggregate(primaries, 1.0, 0.01, seed=seed * 7919 + k)
        shapes.append(res.positions - res.positions.mean(axis=0))
    extent = max(float(np.linalg.norm(s, axis=1).max()) for s in shapes)
    if 2 * (extent + 1) >= L / 2:  # an aggregate must be far from wrapping on its own
        raise ValueError(f"box_in_radii = {L:g}: aggregates reach {2 * extent + 2:.1f} radii "
                         "across; the box must be more than twice that")
    v = 4.0 / 3.0 * math.pi
    n_max = int(math.ceil(0.8 * L**3 / v / primaries))  # far above any threshold
    etas = []
    for k in range(realisations):
        stream = _PERCOLATION_STREAM + 0x1_0000 + k
        centres = _core.rng.uniform(seed, stream, 4 * n_max, 0).reshape(n_max, 4)
        rot = _random_rotations(seed, stream + 0x8000, n_max)
        which = (centres[:, 3] * library).astype(int) % library
        parts = [shapes[which[i]] @ rot[i].T + centres[i, :3] * L for i in range(n_max)]
        x = np.concatenate(parts)

        def sample(m, x=x):
            return x[: m * primaries], np.ones(m * primaries)

        n_c = percolation_threshold(sample, n_max, L, gap=gap_in_radii)
        etas.append(n_c * primaries * v / L**3)
    etas = np.asarray(etas)
    eta = float(etas.mean())
    se = float(etas.std(ddof=1) / math.sqrt(etas.size)) if etas.size > 1 else float("nan")
    return {"primaries": primaries, "eta": eta, "eta_se": se,
            "covered_fraction": 1.0 - math.exp(-eta), "box_in_radii": L,
            "gap_in_radii": gap_in_radii, "realisations": realisations}
