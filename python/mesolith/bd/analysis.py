"""Trajectory and configuration analyses: MSD, clusters, radius of gyration."""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from mesolith._arrays import as_array

__all__ = ["cluster_size_distribution", "clusters", "msd", "radius_of_gyration"]


def msd(trajectory, max_lag: int | None = None) -> np.ndarray:
    """Mean squared displacement [m^2] vs lag (in frames), averaged over particles and
    all time origins.

    Parameters
    ----------
    trajectory : (F, N, 3) array [m]
    max_lag : int, optional
        Largest lag in frames (default F - 1).

    Returns
    -------
    (max_lag + 1,) array; element k is <|r(t + k) - r(t)|^2>.

    Examples
    --------
    >>> msd(np.zeros((5, 2, 3)))[1]
    0.0
    """
    traj = as_array(trajectory, "trajectory", np.float64, ndim=3)
    frames = traj.shape[0]
    max_lag = frames - 1 if max_lag is None else int(max_lag)
    if not 0 <= max_lag < frames:
        raise ValueError(f"max_lag = {max_lag}: must be in [0, {frames - 1}]")
    out = np.zeros(max_lag + 1)
    for k in range(1, max_lag + 1):
        d = traj[k:] - traj[:-k]
        out[k] = float(np.mean(np.sum(d * d, axis=-1)))
    return out


def clusters(positions, radii, gap: float, bonds=None) -> tuple[np.ndarray, np.ndarray]:
    """Clusters of particles whose surfaces are closer than ``gap`` [m] or that are bonded.

    Returns
    -------
    labels : (N,) int array, cluster index of each particle (largest cluster is 0)
    sizes : (C,) int array, particles per cluster, in decreasing order

    Examples
    --------
    >>> labels, sizes = clusters([[0, 0, 0], [2.0, 0, 0], [9.0, 0, 0]], [1, 1, 1], gap=0.1)
    >>> sizes.tolist()
    [2, 1]
    """
    r = as_array(radii, "radii", np.float64, ndim=1)
    x = as_array(positions, "positions", np.float64, shape=(r.size, 3))
    tree = cKDTree(x)
    pairs = tree.query_pairs(2 * r.max() + gap, output_type="ndarray")
    if pairs.size:
        dist = np.linalg.norm(x[pairs[:, 0]] - x[pairs[:, 1]], axis=1)
        pairs = pairs[dist - r[pairs[:, 0]] - r[pairs[:, 1]] < gap]
    if bonds is not None and len(bonds):
        pairs = np.vstack([pairs.reshape(-1, 2), np.asarray(bonds, dtype=np.int64)])
    n = r.size
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, raw = connected_components(graph, directed=False)
    counts = np.bincount(raw)
    order = np.argsort(-counts, kind="stable")
    relabel = np.empty_like(order)
    relabel[order] = np.arange(order.size)
    return relabel[raw], counts[order]


def cluster_size_distribution(sizes) -> tuple[np.ndarray, np.ndarray]:
    """Cluster sizes s and the number of clusters n(s) of each size."""
    s, n = np.unique(np.asarray(sizes, dtype=np.int64), return_counts=True)
    return s, n


def radius_of_gyration(positions, labels, radii=None) -> np.ndarray:
    """Radius of gyration [m] of each cluster (point particles, or solid spheres when
    ``radii`` is given: Rg^2 = <|r - r_cm|^2> + 3/5 <a^2>, mass-weighted)."""
    labels = np.asarray(labels, dtype=np.int64)
    x = as_array(positions, "positions", np.float64, shape=(labels.size, 3))
    mass = np.ones(labels.size) if radii is None else np.asarray(radii, dtype=np.float64) ** 3
    out = np.zeros(labels.max() + 1)
    for c in range(out.size):
        sel = labels == c
        m = mass[sel]
        cm = (x[sel] * m[:, None]).sum(0) / m.sum()
        rg2 = (np.sum((x[sel] - cm) ** 2, axis=1) * m).sum() / m.sum()
        if radii is not None:
            rg2 += 0.6 * (m * np.asarray(radii)[sel] ** 2).sum() / m.sum()
        out[c] = np.sqrt(rg2)
    return out
