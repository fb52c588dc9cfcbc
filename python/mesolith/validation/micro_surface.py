"""Validation of the specific-surface-area estimators against exact areas.

References: the exact area of the union of the realised spheres (Monte Carlo on the sphere
surfaces, with its standard error), the Boolean-model mean, a single sphere, periodic stacks
of planes (axis-aligned and tilted) and thin films. For planes the 13-direction Crofton sum
has a known orientation factor f(n) = 2 sum_d w_d |n . d| (1 for isotropic structures only),
which both estimators must reproduce exactly.
"""

from __future__ import annotations

import math

import numpy as np

from mesolith.validation.registry import Row, validation_case

__all__ = [
    "crofton_orientation_factor",
    "plane_stack",
    "union_sphere_area",
]

# The 13 lattice directions and spherical-Voronoi weights of the Crofton sum (as in the core).
_W_AXIS, _W_FACE, _W_BODY = 2 * 0.04577789120476, 2 * 0.03698062787608, 2 * 0.03519563978232
_DIRECTIONS = [((1, 0, 0), _W_AXIS), ((0, 1, 0), _W_AXIS), ((0, 0, 1), _W_AXIS),
               ((1, 1, 0), _W_FACE), ((1, -1, 0), _W_FACE), ((1, 0, 1), _W_FACE),
               ((1, 0, -1), _W_FACE), ((0, 1, 1), _W_FACE), ((0, 1, -1), _W_FACE),
               ((1, 1, 1), _W_BODY), ((1, 1, -1), _W_BODY), ((1, -1, 1), _W_BODY),
               ((1, -1, -1), _W_BODY)]


def crofton_orientation_factor(normal) -> float:
    """Expected 13-direction Crofton estimate of a plane with unit normal ``normal``,
    relative to its true area: f(n) = 2 sum_d w_d |n . d / |d|| (0.9266 for an axis)."""
    n = np.asarray(normal, float)
    n = n / np.linalg.norm(n)
    return float(sum(2 * w * abs(n @ np.array(d)) / math.sqrt(np.dot(d, d))
                     for d, w in _DIRECTIONS))


def plane_stack(size: int, normal=(0, 0, 1), period: int = 16, thickness: float | None = None
                ) -> tuple[np.ndarray, float]:
    """Periodic stack of parallel layers in a ``size``^3 box, and its exact S_V [1/voxel].

    Voxel centres p with ``(normal . p) mod period < thickness`` are label 1; ``normal`` is
    a vector of integers so that the box (``size`` a multiple of ``period``) is a period.
    Each period holds two interfaces a distance period / |normal| apart along the normal.
    """
    m = np.asarray(normal, int)
    if size % period:
        raise ValueError(f"size = {size}: must be a multiple of period = {period}")
    thickness = period / 2 if thickness is None else thickness
    g = np.indices((size, size, size)).reshape(3, -1).T + 0.5
    phase = np.mod(g @ m + 0.25, period) < thickness  # 0.25: no centre on an interface
    labels = phase.reshape(size, size, size).astype(np.uint8)
    return labels, 2.0 * float(np.linalg.norm(m)) / period


def union_sphere_area(spheres, box, samples: int = 20000, seed: int = 0
                      ) -> tuple[float, float]:
    """Exact area of the boundary of a union of spheres in a periodic box, by Monte Carlo.

    ``samples`` uniform points on each sphere; a point counts when no other sphere (nearest
    periodic image) contains it. The area of sphere i that survives is 4 pi r_i^2 f_i with
    the fraction f_i counted, binomial variance (4 pi r_i^2)^2 f_i (1 - f_i) / samples.

    Parameters
    ----------
    spheres : array (n, 4)
        Centres and radii (x, y, z, r), any length unit.
    box : sequence of 3 floats
        Periodic box edges in the same unit; no pair may overlap with two images
        (r_i + r_j < box / 2).
    samples : int
        Points per sphere.
    seed : int
        Seed of the sampling (numpy Philox).

    Returns
    -------
    (area, standard_error) in the length unit squared.
    """
    s = np.asarray(spheres, float)
    box = np.asarray(box, float)
    if s.ndim != 2 or s.shape[1] != 4:
        raise ValueError(f"spheres: shape {s.shape}, must be (n, 4)")
    if len(s) and 2 * s[:, 3].max() >= box.min() / 2:
        raise ValueError("spheres: radii too large for the nearest-image test (2 r >= box / 2)")
    rng = np.random.Generator(np.random.Philox(seed))
    centres, radii = s[:, :3], s[:, 3]
    area = variance = 0.0
    for i in range(len(s)):
        d = centres - centres[i]
        d -= box * np.round(d / box)
        reach = np.linalg.norm(d, axis=1) < radii + radii[i]
        reach[i] = False
        full = 4 * math.pi * radii[i] ** 2
        if not reach.any():
            area += full
            continue
        u = rng.normal(size=(samples, 3))
        points = radii[i] * u / np.linalg.norm(u, axis=1, keepdims=True)  # relative to centre i
        covered = np.zeros(samples, bool)
        for dj, rj in zip(d[reach], radii[reach], strict=True):
            covered |= ((points - dj) ** 2).sum(axis=1) < rj * rj
        f = 1.0 - covered.mean()
        area += full * f
        variance += full**2 * f * (1 - f) / samples
    return float(area), math.sqrt(variance)


def _ratio_rows(labels, exact: float, what: str, expected: dict[str, float],
                tolerance: dict[str, float], reference: str, versus: str = "exact"
                ) -> list[Row]:
    from mesolith.micro import specific_surface_area

    rows = []
    for estimator in ("crofton", "extrapolated"):
        sv = specific_surface_area(labels, estimator=estimator, periodic=True)
        rows.append(Row("micro", f"{what}: {estimator} S_V / {versus}", expected[estimator],
                        float(next(iter(sv.values())) / exact), tolerance[estimator],
                        reference))
    return rows


@validation_case("micro", "specific surface area: crofton vs extrapolated estimator", slow=True)
def surface_estimator_rows(seed: int) -> list[Row]:
    """Both estimators against exact areas; periodic test lines throughout."""
    from mesolith import _core
    from mesolith.micro import boolean_spheres
    from mesolith.validation.micro import BOOLEAN_REF, boolean_surface_given_count

    rows: list[Row] = []
    for n, r, samples in ((96, 8, 100_000), (160, 24, 100_000)):
        ms = boolean_spheres(shape=(n, n, n), voxel_size=1.0, mean_radius=float(r),
                             porosity=0.5, seed=seed)
        box, volume = (n, n, n), float(n**3)
        area, se = union_sphere_area(ms.particles, box, samples, seed)
        exact = area / volume
        # Spread of the realised area about the model mean: exact areas of 16 more
        # realisations (centres only), each relative to its given-count mean.
        intensity = ms.metadata["intensity_per_m3"]
        spread = []
        for k in range(16):
            s = _core.micro.boolean_spheres(n, n, n, intensity, float(r), 0.0, 0.0, 1e9,
                                            seed * 1000 + k + 1)
            a, _ = union_sphere_area(s, box, 5000, k)
            spread.append(a / volume / boolean_surface_given_count(len(s), r, volume))
        sd = float(np.std(spread, ddof=1))
        mean = boolean_surface_given_count(len(ms.particles), r, volume)
        rows.append(Row("micro", f"Boolean r = {r} vox: realised exact area / model mean", 1.0,
                        float(exact / mean), 4 * sd, BOOLEAN_REF + f"; 4 sd = {4 * sd:.3f} over 16 "
                        "realisations"))
        rel_se = se / area
        crease = 0.06 if r < 16 else 0.02
        rows += _ratio_rows(
            ms.labels, exact, f"Boolean r = {r} vox",
            {"crofton": 1.0, "extrapolated": 1.0},
            {"crofton": crease, "extrapolated": 0.01},
            f"union of the realised spheres, Monte Carlo SE {rel_se:.1e}; crofton: crease "
            "bias about -0.4 vox / r; extrapolated: 4 sd of its lattice spread (0.25 %)",
            "exact realised area")
        rows += _ratio_rows(
            ms.labels, mean, f"Boolean r = {r} vox",
            {"crofton": 1.0, "extrapolated": 1.0},
            {"crofton": 4 * sd + crease, "extrapolated": 4 * sd + 0.01},
            BOOLEAN_REF + "; 4 sd of the realised area plus the estimator tolerance",
            "model mean")
    for r, n, tol in ((8.0, 28, 0.02), (24.0, 60, 0.005)):
        centre = np.array([[n / 2 + 0.21, n / 2 - 0.13, n / 2 + 0.37, r]])
        ball = _core.micro.voxelise_spheres(np.zeros((n, n, n), np.uint8), centre,
                                            (True, True, True), 1)
        rows += _ratio_rows(ball, 4 * math.pi * r * r / n**3, f"single sphere r = {r:g} vox",
                            {"crofton": 1.0, "extrapolated": 1.0}, {"crofton": tol,
                                                                    "extrapolated": tol},
                            "4 pi r^2 / V; 4 sd over random centres plus the mean offset")
    for normal, name in (((0, 0, 1), "axis-aligned"), ((1, 2, 3), "tilted (1, 2, 3)")):
        labels, exact = plane_stack(64, normal, period=32)
        f = crofton_orientation_factor(normal)
        rows += _ratio_rows(labels, exact, f"{name} planes", {"crofton": f, "extrapolated": f},
                            {"crofton": 1e-9, "extrapolated": 1e-9},
                            f"orientation factor f(n) = {f:.4f} of the 13-direction sum; exact")
    f = crofton_orientation_factor((0, 0, 1))
    for thickness, factor in ((1, 1.5), (2, 1.0)):
        labels, exact = plane_stack(64, (0, 0, 1), period=8, thickness=thickness)
        rows += _ratio_rows(labels, exact, f"films {thickness} vox thick (normal z)",
                            {"crofton": f, "extrapolated": factor * f},
                            {"crofton": 1e-9, "extrapolated": 1e-9},
                            "f(z) = 0.9266; step-2 lines jump 1-voxel films: 2 - 1/2 = 1.5")
    return rows
