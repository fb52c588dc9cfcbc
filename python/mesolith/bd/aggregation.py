"""Irreversible aggregation of rigid clusters (off-lattice DLCA) and its fractal dimension.

Spheres in a periodic box stick rigidly where they touch; each cluster then moves as one
rigid body with the Stokes-Einstein diffusion coefficient of its Kirkwood hydrodynamic
radius, ``D_c = kT / (6 pi eta R_h)``, ``1/R_h = (1/N^2) [sum 1/a_i + sum_{i != j} 1/r_ij]``.
This is Brownian dynamics of rigid clusters in the free-draining limit between clusters
(no inter-cluster hydrodynamics; translation only unless ``rotation=True``), run as a
kinetic Monte Carlo of fixed-length swept moves with exact contact detection
(``cpp/src/bd/dlca.cpp``). In 3D it gives the diffusion-limited cluster aggregation
fractal dimension ``d_f ~ 1.78`` (Meakin, Phys. Rev. Lett. 51, 1119, 1983; Jullien & Kolb,
J. Phys. A 17, L639, 1984).

Examples
--------
>>> res = aggregate(200, radius=1e-7, volume_fraction=0.01, seed=1)
>>> int(res.sizes.sum())
200
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

from mesolith import _core
from mesolith._arrays import as_array
from mesolith.bd.units import BOLTZMANN

__all__ = ["AggregationResult", "aggregate", "fit_fractal_dimension", "periodic_placement"]

_PLACEMENT_STREAM = 0xD1CA_0000_0000  # placement draws, apart from the aggregation stream


def periodic_placement(radii, box: float, seed: int, max_rounds: int = 1000) -> np.ndarray:
    """Random non-overlapping centres of spheres ``radii`` in the periodic cube ``[0, box)^3``.

    All centres are drawn at once (Philox, keyed by ``seed``); the later particle of every
    overlapping pair is drawn again until no pair overlaps (fine for dilute systems).

    Examples
    --------
    >>> periodic_placement(np.ones(10), 20.0, seed=0).shape
    (10, 3)
    """
    r = as_array(radii, "radii", np.float64, ndim=1)
    n = r.size
    x = _core.rng.uniform(seed, _PLACEMENT_STREAM, 3 * n, 0).reshape(n, 3) * box
    block = 3 * n
    for _ in range(max_rounds):
        pairs = cKDTree(x, boxsize=box).query_pairs(2 * r.max(), output_type="ndarray")
        if pairs.size:
            d = x[pairs[:, 0]] - x[pairs[:, 1]]
            d -= box * np.round(d / box)
            pairs = pairs[np.linalg.norm(d, axis=1) < r[pairs[:, 0]] + r[pairs[:, 1]]]
        if not pairs.size:
            return x
        again = np.unique(pairs[:, 1])
        fresh = _core.rng.uniform(seed, _PLACEMENT_STREAM, 3 * again.size, block)
        block += 3 * again.size
        x[again] = fresh.reshape(-1, 3) * box
        x %= box
    raise ValueError(f"could not place {n} spheres without overlap in a box of {box:.3g}: "
                     "the volume fraction is too high for random placement")


def fit_fractal_dimension(sizes, radii_of_gyration, min_size: int = 10,
                          max_size: int | None = None, bins_per_decade: int = 6):
    """Fractal dimension from ``Rg ~ N^(1/d_f)`` over an ensemble of clusters.

    The clusters are binned in log N (``bins_per_decade``), the mean log Rg of each bin is
    fitted by a straight line against the bin's mean log N (each bin weighted by its
    count), and ``d_f = 1 / slope``.

    Returns
    -------
    (d_f, prefactor k0) with ``N = k0 (Rg / a)^d_f`` when Rg is in particle radii.

    Examples
    --------
    >>> n = np.arange(10, 1000)
    >>> round(fit_fractal_dimension(n, n ** (1 / 1.8))[0], 3)
    1.8
    """
    n = np.asarray(sizes, dtype=np.float64)
    rg = np.asarray(radii_of_gyration, dtype=np.float64)
    keep = (n >= min_size) & (rg > 0)
    if max_size is not None:
        keep &= n <= max_size
    n, rg = n[keep], rg[keep]
    if n.size < 3 or n.max() < 2 * n.min():
        raise ValueError(f"fractal dimension: {n.size} clusters with sizes in "
                         f"[{min_size}, {max_size}] span too small a range to fit")
    logn, logr = np.log10(n), np.log10(rg)
    edges = np.arange(logn.min(), logn.max() + 1.0 / bins_per_decade, 1.0 / bins_per_decade)
    which = np.clip(np.digitize(logn, edges) - 1, 0, edges.size - 1)
    count = np.bincount(which, minlength=edges.size).astype(float)
    ok = count > 0
    mean_n = np.bincount(which, logn, minlength=edges.size)[ok] / count[ok]
    mean_r = np.bincount(which, logr, minlength=edges.size)[ok] / count[ok]
    slope, icept = np.polyfit(mean_n, mean_r, 1, w=np.sqrt(count[ok]))
    d_f = 1.0 / slope
    return float(d_f), float(10 ** (-icept * d_f))


@dataclass
class AggregationResult:
    """Aggregated clusters: unwrapped positions [m] (each cluster contiguous), labels
    (0 = largest), the periodic box [m], and every merge event (the cluster it made)."""

    positions: np.ndarray
    radii: np.ndarray
    labels: np.ndarray
    box: float
    merges: dict
    info: dict = field(default_factory=dict)

    @property
    def sizes(self) -> np.ndarray:
        """Particles per cluster, largest first."""
        return np.bincount(self.labels)

    def radius_of_gyration(self) -> np.ndarray:
        """Radius of gyration [m] of each cluster's centres (point masses)."""
        rg = np.zeros(self.sizes.size)
        for c in range(rg.size):
            x = self.positions[self.labels == c]
            rg[c] = math.sqrt(np.mean(np.sum((x - x.mean(0)) ** 2, axis=1)))
        return rg

    def save(self, path):
        """Write positions, radii, labels and the merge history to HDF5 (atomically)."""
        from mesolith.io import write_results

        data = {"particles": {"positions": self.positions, "radii": self.radii,
                              "labels": self.labels},
                "merges": dict(self.merges)}
        units = {"particles/positions": "m", "particles/radii": "m",
                 "merges/radius_of_gyration": "m", "merges/hydrodynamic_radius": "m",
                 "merges/time": "s"}
        attrs = {"engine": "bd", "kind": "aggregation", "box": self.box}
        attrs.update({k: v for k, v in self.info.items() if k != "seed"})
        return write_results(path, data, seed=self.info.get("seed"), attrs=attrs, units=units)

    def write_vtp(self, path):
        """Particles as VTK PolyData (.vtp) with radius and cluster arrays (atomically)."""
        from mesolith.io.vtk import write_points

        return write_points(path, self.positions, {"radius": self.radii,
                                                   "cluster": self.labels})

    def fractal_dimension(self, min_size: int = 10, max_rg_fraction: float = 0.2):
        """``(d_f, k0)`` fitted to every cluster formed during the run with ``min_size`` or
        more particles and a radius of gyration below ``max_rg_fraction`` of the box (larger
        clusters feel their periodic images). See :func:`fit_fractal_dimension`."""
        m = self.merges
        keep = m["radius_of_gyration"] < max_rg_fraction * self.box
        a = float(self.radii.min())
        return fit_fractal_dimension(m["size"][keep], m["radius_of_gyration"][keep] / a,
                                     min_size=min_size)


def aggregate(n: int, radius: float, volume_fraction: float, *, radii=None,
              step: float | None = None, target_clusters: int = 1, max_time: float = 0.0,
              max_attempts: int = 0, viscosity: float = 1e-3, temperature: float = 298.15,
              rotation: bool = False, positions=None, labels=None,
              seed: int = 0) -> AggregationResult:
    """Aggregate ``n`` spheres at ``volume_fraction`` in a periodic cube until
    ``target_clusters`` remain (or ``max_time`` [s] / ``max_attempts`` is reached).

    Parameters
    ----------
    n : int
        Number of primary particles.
    radius : float
        Primary particle radius [m] (used when ``radii`` is not given).
    volume_fraction : float
        Solid volume fraction, sets the box edge ``(4/3 pi sum a^3 / phi)^(1/3)``.
    radii : (n,) array [m], optional
        Polydisperse radii.
    step : float, optional
        Length of one rigid-cluster move [m] (default: the smallest radius). Contact is
        detected exactly along each move; the structure is that of DLCA for steps up to
        about a radius.
    viscosity, temperature : float
        Solvent viscosity [Pa s] and temperature [K]: set the physical clock only.
    rotation : bool
        Also rotate the clusters, with the rotational diffusion coefficient
        ``kT / (8 pi eta R_h^3)`` of their Kirkwood radius (default: translation only, the
        classical DLCA).
    positions : (n, 3) array [m], optional
        Start positions (default: random, without overlaps, in the periodic box).
    labels : (n,) int array, optional
        Start clusters: particles sharing a label start as one rigid cluster in the relative
        positions given (e.g. pre-formed aggregates); default: every particle alone.
    seed : int

    Examples
    --------
    >>> res = aggregate(100, 5e-8, 0.02, target_clusters=10, seed=2)
    >>> res.sizes.size
    10
    """
    if n < 1:
        raise ValueError(f"n = {n}: must be >= 1")
    if not 0 < volume_fraction < 0.3:
        raise ValueError(f"volume_fraction = {volume_fraction}: must be in (0, 0.3)")
    if not radius > 0:
        raise ValueError(f"radius = {radius}: must be > 0 m")
    r = np.full(n, float(radius)) if radii is None else as_array(radii, "radii", np.float64,
                                                                   shape=(n,))
    if np.any(r <= 0):
        raise ValueError("radii: must all be > 0 m")
    a = float(r.min())
    step = a if step is None else float(step)
    if not 0 < step <= 4 * a:
        raise ValueError(f"step = {step:.3g} m: must be in (0, {4 * a:.3g}] (4 radii)")
    box = (4.0 / 3.0 * math.pi * np.sum(r**3) / volume_fraction) ** (1.0 / 3.0)
    d0 = BOLTZMANN * temperature / (6.0 * math.pi * viscosity * a)
    tau = a * a / d0  # reduced time unit
    if positions is None:
        x0 = periodic_placement(r / a, box / a, seed)
    else:
        x0 = as_array(positions, "positions", np.float64, shape=(n, 3)) / a
    if labels is not None:
        labels = as_array(labels, "labels", np.int64, shape=(n,))
        if labels.min() < 0 or labels.max() >= n:
            raise ValueError(f"labels: must be in [0, {n - 1}]")
        labels = labels.astype(np.uint32)
    pos, labels, merges, info = _core.bd.dlca(
        x0, r / a, box=box / a, step=step / a, target_clusters=int(target_clusters),
        max_attempts=int(max_attempts), max_time=float(max_time) / tau, seed=int(seed),
        rotation=bool(rotation), labels=labels)
    merges = {"size": merges["size"].astype(np.int64),
              "radius_of_gyration": merges["radius_of_gyration"] * a,
              "hydrodynamic_radius": merges["hydrodynamic_radius"] * a,
              "time": merges["time"] * tau}
    info = dict(info)
    info["time"] = info["time"] * tau
    info["seed"] = int(seed)
    return AggregationResult(pos * a, r, labels.astype(np.int64), box, merges, info)
