"""Spheroidal (flake-like) particle packings: oriented oblate spheroids packed densely.

Sizes and orientations are drawn from the counter-based generator, the particles are packed
by compression with minimisation of a Perram-Wertheim overlap energy over centres and axes
(the orientational order parameter restrained to its sampled value) and voxelised by an exact
point test.
Lengths at this interface are in metres.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mesolith import _core
from mesolith.micro.config import CalenderConfig, SpheroidConfig
from mesolith.micro.generators import _agglomerates, _check_seed, _config, _spheroid_cbd
from mesolith.micro.structure import Microstructure

__all__ = ["SpheroidStructure", "calender_spheroids", "order_parameter", "pack_spheroids",
           "packed_spheroid_structure", "spheroid_packer", "watson_order_parameter"]


@dataclass
class SpheroidStructure(Microstructure):
    """A :class:`Microstructure` made of spheroids, with the particle table.

    Attributes
    ----------
    spheroids : ndarray, shape (n, 8)
        ``x, y, z, a, c, ux, uy, uz``: centre [m], equatorial and polar semi-axes [m] and the
        unit symmetry axis. Not written by :meth:`save` (the labels and metadata are).
    """

    spheroids: np.ndarray | None = None


def watson_order_parameter(kappa: float) -> float:
    """``<P2(cos theta)>`` of the Watson distribution ``p(t) ~ exp(kappa t^2)``, t in [-1, 1].

    By quadrature (Simpson, 20,001 points; error below 1e-10 for ``|kappa| <= 100``).

    Examples
    --------
    >>> round(watson_order_parameter(0.0), 6)
    0.0
    >>> watson_order_parameter(10.0) > 0.8
    True
    """
    t = np.linspace(0.0, 1.0, 20_001)
    # Shift the exponent so that it stays <= 0 (no overflow for large kappa).
    w = np.exp(kappa * (t * t - 1.0)) if kappa > 0 else np.exp(kappa * t * t)
    simpson = np.ones_like(t)
    simpson[1:-1:2], simpson[2:-1:2] = 4.0, 2.0
    t2 = float(np.sum(simpson * w * t * t) / np.sum(simpson * w))
    return 1.5 * t2 - 0.5


def order_parameter(axes: np.ndarray, direction=(0.0, 0.0, 1.0)) -> float:
    """Sample ``<P2(u . n)>`` of unit axes ``u`` (n, 3) about the unit vector ``direction``.

    1 for axes all parallel to ``direction``, 0 for isotropic axes, -1/2 for axes all
    perpendicular to it.

    Examples
    --------
    >>> order_parameter(np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]))
    0.25
    """
    u = np.asarray(axes, dtype=np.float64)
    n = np.asarray(direction, dtype=np.float64)
    c = u @ (n / np.linalg.norm(n))
    return float(np.mean(1.5 * c * c - 0.5))


def pack_spheroids(config: SpheroidConfig | dict | None = None, *, seed: int = 0,
                   **overrides) -> SpheroidStructure:
    """Dense random packing of oblate spheroids (graphite flakes), periodic in x and y.

    Equal-volume radii are log-normal; every particle has semi-axes ``a`` (equatorial) and
    ``c = aspect_ratio * a`` (polar) and a symmetry axis whose polar angle follows the Watson
    distribution ``p(cos t) ~ exp(kappa cos^2 t)`` (azimuth uniform). The packing grows the
    particles from ``start_fraction`` in stages of ``growth``; after each stage the FIRE
    minimiser removes the overlaps by minimising ``U = sum (1 - sqrt(F))^2`` over the pairs
    (``F`` the Perram-Wertheim contact function) plus wall terms, over centres and axes, until
    every ``1 - sqrt(F)`` is within ``overlap_tolerance``. With ``rotate`` the axes turn freely
    except for a restraint on the order parameter ``S = <P2(u_z)>``, which stays at its sampled
    value (within about 1e-3), so ``kappa = 10`` still gives flakes lying in the xy plane. Walls
    at z = 0 and z = nz use the exact half-height of each spheroid. Particles are label 1 (AM).

    AM fractions of 0.60 are reached for aspect ratios 0.25 to 0.5, isotropic or aligned, in
    about a second for ~300 flakes; see ``docs/guide/micro_packing.md``. The metadata hold
    ``order_parameter_z`` (final), ``order_parameter_z_sampled``, ``sweeps`` (FIRE steps) and
    ``stages``.

    Raises
    ------
    RuntimeError
        If the target fraction is not reached within ``max_sweeps`` (the packing jammed).

    Examples
    --------
    >>> ms = pack_spheroids(shape=(32, 32, 32), voxel_size=1e-6, mean_radius=4e-6,
    ...                     aspect_ratio=0.4, orientation_kappa=10.0, am_fraction=0.3, seed=1)
    >>> round(ms.metadata["particle_fraction"], 6)
    0.3
    >>> ms.spheroids.shape[1]
    8
    """
    cfg = _config(SpheroidConfig, config, overrides)
    seed = _check_seed(seed)
    args, kwargs = _spheroid_args(cfg, seed)
    return packed_spheroid_structure(cfg, seed, _core.micro.pack_spheroids(*args, **kwargs))


def _spheroid_args(cfg: SpheroidConfig, seed: int) -> tuple[tuple, dict]:
    """Arguments of the compiled spheroid packer (voxel units) for a checked configuration."""
    mean, lo, hi = cfg.radius_bounds_voxels()
    nx, ny, nz = cfg.shape
    return ((nx, ny, nz, cfg.am_fraction, mean, cfg.radius_log_sigma, lo, hi, cfg.aspect_ratio,
             cfg.orientation_kappa, min(0.2, cfg.am_fraction), cfg.growth,
             cfg.overlap_tolerance, cfg.max_sweeps, seed, not cfg.walls),
            {"rotate": cfg.rotate})


def spheroid_packer(config: SpheroidConfig | dict | None = None, *, seed: int = 0,
                    **overrides) -> tuple[SpheroidConfig, _core.micro.SpheroidPacker]:
    """The packing of :func:`pack_spheroids` as a compiled object advanced in stages.

    ``packer.advance(n)`` runs at most ``n`` more compression stages (each a size increment
    followed by a FIRE minimisation) and returns True once the packing is done;
    ``packer.state()`` / ``packer.set_state(**state)`` read and restore everything that
    changes between stages (for checkpoints); ``packed_spheroid_structure(cfg, seed,
    packer.result())`` then gives the structure :func:`pack_spheroids` returns, bit for bit,
    however the stages were cut into chunks.

    Returns
    -------
    (SpheroidConfig, SpheroidPacker)
        The checked configuration and the packer at its initial placement.

    Examples
    --------
    >>> cfg, packer = spheroid_packer(shape=(32, 32, 32), voxel_size=1e-6, mean_radius=4e-6,
    ...                               aspect_ratio=0.4, am_fraction=0.4, seed=2)
    >>> while not packer.advance(5):
    ...     pass
    >>> ms = packed_spheroid_structure(cfg, 2, packer.result())
    >>> bool((ms.spheroids == pack_spheroids(cfg, seed=2).spheroids).all())
    True
    """
    cfg = _config(SpheroidConfig, config, overrides)
    seed = _check_seed(seed)
    args, kwargs = _spheroid_args(cfg, seed)
    return cfg, _core.micro.SpheroidPacker(*args, **kwargs)


def packed_spheroid_structure(cfg: SpheroidConfig, seed: int, res: dict) -> SpheroidStructure:
    """Voxelise a finished spheroid packing (``pack_spheroids`` or ``SpheroidPacker.result()``,
    voxel units) to label 1, with the particle table in metres and the packing's metadata."""
    particles = res["particles"]
    labels = _core.micro.voxelise_spheroids(np.zeros(cfg.shape, np.uint8), particles,
                                            (True, True, not cfg.walls), 1)
    in_metres = particles.copy()
    in_metres[:, :5] *= cfg.voxel_size
    return SpheroidStructure(
        labels, cfg.voxel_size, particles=None, spheroids=in_metres,
        metadata={"generator": "pack_spheroids", "seed": seed, "walls": cfg.walls,
                  "aspect_ratio": cfg.aspect_ratio, "orientation_kappa": cfg.orientation_kappa,
                  "particle_fraction": float(res["fraction"]),
                  "max_overlap": float(res["max_overlap"]), "sweeps": int(res["sweeps"]),
                  "stages": int(res["stages"]),
                  "order_parameter_z": order_parameter(particles[:, 5:8]),
                  "order_parameter_z_sampled": float(res["order_sampled"]),
                  "particle_count": int(len(particles))})


def _half_heights(p: np.ndarray) -> np.ndarray:
    """Half-extent along z of spheroids (n, 8): sqrt(a^2 + (c^2 - a^2) uz^2)."""
    return np.sqrt(p[:, 3] ** 2 + (p[:, 4] ** 2 - p[:, 3] ** 2) * p[:, 7] ** 2)


def calender_spheroids(structure: SpheroidStructure, cfg: CalenderConfig) -> SpheroidStructure:
    """Calender a spheroid packing (called by :func:`mesolith.micro.calender`).

    As for spheres: the top wall moves down in ``cfg.steps``, the centres follow affinely in
    z and the flakes rearrange (Perram-Wertheim relaxation, orientations fixed); then the
    optional spring-back. CBD, if any, is placed again with its mode and volume.

    Examples
    --------
    >>> from mesolith.micro import calender
    >>> ms = pack_spheroids(shape=(32, 32, 40), voxel_size=1e-6, mean_radius=3e-6,
    ...                     aspect_ratio=0.4, am_fraction=0.35, seed=1)
    >>> thin = calender(ms, thickness=34e-6, spring_back=0.5)
    >>> thin.shape, round(thin.metadata["loaded_thickness_m"] * 1e6, 3)
    ((32, 32, 37), 34.0)
    """
    h = structure.voxel_size
    nx, ny, nz = structure.shape
    cbd_voxels = int(np.count_nonzero(structure.labels == 2))
    if cfg.thickness is not None:
        nz_new = int(round(cfg.thickness / h))
    else:
        solid = np.count_nonzero(structure.labels == 1) + cbd_voxels
        nz_new = int(round(solid / (nx * ny * (1.0 - cfg.porosity))))
    p = structure.spheroids.copy()
    p[:, :5] /= h
    tallest = 2 * _half_heights(p).max()
    if not (tallest < nz_new <= nz):
        raise ValueError(f"target thickness {nz_new * h:.4g} m: must lie between the tallest "
                         f"particle {tallest * h:.4g} m and the current thickness {nz * h:.4g} m")
    nz_final = int(round(nz_new + cfg.spring_back * (nz - nz_new)))
    spring_back = (nz_final - nz_new) / (nz - nz_new) if nz > nz_new else 0.0
    res = _core.micro.calender_spheroids(p, float(nx), float(ny), float(nz), float(nz_new),
                                         cfg.steps, 5e-3, 2000, spring_back)
    if res["max_overlap"] > cfg.overlap_limit:
        raise ValueError(f"calendering to {nz_new * h:.4g} m leaves overlaps 1 - sqrt(F) = "
                         f"{res['max_overlap']:.3f}, above overlap_limit = {cfg.overlap_limit}: "
                         "the flakes cannot rearrange that far; choose a thicker target or "
                         "raise overlap_limit")
    moved = res["particles"]
    labels = _core.micro.voxelise_spheroids(np.zeros((nx, ny, nz_final), np.uint8), moved,
                                            (True, True, False), 1)
    metadata = dict(structure.metadata)
    metadata.update({"calendered_thickness_m": nz_final * h, "uncalendered_thickness_m": nz * h,
                     "loaded_thickness_m": nz_new * h, "spring_back": spring_back,
                     "calender_max_overlap": float(res["max_overlap"]),
                     "calender_sweeps": int(res["sweeps"])})
    if cbd_voxels:
        if cbd_voxels > np.count_nonzero(labels == 0):
            raise ValueError("calendered structure has less pore volume than the CBD needs")
        seed = int(metadata.get("cbd_seed", 0))
        mode = metadata.get("cbd_mode", "agglomerate")
        if mode == "agglomerate":
            labels = _agglomerates(labels, cbd_voxels, metadata["cbd_agglomerate_size_m"] / h,
                                   seed)
        else:
            labels = _spheroid_cbd(labels, moved * np.r_[[h] * 5, [1.0] * 3], h, False, mode,
                                   cbd_voxels, seed)
    in_metres = moved.copy()
    in_metres[:, :5] *= h
    return SpheroidStructure(labels, h, dict(structure.phases), particles=None,
                             spheroids=in_metres, metadata=metadata)
