"""Configuration of a drying run (SI units) and the two binder/solvent presets.

The presets differ *only* in the :class:`Chemistry` section (interaction parameters);
every number is documented in ``docs/theory/md.md`` with its source or reasoning.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from mesolith.config.base import Section, quantity

__all__ = ["PRESETS", "Chemistry", "DryingConfig", "preset"]


class Chemistry(Section):
    """Interaction parameters of one solvent/binder system (SI units).

    Pair well depths follow the Derjaguin scaling of colloidal adhesion: a pair of
    spheres with effective radius R_eff = R_i R_j/(R_i + R_j) (R for sphere-plane)
    has a well of depth ``w * R_eff`` [J]; ``w`` = A/(12 D) for van der Waals
    attraction between surfaces a distance D apart (Israelachvili, Intermolecular and
    Surface Forces, 3rd ed., Ch. 13), modified by adsorbed binder.
    """

    w_am_am: float = quantity(3.5e-12, unit="J/m", gt=0,
                              description="AM-AM well depth per effective radius")
    w_am_cbd: float = quantity(2.0e-12, unit="J/m", gt=0,
                               description="AM-CBD well depth per effective radius (wet)")
    w_cbd_cbd: float = quantity(2.0e-12, unit="J/m", gt=0,
                                description="CBD-CBD well depth per effective radius (wet)")
    w_am_cc: float = quantity(3.5e-12, unit="J/m", gt=0,
                              description="AM-current collector well depth per radius")
    w_cbd_cc: float = quantity(2.0e-12, unit="J/m", gt=0,
                               description="CBD-current collector well depth per radius (wet)")
    binder_strengthening: float = quantity(
        5.0, unit="1", ge=1,
        description="Factor by which wells involving CBD deepen from wet to dry binder")
    surface_tension: float = quantity(0.0407, unit="N/m", gt=0,
                                      description="Solvent-air surface tension")
    solvent_density: float = quantity(1028.0, unit="kg/m^3", gt=0,
                                      description="Solvent density (buoyancy under gravity)")


#: NMP + PVDF and water + CMC/SBR. Reasoning and sources in docs/theory/md.md.
PRESETS: dict[str, dict[str, float]] = {
    "nmp_pvdf": dict(w_am_am=3.5e-12, w_am_cbd=2.0e-12, w_cbd_cbd=2.0e-12, w_am_cc=3.5e-12,
                     w_cbd_cc=2.0e-12, binder_strengthening=5.0, surface_tension=0.0407,
                     solvent_density=1028.0),
    "water_cmc_sbr": dict(w_am_am=1.1e-12, w_am_cbd=1.5e-12, w_cbd_cbd=2.0e-12,
                          w_am_cc=1.1e-12, w_cbd_cc=1.0e-12, binder_strengthening=5.0,
                          surface_tension=0.0720, solvent_density=997.0),
}


class DryingConfig(Section):
    """A drying run: slurry composition, film geometry, evaporation and integration.

    ``preset`` fills :attr:`chemistry`; keys given under ``chemistry`` override it.

    Examples
    --------
    >>> cfg = DryingConfig(preset="water_cmc_sbr", n_am=20, box_xy=18e-6)
    >>> cfg.chemistry.surface_tension
    0.072
    """

    preset: Literal["nmp_pvdf", "water_cmc_sbr"] = Field(
        "nmp_pvdf", description="Solvent/binder system whose interaction parameters are used.")
    chemistry: Chemistry = Field(default_factory=Chemistry)
    start: Literal["auto", "bd", "random"] = Field(
        "auto", description="Starting beads in a recipe: 'bd' the bd stage's end state, "
        "'random' a random slurry, 'auto' the bd end state where the recipe has a bd stage "
        "whose beads the model resolves, else random.")
    n_am: int = Field(60, ge=1, le=2_000_000, description="Number of AM particles.")
    am_diameter: float = quantity(5e-6, unit="m", gt=0, description="Mean AM diameter")
    am_diameter_sd: float = quantity(1e-6, unit="m", ge=0,
                                     description="Standard deviation of AM diameters (lognormal)")
    am_density: float = quantity(4650.0, unit="kg/m^3", gt=0, description="AM (NMC) density")
    cbd_volume_ratio: float = quantity(0.12, unit="1", gt=0, le=2,
                                       description="Dry CBD volume per AM volume")
    cbd_diameter_dry: float = quantity(1.5e-6, unit="m", gt=0,
                                       description="CBD bead diameter when dry")
    cbd_diameter_wet: float = quantity(2.5e-6, unit="m", gt=0,
                                       description="CBD bead diameter in the wet slurry")
    cbd_density: float = quantity(1780.0, unit="kg/m^3", gt=0,
                                  description="Dry CBD (carbon black + binder) density")
    solids_volume_fraction: float = quantity(
        0.22, unit="1", gt=0, lt=0.6, description="Dry-solids volume fraction of the wet film")
    box_xy: float = quantity(30e-6, unit="m", gt=0, description="Lateral (periodic) box edge")
    contact_range: float = quantity(
        0.1e-6, unit="m", gt=0, description="Width parameter s of the coarse-grained contact well")
    contact_stiffness: float = quantity(
        5e5, unit="Pa", gt=0,
        description="Effective (force-scaled) contact modulus k_c: spring k_c R_eff")
    contact_separation: float = quantity(
        0.4e-9, unit="m", gt=0, description="Real surface separation at contact D0 (force scale)")
    temperature: float = quantity(298.15, unit="K", gt=0, description="Thermostat temperature")
    evaporation_rate: float = quantity(
        1e-6, unit="m/s", gt=0, description="Solvent loss rate (film recession speed)")
    steps: int = Field(20_000, ge=10, description="MD steps over which all solvent evaporates.")
    relax_steps: int = Field(2_000, ge=0, description="Steps after drying, at final parameters.")
    timestep: float = Field(0.002, gt=0, le=0.05, description="Time step in reduced units tau.")
    damping: float = Field(10.0, gt=0, description="Langevin friction in 1/tau (reduced).")
    report_interval: int = Field(100, ge=1, description="Steps between thickness reports.")
    trajectory_interval: int = Field(1000, ge=1, description="Steps between DCD frames.")
    seed: int = Field(0, ge=0, lt=2**63, description="Seed of placement and Langevin noise.")
    platform: str | None = Field(None, description="OpenMM platform; default the fastest.")
    threads: int = Field(0, ge=0, le=64, description="CPU threads; 0 means min(2, cores).")
    deterministic: bool = Field(
        False, description="Bit-reproducible runs: one CPU thread, or DeterministicForces on "
        "CUDA/OpenCL (slower; see docs/guide/md.md).")
    checkpoint_interval: int = Field(
        0, ge=0, description="Steps between checkpoints (0: only when interrupted).")
    gravity: float = quantity(0.0, unit="m/s^2", ge=0,
                              description="Gravitational acceleration along -z, with buoyancy")

    @model_validator(mode="before")
    @classmethod
    def _apply_preset(cls, data: Any) -> Any:
        if isinstance(data, dict):
            name = data.get("preset", "nmp_pvdf")
            if isinstance(name, str) and name in PRESETS:  # else the Literal check reports it
                given = data.get("chemistry") or {}
                if isinstance(given, Chemistry):
                    given = given.model_dump(exclude_unset=True)
                data = {**data, "chemistry": {**PRESETS[name], **given}}
        return data

    @model_validator(mode="after")
    def _check_geometry(self) -> DryingConfig:
        if self.cbd_diameter_wet < self.cbd_diameter_dry:
            raise ValueError(
                f"cbd_diameter_wet = {self.cbd_diameter_wet!r}: must be >= cbd_diameter_dry "
                f"({self.cbd_diameter_dry} m); wet binder beads hold solvent")
        if self.box_xy < 2.0 * self.max_am_diameter + 4 * self.contact_range:
            raise ValueError(
                f"box_xy = {self.box_xy!r}: must be >= {2 * self.max_am_diameter:.3g} m "
                "(twice the largest AM diameter, for the periodic cutoff)")
        return self

    @field_validator("deterministic")
    @classmethod
    def _one_thread(cls, value: bool, info: ValidationInfo) -> bool:
        threads = info.data.get("threads", 0)
        if value and threads > 1:
            raise ValueError(
                f"needs threads = 0 or 1, not {threads} (OpenMM's CPU platform splits force "
                "sums and Langevin noise by thread)")
        return value

    @property
    def max_am_diameter(self) -> float:
        """Largest AM diameter drawn: the lognormal is truncated at mean + 3 sd [m]."""
        return self.am_diameter + 3.0 * self.am_diameter_sd

    @property
    def capillary_pressure(self) -> float:
        """Laplace pressure 2 gamma / r_throat of a meniscus in the throat of three touching
        mean-size AM spheres (r_throat = 0.155 R, perfect wetting) [Pa]."""
        return 2 * self.chemistry.surface_tension / (0.155 * 0.5 * self.am_diameter)

    @property
    def force_scale(self) -> float:
        """Model/real force ratio of the widened contact well, 1.2 D0/s (dimensionless).

        The well of depth eps has its steepest pull 2.4 eps/s at width s; a real
        van der Waals contact pulls 2 eps/D0. External loads (capillary pressure) are
        multiplied by this ratio so that load/adhesion ratios stay physical.
        """
        return 1.2 * self.contact_separation / self.contact_range


def preset(name: str, **overrides) -> DryingConfig:
    """A :class:`DryingConfig` for preset ``name`` with keyword ``overrides``.

    Examples
    --------
    >>> preset("nmp_pvdf", n_am=10, box_xy=18e-6).n_am
    10
    """
    if name not in PRESETS:
        raise ValueError(f"preset = {name!r}: must be one of {sorted(PRESETS)}")
    return DryingConfig(preset=name, **overrides)


