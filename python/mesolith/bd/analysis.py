"""Trajectory and configuration analyses: MSD, sedimentation profile, clusters, radius of
gyration."""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from mesolith._arrays import as_array

__all__ = [
    "cluster_size_distribution", "clusters", "fractal_dimension", "msd", "percolates",
    "radius_of_gyration", "sedimentation_profile",
]


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
    >>> float(msd(np.zeros((5, 2, 3)))[1])
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


def sedimentation_profile(trajectory, species, area: float, bins=50,
                          z_range: tuple[float, float] | None = None):
    """Number density n(z) [m^-3] of each species vs height, averaged over frames.

    For particles settling above a wall (``gravity`` and ``wall`` in the configuration)
    this is the sedimentation profile; at equilibrium and low concentration it follows the
    barometric law n(z) ~ exp(-z / l_g) with l_g = kT / (drho (4/3) pi a^3 g).

    Parameters
    ----------
    trajectory : (F, N, 3) or (N, 3) array [m]
        Particle centres (e.g. ``Simulation.trajectory``).
    species : (N,) int array
        Species index of every particle (``Simulation.species``).
    area : float
        Lateral area of the box, Lx * Ly [m^2].
    bins : int or 1-D array
        Number of slabs, or the slab edges [m].
    z_range : (float, float), optional
        Lowest and highest height [m] (default: the range of the centres).

    Returns
    -------
    edges : (B + 1,) array [m]
    density : (S, B) array [m^-3], row k for species k (S = max(species) + 1)

    Examples
    --------
    >>> edges, n = sedimentation_profile(np.zeros((1, 2, 3)) + 1e-6, [0, 0], 1e-10, bins=1,
    ...                                  z_range=(0.0, 2e-6))
    >>> float(n[0, 0])  # two particles in 1e-10 m^2 x 2e-6 m
    1e+16
    """
    traj = np.asarray(trajectory, dtype=np.float64)
    if traj.ndim == 2:
        traj = traj[None]
    traj = as_array(traj, "trajectory", np.float64, ndim=3)
    species = np.asarray(species)
    if species.shape != (traj.shape[1],) or not np.issubdtype(species.dtype, np.integer):
        raise ValueError(f"species: must be {traj.shape[1]} integers (one per particle), "
                         f"got shape {species.shape} and dtype {species.dtype}")
    if species.size and species.min() < 0:
        raise ValueError(f"species: indices must be >= 0, got {int(species.min())}")
    if not (np.isfinite(area) and area > 0):
        raise ValueError(f"area = {area!r}: must be > 0 m^2 and finite")
    z = traj[:, :, 2]
    if z_range is None and np.ndim(bins) == 0:
        z_range = (float(z.min()), float(z.max()))
    n_species = int(species.max()) + 1 if species.size else 0
    density = []
    for k in range(n_species):
        counts, edges = np.histogram(z[:, species == k].ravel(), bins=bins, range=z_range)
        density.append(counts / (traj.shape[0] * area * np.diff(edges)))
    if not density:
        edges = np.histogram_bin_edges([], bins=bins, range=z_range)
    return edges, np.array(density).reshape(n_species, len(edges) - 1)


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
    return labels_by_size(pairs.reshape(-1, 2), r.size)


def labels_by_size(pairs: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Connected components of ``n`` particles joined by ``pairs`` (M, 2), numbered by
    decreasing size: ``(labels (N,), sizes (C,))``, the largest cluster being 0."""
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


def fractal_dimension(positions, radii=None, centre=None, r_min=None, r_max=None,
                      points: int = 12) -> float:
    """Mass-radius fractal dimension of one aggregate: the slope of log N(r) against
    log r, with N(r) the number of particles within r of the centre of mass.

    Parameters
    ----------
    positions : (N, 3) array [m]
    r_min, r_max : float, optional
        Fit range [m]; default from 2 mean radii (or 2 nearest-neighbour distances) to
        the radius of gyration, the range where an aggregate's mass-radius law holds.

    Examples
    --------
    >>> line = np.column_stack([np.arange(200.0), np.zeros(200), np.zeros(200)])
    >>> round(fractal_dimension(line), 1)
    1.0
    """
    x = as_array(positions, "positions", np.float64, shape=(None, 3))
    c = x.mean(axis=0) if centre is None else np.asarray(centre, dtype=np.float64)
    d = np.sort(np.linalg.norm(x - c, axis=1))
    rg = float(np.sqrt(np.mean(np.sum((x - x.mean(axis=0)) ** 2, axis=1))))
    if r_min is None:
        if radii is not None:
            r_min = 4.0 * float(np.mean(radii))
        else:
            nn = cKDTree(x).query(x, k=2)[0][:, 1]
            r_min = 4.0 * float(np.median(nn))
    r_max = rg if r_max is None else r_max
    if not 0 < r_min < r_max:
        raise ValueError(f"fit range r_min = {r_min:.3g}, r_max = {r_max:.3g}: need "
                         "0 < r_min < r_max (is the aggregate large enough?)")
    r = np.geomspace(r_min, r_max, points)
    n = np.searchsorted(d, r, side="right")
    ok = n > 0
    return float(np.polyfit(np.log(r[ok]), np.log(n[ok]), 1)[0])


def percolates(positions, radii, gap: float, axis: int = 2, bonds=None,
               bounds: tuple[float, float] | None = None) -> bool:
    """Whether one connected cluster (surfaces closer than ``gap`` [m], or bonded) touches
    both faces of the slab ``bounds`` [m] along ``axis`` (default: the extent of the
    particles), i.e. a conducting path spans the sample (a carbon-black network).

    Examples
    --------
    >>> chain = np.column_stack([np.zeros(5), np.zeros(5), 2.0 * np.arange(5)])
    >>> percolates(chain, np.ones(5), gap=0.1)
    True
    """
    r = as_array(radii, "radii", np.float64, ndim=1)
    x = as_array(positions, "positions", np.float64, shape=(r.size, 3))
    lo, hi = (x[:, axis] - r).min(), (x[:, axis] + r).max()
    if bounds is not None:
        lo, hi = bounds
    labels, _ = clusters(x, r, gap, bonds)
    bottom = set(labels[x[:, axis] - r <= lo + gap].tolist())
    top = set(labels[x[:, axis] + r >= hi - gap].tolist())
    return bool(bottom & top)
