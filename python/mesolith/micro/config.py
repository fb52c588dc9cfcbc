"""Configuration models of the microstructure generators and the ``micro`` recipe stage."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from mesolith.config.base import Section, quantity

__all__ = [
    "BooleanConfig",
    "CalenderConfig",
    "CbdConfig",
    "FieldConfig",
    "MicroConfig",
    "PackingConfig",
    "PropertiesConfig",
    "SpheroidConfig",
]

VoxelCount = Annotated[int, Field(ge=4, le=4096)]


class _Box(Section):
    shape: tuple[VoxelCount, VoxelCount, VoxelCount] = Field(
        (64, 64, 64), description="Voxels along x, y, z (z: collector to separator).")
    voxel_size: float = quantity(0.5e-6, unit="m", description="Voxel edge length.", gt=0)
    mean_radius: float = quantity(4e-6, unit="m", description="Mean particle radius.", gt=0)
    radius_log_sigma: float = quantity(
        0.0, unit="1", description="Standard deviation of ln(radius); 0 is monodisperse.",
        ge=0, le=1.5)
    radius_truncation: float = quantity(
        2.5, unit="1", description="Radii are kept within mean * exp(+-k sigma), k this value.",
        ge=0, le=6)

    def radius_bounds_voxels(self) -> tuple[float, float, float]:
        """(mean, min, max) radius in voxels."""
        import math

        mean = self.mean_radius / self.voxel_size
        spread = math.exp(self.radius_truncation * self.radius_log_sigma)
        return mean, mean / spread, mean * spread


class BooleanConfig(_Box):
    """Overlapping (Boolean) spheres at a target expected porosity, periodic box."""

    porosity: float = quantity(0.5, unit="1", description="Expected porosity exp(-n E[V]).",
                               gt=0, lt=1)


class PackingConfig(_Box):
    """Dense random packing of active-material spheres, periodic in x and y, walls in z."""

    radius_log_sigma: float = quantity(
        0.25, unit="1", description="Standard deviation of ln(radius) (log-normal radii).",
        ge=0, le=1.5)
    am_fraction: float = quantity(0.6, unit="1", description="Target AM volume fraction.",
                                  gt=0, le=0.66)
    overlap_tolerance: float = quantity(
        2e-3, unit="1", description="Largest allowed overlap / smaller radius at the end.",
        gt=0, le=0.1)
    max_sweeps: int = Field(100_000, ge=1, description="Relaxation sweeps before giving up.")
    walls: bool = Field(True, description="Walls at z = 0 and z = nz (an electrode); False "
                        "makes the box periodic along z too (a bulk packing).")
    jam_sweeps: int = Field(0, ge=0, description="0: reach am_fraction or fail. > 0: "
                            "am_fraction is an upper bound; after this many sweeps without "
                            "growth the packing is jammed and its fraction is returned.")

    @model_validator(mode="after")
    def _fits(self) -> PackingConfig:
        _, _, r_max = self.radius_bounds_voxels()
        if r_max < 1.0:
            raise ValueError(f"mean_radius = {self.mean_radius!r} m is below one voxel "
                             f"({self.voxel_size!r} m): refine voxel_size")
        if self.walls and 2 * r_max >= self.shape[2]:
            raise ValueError(f"largest radius {r_max * self.voxel_size:.3g} m does not fit "
                             f"between the walls of height {self.shape[2] * self.voxel_size:.3g}"
                             " m: raise shape[2] or lower mean_radius / radius_log_sigma")
        return self


class SpheroidConfig(_Box):
    """Dense packing of spheroidal (flake-like) active-material particles.

    ``mean_radius`` is the mean equal-volume radius ``(a^2 c)^(1/3)``; ``aspect_ratio`` is
    ``c / a`` (polar over equatorial semi-axis: below 1 an oblate flake). The symmetry axes
    follow a Watson distribution ``p(cos t) ~ exp(kappa cos^2 t)`` about z.
    """

    radius_log_sigma: float = quantity(
        0.25, unit="1", description="Standard deviation of ln(equal-volume radius).",
        ge=0, le=1.5)
    aspect_ratio: float = quantity(0.3, unit="1", description="c / a (polar / equatorial "
                                   "semi-axis); < 1 oblate.", ge=0.05, le=1)
    orientation_kappa: float = quantity(
        10.0, unit="1", description="Watson concentration of the symmetry axis about z: 0 "
        "isotropic, > 0 flakes lying in the xy plane, < 0 standing.", ge=-100, le=100)
    am_fraction: float = quantity(0.5, unit="1", description="Target AM volume fraction.",
                                  gt=0, le=0.6)
    overlap_tolerance: float = quantity(
        5e-3, unit="1", description="Largest allowed 1 - sqrt(F) (Perram-Wertheim) at the end.",
        gt=0, le=0.1)
    growth: float = quantity(0.02, unit="1", description="Relative size growth per "
                             "compression stage (halved where a stage jams).", gt=0, le=0.1)
    max_sweeps: int = Field(50_000, ge=1, description="FIRE minimisation steps over all "
                            "compression stages before giving up.")
    rotate: bool = Field(True, description="Axes rotate while the overlaps relax, with the "
                         "order parameter <P2(u_z)> restrained to its sampled value; False: "
                         "axes fixed as sampled (jams lower for random flakes).")
    walls: bool = Field(True, description="Walls at z = 0 and z = nz; False: periodic in z.")

    def semi_axes_voxels(self, radius: float) -> tuple[float, float]:
        """(a, c) in voxels of a particle with equal-volume radius ``radius`` [voxels]."""
        a = radius / self.aspect_ratio ** (1.0 / 3.0)
        return a, self.aspect_ratio * a

    @model_validator(mode="after")
    def _fits(self) -> SpheroidConfig:
        mean, _, r_max = self.radius_bounds_voxels()
        if self.semi_axes_voxels(mean)[1] < 1.0:
            raise ValueError(f"mean_radius = {self.mean_radius!r} m with aspect_ratio = "
                             f"{self.aspect_ratio!r} gives flakes thinner than 2 voxels: "
                             "refine voxel_size")
        a_max = self.semi_axes_voxels(r_max)[0]
        if self.walls and 2 * a_max >= self.shape[2]:
            raise ValueError(f"largest flake diameter {2 * a_max * self.voxel_size:.3g} m does "
                             f"not fit between the walls of height "
                             f"{self.shape[2] * self.voxel_size:.3g} m: raise shape[2] or lower "
                             "mean_radius / radius_log_sigma")
        return self


class FieldConfig(Section):
    """Gaussian-random-field structures: a two-phase excursion set or a three-phase
    plurigaussian (pore / AM / CBD) structure, periodic along all axes."""

    shape: tuple[VoxelCount, VoxelCount, VoxelCount] = Field(
        (64, 64, 64), description="Voxels along x, y, z.")
    voxel_size: float = quantity(0.5e-6, unit="m", description="Voxel edge length.", gt=0)
    correlation_length: float = quantity(
        2e-6, unit="m", description="L in the field covariance exp(-r^2 / (2 L^2)) of the "
        "solid/pore field.", gt=0)
    cbd_correlation_length: float = quantity(
        1e-6, unit="m", description="L of the second field splitting solid into AM and CBD.",
        gt=0)
    am_fraction: float = quantity(0.5, unit="1", description="AM volume fraction.", gt=0, lt=1)
    cbd_fraction: float = quantity(0.0, unit="1", description="CBD volume fraction (0: two "
                                   "phases).", ge=0, lt=1)

    @model_validator(mode="after")
    def _fractions(self) -> FieldConfig:
        if self.am_fraction + self.cbd_fraction >= 1:
            raise ValueError(f"am_fraction + cbd_fraction = "
                             f"{self.am_fraction + self.cbd_fraction:.4g}: must be < 1")
        names = ["correlation_length"] + (["cbd_correlation_length"] if self.cbd_fraction else [])
        for name in names:
            sigma = getattr(self, name) / self.voxel_size / 2**0.5
            if sigma < 1.0 or 8 * sigma > min(self.shape):
                raise ValueError(f"{name} = {getattr(self, name)!r} m: must span 1.4 voxels to "
                                 f"min(shape) / 5.7 voxels")
        return self


class CbdConfig(Section):
    """Carbon-binder domain placed into the pores of a particle packing."""

    fraction: float = quantity(0.1, unit="1", description="CBD volume fraction of the box.",
                               ge=0, lt=1)
    mode: Literal["bridge", "film", "agglomerate"] = Field(
        "bridge", description="bridge: at particle necks; film: uniform coating; "
        "agglomerate: separate blobs (a Gaussian random field thresholded in the pores).")
    nanoporosity: float = quantity(
        0.5, unit="1", description="Electrolyte-filled pore fraction inside the CBD (CBD "
        "voxels are label 2; used by electrolyte_tortuosity).", ge=0, lt=1)
    nano_tortuosity: float | None = quantity(
        None, unit="1", description="Tortuosity factor of the CBD nano-pores; None: Bruggeman "
        "nanoporosity^-0.5.", ge=1)
    agglomerate_size: float = quantity(
        1e-6, unit="m", description="Agglomerate mode: correlation length L of the field "
        "(covariance exp(-r^2 / (2 L^2))); blobs are a few L across.", gt=0)


class CalenderConfig(Section):
    """Calendering: compress the electrode in z to a target thickness or porosity."""

    thickness: float | None = quantity(None, unit="m", description="Target thickness.", gt=0)
    porosity: float | None = quantity(
        None, unit="1", description="Target porosity (AM and CBD volumes are kept).", gt=0,
        lt=1)
    steps: int = Field(50, ge=1, le=10_000, description="Steps of the moving wall.")
    spring_back: float = quantity(
        0.0, unit="1", description="Fraction of the compression (L0 - L_loaded) recovered "
        "elastically when the load is released; the target is the thickness under load.",
        ge=0, lt=1)
    overlap_limit: float = quantity(
        0.05, unit="1", description="Largest overlap / smaller radius accepted at the end "
        "(contact flattening); beyond it the target is rejected.", gt=0, le=0.5)

    @model_validator(mode="after")
    def _one_target(self) -> CalenderConfig:
        if (self.thickness is None) == (self.porosity is None):
            raise ValueError("give exactly one of thickness [m] or porosity")
        return self


class PropertiesConfig(Section):
    """Which properties the ``micro`` stage computes."""

    axes: list[Literal[0, 1, 2]] = Field([2], description="Axes of the transport solves.")
    rtol: float = quantity(1e-6, unit="1", description="Relative residual tolerance.",
                           gt=0, lt=1)
    conductivities: dict[int, float] | None = Field(
        None, description="Phase conductivities in S/m for the multi-phase solve.")
    surface_estimator: Literal["crofton", "extrapolated"] = Field(
        "crofton", description="Specific-surface-area estimator: intercept counts at one "
        "step, or extrapolated from steps 1 and 2 voxels.")


class MicroConfig(Section):
    """The ``[micro]`` recipe stage: generate a structure and compute its properties."""

    generator: Literal["packing", "boolean", "field", "spheroids"] = "packing"
    packing: PackingConfig = Field(default_factory=PackingConfig)
    spheroids: SpheroidConfig = Field(default_factory=SpheroidConfig)
    boolean: BooleanConfig = Field(default_factory=BooleanConfig)
    field: FieldConfig = Field(default_factory=FieldConfig)
    cbd: CbdConfig | None = Field(default_factory=CbdConfig)
    calender: CalenderConfig | None = Field(None, description="Compress after placing CBD.")
    properties: PropertiesConfig = Field(default_factory=PropertiesConfig)
    write_vti: bool = Field(True, description="Also write the labels as VTK image data.")

    @model_validator(mode="after")
    def _fractions_fit(self) -> MicroConfig:
        if self.cbd is None:
            return self
        solid = {"packing": lambda: self.packing.am_fraction,
                 "boolean": lambda: 1.0 - self.boolean.porosity,
                 "field": lambda: self.field.am_fraction + self.field.cbd_fraction,
                 "spheroids": lambda: self.spheroids.am_fraction,
                 }[self.generator]()
        if solid + self.cbd.fraction >= 1:
            raise ValueError(
                f"{self.generator} solid fraction {solid:.4g} + cbd.fraction "
                f"{self.cbd.fraction:.4g} = {solid + self.cbd.fraction:.4g}: must be < 1 "
                "(no pore space would be left)")
        return self
