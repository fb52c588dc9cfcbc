"""Structure generators: Boolean spheres, dense sphere packings and carbon-binder placement.

All lengths at this interface are in metres; the compiled core works in voxel units. Every
random draw comes from the counter-based generator keyed by ``seed``, so a structure is a
function of its configuration and seed only, whatever the number of threads.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from mesolith import _core
from mesolith.config.base import Section
from mesolith.micro.config import (
    BooleanConfig,
    CalenderConfig,
    CbdConfig,
    FieldConfig,
    PackingConfig,
)
from mesolith.micro.structure import Microstructure

__all__ = ["add_cbd", "boolean_spheres", "calender", "gaussian_field_structure", "pack_spheres",
           "packed_structure", "sphere_packer"]


#: Peak working memory of each generator per voxel (labels, float fields, sort order).
_BYTES_PER_VOXEL = {"FieldConfig": 48}


def _config(model: type[Section], config: Section | dict | None, overrides: dict) -> Section:
    data = {} if config is None else (
        config.model_dump() if isinstance(config, Section) else dict(config))
    data.update(overrides)
    cfg = model.from_dict(data, source=model.__name__)
    if hasattr(cfg, "shape"):  # fail before allocating a volume that cannot fit
        from mesolith.memory import check_memory

        nx, ny, nz = cfg.shape
        check_memory(nx * ny * nz * _BYTES_PER_VOXEL.get(model.__name__, 16),
                     f"a {nx} x {ny} x {nz} voxel volume ({model.__name__})")
    return cfg


def _check_seed(seed: int) -> int:
    if not (isinstance(seed, (int, np.integer)) and 0 <= seed < 2**64):
        raise ValueError(f"seed = {seed!r}: must be an integer in [0, 2^64)")
    return int(seed)


def _clamped_mean_cube(mean: float, sigma: float, lo: float, hi: float) -> float:
    """E[r^3] of the log-normal radius clamped to [lo, hi] (voxels), by quadrature in z."""
    if sigma == 0:
        return min(max(mean, lo), hi) ** 3
    z = np.linspace(-12.0, 12.0, 48_001)
    mu = math.log(mean) - 0.5 * sigma * sigma
    r = np.clip(np.exp(mu + sigma * z), lo, hi)
    pdf = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    f = r**3 * pdf
    return float(np.sum(0.5 * (f[1:] + f[:-1]) * np.diff(z)))  # trapezoid rule


def boolean_spheres(config: BooleanConfig | dict | None = None, *, seed: int = 0,
                    **overrides) -> Microstructure:
    """Overlapping spheres (Boolean model) in a box periodic along x, y and z.

    A Poisson number of centres, uniform in the box, with intensity
    ``n = ln(1 / porosity) / E[4/3 pi r^3]`` so that the expected porosity is ``porosity``.
    Spheres are label 1 (AM), the rest pore (0).

    Parameters
    ----------
    config : BooleanConfig or dict, optional
        ``shape``, ``voxel_size`` [m], ``mean_radius`` [m], ``radius_log_sigma``,
        ``porosity``; keyword overrides replace single fields.
    seed : int
        Seed of the counter-based generator.

    Examples
    --------
    >>> ms = boolean_spheres(shape=(32, 32, 32), voxel_size=1e-6, mean_radius=4e-6,
    ...                      porosity=0.5, seed=1)
    >>> ms.labels.shape
    (32, 32, 32)
    """
    cfg = _config(BooleanConfig, config, overrides)
    seed = _check_seed(seed)
    mean, lo, hi = cfg.radius_bounds_voxels()
    mean_volume = 4.0 / 3.0 * math.pi * _clamped_mean_cube(mean, cfg.radius_log_sigma, lo, hi)
    intensity = math.log(1.0 / cfg.porosity) / mean_volume
    nx, ny, nz = cfg.shape
    spheres = _core.micro.boolean_spheres(nx, ny, nz, intensity, mean, cfg.radius_log_sigma,
                                          lo, hi, seed)
    labels = _core.micro.voxelise_spheres(np.zeros(cfg.shape, np.uint8), spheres,
                                          (True, True, True), 1)
    return Microstructure(labels, cfg.voxel_size, particles=spheres * cfg.voxel_size,
                          metadata={"generator": "boolean_spheres", "seed": seed,
                                    "intensity_per_m3": intensity / cfg.voxel_size**3,
                                    "expected_porosity": cfg.porosity})


def pack_spheres(config: PackingConfig | dict | None = None, *, seed: int = 0,
                 **overrides) -> Microstructure:
    """Dense random packing of polydisperse (log-normal) active-material spheres.

    Collective rearrangement with growing radii (see ``docs/theory/micro.md``): periodic in
    x and y, hard walls at the current collector (z = 0) and the separator (z = nz). The
    spheres reach ``am_fraction`` of the box (up to 0.66) with overlaps below
    ``overlap_tolerance`` of the smaller radius, and are voxelised to label 1 (AM).

    With ``jam_sweeps > 0`` the packing runs to jamming instead: ``am_fraction`` is an upper
    bound, and once the radii have not grown for ``jam_sweeps`` sweeps they shrink slowly
    until every overlap is within the tolerance; ``metadata["sphere_fraction"]`` is the
    fraction reached (monodisperse, periodic: 0.63, random close packing).

    Raises
    ------
    RuntimeError
        If the target fraction is not reached within ``max_sweeps`` (the packing jammed).

    Examples
    --------
    >>> ms = pack_spheres(shape=(40, 40, 40), voxel_size=1e-6, mean_radius=5e-6,
    ...                   am_fraction=0.5, seed=2)
    >>> round(ms.volume_fractions()["AM"], 1)
    0.5
    """
    cfg = _config(PackingConfig, config, overrides)
    seed = _check_seed(seed)
    return packed_structure(cfg, seed, _core.micro.pack_spheres(*_packing_args(cfg, seed)))


def _packing_args(cfg: PackingConfig, seed: int) -> tuple:
    """Arguments of the compiled packer (voxel units) for a checked configuration."""
    mean, lo, hi = cfg.radius_bounds_voxels()
    nx, ny, nz = cfg.shape
    return (nx, ny, nz, cfg.am_fraction, mean, cfg.radius_log_sigma, lo, hi,
            min(0.3, cfg.am_fraction), 5e-3, cfg.overlap_tolerance, cfg.max_sweeps, seed,
            not cfg.walls, cfg.jam_sweeps)


def sphere_packer(config: PackingConfig | dict | None = None, *, seed: int = 0,
                  **overrides) -> tuple[PackingConfig, _core.micro.SpherePacker]:
    """The packing of :func:`pack_spheres` as a compiled object advanced in chunks of sweeps.

    ``packer.advance(n)`` runs at most ``n`` more sweeps and returns True once the packing
    is done; ``packer.state()`` / ``packer.set_state(**state)`` read and restore everything
    that changes between sweeps (for checkpoints); ``packed_structure(cfg, seed,
    packer.result())`` then gives the structure :func:`pack_spheres` returns, bit for bit,
    however the sweeps were cut into chunks.

    Returns
    -------
    (PackingConfig, SpherePacker)
        The checked configuration and the packer at its initial placement.

    Examples
    --------
    >>> cfg, packer = sphere_packer(shape=(32, 32, 32), voxel_size=1e-6, mean_radius=4e-6,
    ...                             am_fraction=0.5, seed=2)
    >>> while not packer.advance(100):
    ...     pass
    >>> ms = packed_structure(cfg, 2, packer.result())
    >>> bool((ms.labels == pack_spheres(cfg, seed=2).labels).all())
    True
    """
    cfg = _config(PackingConfig, config, overrides)
    seed = _check_seed(seed)
    return cfg, _core.micro.SpherePacker(*_packing_args(cfg, seed))


def packed_structure(cfg: PackingConfig, seed: int, res: dict) -> Microstructure:
    """Voxelise a finished packing (``pack_spheres`` or ``SpherePacker.result()``) to label 1."""
    spheres = res["spheres"]
    labels = _core.micro.voxelise_spheres(np.zeros(cfg.shape, np.uint8), spheres,
                                          (True, True, not cfg.walls), 1)
    return Microstructure(labels, cfg.voxel_size, particles=spheres * cfg.voxel_size,
                          metadata={"generator": "pack_spheres", "seed": seed, "walls": cfg.walls,
                                    "sphere_fraction": float(res["fraction"]),
                                    "max_overlap": float(res["max_overlap"]),
                                    "sweeps": int(res["sweeps"]),
                                    "jammed": bool(res["jammed"])})


def add_cbd(structure: Microstructure, config: CbdConfig | dict | None = None, *,
            seed: int = 0, **overrides) -> Microstructure:
    """Place carbon-binder domain (label 2) into the pores of a particle structure.

    ``mode="bridge"`` fills the pore voxels with the smallest sum of distances to the two
    nearest particle surfaces (menisci at the necks between particles); ``mode="film"`` those
    closest to any particle (a uniform coating); ``mode="agglomerate"`` the pore voxels where
    a Gaussian random field of correlation length ``agglomerate_size`` is highest (separate
    blobs; needs no particle list, so it works on any structure, e.g. tomography). Around
    spheroids (:func:`mesolith.micro.pack_spheroids`) bridge and film use the first-order
    surface distance ``(Q - 1) / |grad Q|`` of the spheroid's quadratic form ``Q``.
    ``fraction`` is the CBD volume fraction of the whole box. ``nanoporosity`` (and
    optionally ``nano_tortuosity``) are recorded in the metadata and used by
    :func:`mesolith.micro.electrolyte_tortuosity`.

    Examples
    --------
    >>> ms = pack_spheres(shape=(32, 32, 32), voxel_size=1e-6, mean_radius=4e-6,
    ...                   am_fraction=0.5, seed=2)
    >>> round(add_cbd(ms, fraction=0.1).volume_fractions()["CBD"], 3)
    0.1
    """
    cfg = _config(CbdConfig, config, overrides)
    seed = _check_seed(seed)
    count = int(round(cfg.fraction * structure.labels.size))
    pores = int(np.count_nonzero(structure.labels == 0))
    if count > pores:
        raise ValueError(f"fraction = {cfg.fraction!r}: exceeds the pore fraction "
                         f"{pores / structure.labels.size:.4f} of the structure")
    spheroids = getattr(structure, "spheroids", None)
    if cfg.mode == "agglomerate":
        labels = _agglomerates(structure.labels, count,
                               cfg.agglomerate_size / structure.voxel_size, seed)
    elif spheroids is not None:
        labels = _spheroid_cbd(structure.labels, spheroids, structure.voxel_size,
                               not structure.metadata.get("walls", True), cfg.mode, count, seed)
    else:
        if structure.particles is None or len(structure.particles) == 0:
            raise ValueError(f"mode = {cfg.mode!r}: the structure has no sphere list, which "
                             "bridge and film placement need; use mode='agglomerate' or a "
                             "sphere generator's output")
        spheres = structure.particles / structure.voxel_size
        periodic = (True, True, structure.metadata.get("generator") == "boolean_spheres"
                    or not structure.metadata.get("walls", True))
        labels = _core.micro.add_cbd(structure.labels, spheres, periodic, cfg.mode, count, seed)
    metadata = dict(structure.metadata)
    metadata.update({"cbd_mode": cfg.mode, "cbd_fraction": cfg.fraction,
                     "cbd_nanoporosity": cfg.nanoporosity, "cbd_seed": seed,
                     "cbd_agglomerate_size_m": cfg.agglomerate_size})
    if cfg.nano_tortuosity is not None:
        metadata["cbd_nano_tortuosity"] = cfg.nano_tortuosity
    # dataclasses.replace keeps a subclass and its extra fields (e.g. the spheroid table).
    return dataclasses.replace(structure, labels=labels, phases=dict(structure.phases),
                               metadata=metadata)


def _agglomerates(labels: np.ndarray, count: int, length_voxels: float,
                  seed: int) -> np.ndarray:
    """Pore voxels with the ``count`` highest values of a Gaussian random field become CBD.

    The field (covariance exp(-r^2 / (2 L^2)), L = ``length_voxels``) is thresholded inside
    the pore space only, so the CBD forms separate blobs of a few L where the field peaks,
    clipped by the particles; ties are impossible in practice and broken by index.
    """
    if not (0.7 <= length_voxels <= min(labels.shape) / 4):
        raise ValueError(f"agglomerate_size = {length_voxels:.3g} voxels: must span 0.7 voxels "
                         f"to min(shape) / 4 = {min(labels.shape) / 4:.3g} voxels")
    out = labels.copy()
    if count == 0:
        return out
    field = _core.micro.gaussian_field(labels.shape, length_voxels / math.sqrt(2), seed, 12)
    pores = np.flatnonzero(labels.ravel() == 0)
    order = np.argsort(-field.ravel()[pores], kind="stable")
    out.reshape(-1)[pores[order[:count]]] = 2  # a view: out is C-contiguous
    return out


def _spheroid_cbd(labels: np.ndarray, spheroids: np.ndarray, voxel_size: float,
                  periodic_z: bool, mode: str, count: int, seed: int) -> np.ndarray:
    """Bridge or film CBD around spheroids (table in metres) with first-order surface
    distances (see ``add_cbd_spheroids`` in the core)."""
    p = spheroids.copy()
    p[:, :5] /= voxel_size
    return _core.micro.add_cbd_spheroids(labels, p, (True, True, periodic_z), mode, count, seed)


def calender(structure: Microstructure, config: CalenderConfig | dict | None = None,
             **overrides) -> Microstructure:
    """Calender a packed electrode: compress it in z to a target thickness or porosity.

    The separator-side wall moves down in ``steps``; at each step the particle centres are
    compressed with the box and the particles rearrange (overlap relaxation against each
    other and both walls), as in :func:`pack_spheres`. Overlap that rearrangement cannot
    remove stays as contact flattening and is reported (``metadata["calender_max_overlap"]``);
    above ``overlap_limit`` the target is rejected. The CBD is placed again in the compressed
    structure with its voxel volume and mode kept. For a porosity target the thickness is
    ``(V_AM + V_CBD) / (A (1 - porosity))``; the porosity reached after voxelisation is in
    the result's volume fractions.

    Elastic spring-back: the target (thickness or porosity) is reached under load (the roll
    gap ``L_load``); on release the electrode recovers the fraction ``spring_back`` of the
    compression, ``L_final = L_load + spring_back (L_0 - L_load)`` (rounded to whole voxels),
    the particle centres follow affinely in z and relax again. ``metadata`` reports
    ``uncalendered_thickness_m`` (L_0), ``loaded_thickness_m`` and ``calendered_thickness_m``
    (final), and the effective ``spring_back`` after rounding.

    Examples
    --------
    >>> ms = pack_spheres(shape=(32, 32, 40), voxel_size=1e-6, mean_radius=4e-6,
    ...                   am_fraction=0.45, seed=2)
    >>> thin = calender(ms, thickness=34e-6)
    >>> thin.shape, round(thin.metadata["calendered_thickness_m"] * 1e6, 3)
    ((32, 32, 34), 34.0)

    Spheroid packings (:func:`mesolith.micro.pack_spheroids`) are calendered the same way with
    the Perram-Wertheim relaxation (orientations fixed).
    """
    cfg = _config(CalenderConfig, config, overrides)
    if getattr(structure, "spheroids", None) is not None:
        from mesolith.micro.spheroids import calender_spheroids

        return calender_spheroids(structure, cfg)
    if structure.particles is None or len(structure.particles) == 0:
        raise ValueError("structure: has no particle list; calendering moves the particles "
                         "(use pack_spheres' output)")
    h = structure.voxel_size
    nx, ny, nz = structure.shape
    cbd_voxels = int(np.count_nonzero(structure.labels == 2))
    if cfg.thickness is not None:
        nz_new = int(round(cfg.thickness / h))
    else:
        solid = np.count_nonzero(structure.labels == 1) + cbd_voxels
        nz_new = int(round(solid / (nx * ny * (1.0 - cfg.porosity))))
    spheres = structure.particles / h
    if not (2 * spheres[:, 3].max() < nz_new <= nz):
        raise ValueError(f"target thickness {nz_new * h:.4g} m: must lie between the largest "
                         f"particle diameter {2 * spheres[:, 3].max() * h:.4g} m and the "
                         f"current thickness {nz * h:.4g} m")
    # The released height is rounded to whole voxels (the effective spring-back is reported).
    nz_final = int(round(nz_new + cfg.spring_back * (nz - nz_new)))
    spring_back = (nz_final - nz_new) / (nz - nz_new) if nz > nz_new else 0.0
    res = _core.micro.calender_spheres(spheres, float(nx), float(ny), float(nz),
                                       float(nz_new), cfg.steps, 2e-3, 2000, spring_back)
    if res["max_overlap"] > cfg.overlap_limit:
        raise ValueError(f"calendering to {nz_new * h:.4g} m leaves overlaps of "
                         f"{res['max_overlap']:.3f} of the particle radius, above "
                         f"overlap_limit = {cfg.overlap_limit}: the packing cannot rearrange "
                         "that far; choose a thicker target or raise overlap_limit")
    labels = _core.micro.voxelise_spheres(np.zeros((nx, ny, nz_final), np.uint8),
                                          res["spheres"], (True, True, False), 1)
    metadata = dict(structure.metadata)
    metadata.update({"calendered_thickness_m": nz_final * h, "uncalendered_thickness_m": nz * h,
                     "loaded_thickness_m": nz_new * h, "spring_back": spring_back,
                     "calender_max_overlap": float(res["max_overlap"]),
                     "calender_sweeps": int(res["sweeps"])})
    out = Microstructure(labels, h, dict(structure.phases), particles=res["spheres"] * h,
                         metadata=metadata)
    if cbd_voxels:
        mode = structure.metadata.get("cbd_mode", "bridge")
        seed = int(structure.metadata.get("cbd_seed", 0))
        free = int(np.count_nonzero(labels == 0))
        if cbd_voxels > free:
            raise ValueError("calendered structure has less pore volume than the CBD needs")
        if mode == "agglomerate":
            placed = _agglomerates(labels, cbd_voxels,
                                   structure.metadata["cbd_agglomerate_size_m"] / h, seed)
        else:
            placed = _core.micro.add_cbd(labels, res["spheres"], (True, True, False), mode,
                                         cbd_voxels, seed)
        out = Microstructure(placed, h, dict(structure.phases), particles=out.particles,
                             metadata=metadata)
    return out


def gaussian_field_structure(config: FieldConfig | dict | None = None, *, seed: int = 0,
                             **overrides) -> Microstructure:
    """Excursion set (two phases) or plurigaussian (three phases) of Gaussian random fields.

    A unit-variance field Z1 with covariance exp(-r^2 / (2 L^2)) separates pore (the lowest
    values) from solid; with ``cbd_fraction > 0`` a second, independent field Z2 (length
    ``cbd_correlation_length``) splits the solid into AM (low Z2) and CBD (high Z2). The
    thresholds are the sample quantiles, so the fractions are met to one voxel. Periodic
    along all axes.

    Examples
    --------
    >>> ms = gaussian_field_structure(shape=(32, 32, 32), voxel_size=1e-6,
    ...                               correlation_length=3e-6, am_fraction=0.5,
    ...                               cbd_fraction=0.1, cbd_correlation_length=2e-6, seed=1)
    >>> {k: round(v, 3) for k, v in ms.volume_fractions().items()}
    {'pore': 0.4, 'AM': 0.5, 'CBD': 0.1}
    """
    cfg = _config(FieldConfig, config, overrides)
    seed = _check_seed(seed)
    h = cfg.voxel_size
    z1 = _core.micro.gaussian_field(cfg.shape, cfg.correlation_length / h / math.sqrt(2),
                                    seed, 10)
    n = z1.size
    solid = cfg.am_fraction + cfg.cbd_fraction
    n_pore = int(round((1.0 - solid) * n))
    order = np.argsort(z1, axis=None, kind="stable")
    labels = np.ones(n, np.uint8)
    labels[order[:n_pore]] = 0
    if cfg.cbd_fraction > 0:
        z2 = _core.micro.gaussian_field(cfg.shape, cfg.cbd_correlation_length / h / math.sqrt(2),
                                        seed, 11).ravel()
        solid_idx = order[n_pore:]
        n_cbd = int(round(cfg.cbd_fraction * n))
        by_z2 = solid_idx[np.argsort(z2[solid_idx], kind="stable")]
        labels[by_z2[len(by_z2) - n_cbd:]] = 2
    return Microstructure(labels.reshape(cfg.shape), h,
                          metadata={"generator": "gaussian_field_structure", "seed": seed,
                                    "correlation_length_m": cfg.correlation_length})
