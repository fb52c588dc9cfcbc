"""Configuration of a Brownian dynamics run (the ``[bd]`` table of a recipe).

All quantities are SI. A bad value is reported with its path, value and the
allowed range, e.g. ``recipe.toml: bd.temperature = -5.0: must be > 0 K``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from mesolith.bd.presets import SOLVENTS, SPECIES
from mesolith.config.base import Section, quantity

__all__ = ["BDConfig", "SpeciesConfig"]


def _check_bounds(value, name: str, table: dict[str, tuple[str, str]]):
    """Raise ``must be > 0 K``-style errors for the sign constraints in ``table``."""
    if value is None:
        return value
    op, unit = table[name]
    ok = value > 0 if op == ">" else value >= 0
    if not ok:
        raise ValueError(f"must be {op} 0" + (f" {unit}" if unit else ""))
    return value


# Sign constraints checked by validators (pydantic would print float bounds as "0.0").
_SPECIES_BOUNDS = {"radius": (">", "m"), "density": (">", "kg/m^3"), "hamaker": (">=", "J")}
_CONFIG_BOUNDS = {
    "temperature": (">", "K"), "viscosity": (">", "Pa s"), "fluid_density": (">=", "kg/m^3"),
    "relative_permittivity": (">", ""), "ionic_strength": (">", "mol/m^3"), "dt": (">", "s"),
    "gravity": (">=", "m/s^2"), "min_gap": (">", "m"), "dlvo_range": (">", ""),
    "repulsion_energy_kT": (">", "kT"), "repulsion_range": (">", ""),
    "lanczos_tolerance": (">", ""), "max_drift": (">=", ""), "bond_stiffness": (">=", "N/m"),
    "pse_tolerance": (">", ""), "bond_break_force": (">=", "N"), "bond_capture_gap": (">=", "m"),
}



class SpeciesConfig(Section):
    """One particle species: a preset (``nmc``, ``lmo``, ``carbon_black``, ``cmc``, ``pvdf``)
    and/or explicit values, which override the preset."""

    name: str = Field(..., description="Label used in outputs (PDB atom names, HDF5).")
    count: int = Field(..., ge=0, le=10_000_000, description="Number of particles.")
    preset: str | None = Field(None, description="Preset providing defaults for the fields below.")
    radius: float | None = quantity(None, unit="m", description="Particle radius.")
    density: float | None = quantity(None, unit="kg/m^3", description="Particle density.")
    hamaker: float | None = quantity(
        None, unit="J", description="Hamaker constant across the solvent."
    )
    zeta_potential: float | None = quantity(
        None, unit="V", ge=-1, le=1, description="Surface (zeta) potential."
    )
    binder: bool | None = Field(None, description="Forms bridging bonds on contact.")

    @field_validator(*_SPECIES_BOUNDS)
    @classmethod
    def _signs(cls, value, info):
        return _check_bounds(value, info.field_name, _SPECIES_BOUNDS)

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, value: str | None) -> str | None:
        if value is not None and value not in SPECIES:
            raise ValueError(f"unknown preset; choose one of {', '.join(sorted(SPECIES))}")
        return value

    @model_validator(mode="after")
    def _complete(self):
        if self.preset is None:
            missing = [k for k in ("radius", "density") if getattr(self, k) is None]
            if missing:
                raise ValueError(
                    f"species '{self.name}': without a preset, {', '.join(missing)} must be given"
                )
        return self

    def resolved(self, solvent: str) -> dict:
        """Radius [m], density [kg/m^3], hamaker [J], zeta_potential [V], binder, with the
        preset filling what was not given."""
        p = SPECIES.get(self.preset) if self.preset else None
        return {
            "radius": self.radius if self.radius is not None else p.radius,
            "density": self.density if self.density is not None else p.density,
            "hamaker": self.hamaker
            if self.hamaker is not None
            else (p.hamaker[solvent] if p else 0.0),
            "zeta_potential": self.zeta_potential
            if self.zeta_potential is not None
            else (p.zeta_potential[solvent] if p else 0.0),
            "binder": self.binder if self.binder is not None else (p.binder if p else False),
        }


def _default_species() -> list[SpeciesConfig]:
    return [
        SpeciesConfig(name="NMC", preset="nmc", count=8),
        SpeciesConfig(name="CB", preset="carbon_black", count=0),
    ]


class BDConfig(Section):
    """Brownian dynamics of a slurry: solvent, species, forces, integrator.

    Examples
    --------
    >>> cfg = BDConfig(temperature=298.15, dt=1e-6, species=[
    ...     {"name": "NMC", "preset": "nmc", "count": 10}])
    >>> cfg.solvent
    'water'
    """

    temperature: float = quantity(298.15, unit="K", description="Temperature.")
    solvent: Literal["water", "nmp"] = Field("water", description="Solvent preset.")
    viscosity: float | None = quantity(
        None, unit="Pa s", description="Solvent viscosity (default: solvent preset)."
    )
    fluid_density: float | None = quantity(
        None, unit="kg/m^3", description="Solvent density (default: solvent preset)."
    )
    relative_permittivity: float | None = quantity(
        None, unit="", description="Solvent relative permittivity (default: preset)."
    )
    ionic_strength: float = quantity(
        1.0, unit="mol/m^3", description="1:1 electrolyte concentration (Debye length)."
    )
    species: list[SpeciesConfig] = Field(default_factory=_default_species)
    box: tuple[float, float, float] = quantity(
        (10e-6, 10e-6, 10e-6), unit="m", description="Region the particles start in."
    )
    dt: float = quantity(1e-6, unit="s", description="Time step.")
    steps: int = Field(1000, ge=0, description="Steps run by the recipe stage.")
    save_every: int = Field(10, ge=1, description="Steps between trajectory frames.")
    hydrodynamics: Literal["rpy", "none", "pse", "ewald"] = Field(
        "rpy", description="'rpy': Zuk et al. polydisperse RPY; 'none': free draining; "
        "'pse': periodic RPY of equal or unequal spheres in the cubic box, O(N log N) "
        "positively split Ewald; 'ewald': the same mobility by the dense "
        "Ewald sum + Cholesky noise, O(N^3), at most 1000 particles (periodic: no walls, "
        "bonds or shear)."
    )
    pse_tolerance: float = quantity(
        1e-4, unit="", lt=0.1, description="Relative accuracy of the PSE mobility (and of "
        "its Lanczos noise)."
    )
    noise: Literal["auto", "cholesky", "lanczos"] = Field(
        "auto", description="Brownian noise sampler; 'auto': Cholesky up to 300 particles."
    )
    lanczos_tolerance: float = quantity(1e-4, unit="", lt=1, description="Lanczos error.")
    lanczos_max_iterations: int = Field(200, ge=2, le=10_000)
    gravity: float = quantity(0.0, unit="m/s^2", description="g along -z (0: off).")
    wall: bool = Field(False, description="Repulsive wall at z = 0 (the current collector).")
    wall_mobility: bool = Field(
        False, description="No-slip hydrodynamics of the wall at z = 0: each sphere's "
        "wall-corrected self-mobility with its kT div M drift (needs wall = true and "
        "hydrodynamics = 'none').")
    shear_rate: float = quantity(0.0, unit="1/s", description="Imposed shear u_x = rate * z.")
    dlvo: bool = Field(True, description="Van der Waals + double-layer forces.")
    min_gap: float = quantity(
        0.4e-9, unit="m", description="Closest DLVO surface separation (Stern layer)."
    )
    dlvo_range: float = quantity(
        5.0, unit="", description="DLVO cut-off gap in Debye lengths (and >= 0.2 a_min)."
    )
    repulsion_energy_kT: float = quantity(
        10.0, unit="kT", description="Depth of the WCA-type contact repulsion, in kT."
    )
    repulsion_range: float = quantity(
        0.1, unit="", le=1, description="Range of the contact repulsion / smallest radius."
    )
    max_drift: float = quantity(
        0.05, unit="", description="Safeguard: longest deterministic step per dt, as a "
        "fraction of the smallest radius (0: off); see Simulation.drift_limited.")
    bond_stiffness: float = quantity(1e-3, unit="N/m", description="Binder bond spring.")
    bond_break_force: float = quantity(
        2e-11, unit="N", description="Binder bonds break above this tension (0: never)."
    )
    bond_capture_gap: float = quantity(
        5e-9, unit="m", description="Binder bonds form below this surface gap."
    )

    @field_validator(*_CONFIG_BOUNDS)
    @classmethod
    def _signs(cls, value, info):
        return _check_bounds(value, info.field_name, _CONFIG_BOUNDS)

    @field_validator("wall_mobility")
    @classmethod
    def _wall_mobility_setting(cls, value, info):
        if value and info.data.get("hydrodynamics") != "none":
            raise ValueError("needs hydrodynamics = 'none' (pair hydrodynamics near a wall, "
                             "the Rotne-Prager-Blake tensor, is not implemented)")
        if value and not info.data.get("wall"):
            raise ValueError("needs wall = true")
        return value

    @field_validator("box")
    @classmethod
    def _positive_box(cls, value):
        if any(not v > 0 for v in value):
            raise ValueError("every box edge must be > 0 m")
        return value

    @model_validator(mode="after")
    def _pse_box(self):
        if self.hydrodynamics == "pse" and len(set(self.box)) != 1:
            raise ValueError(f"hydrodynamics = 'pse' needs a cubic periodic box; box = "
                             f"{self.box} m has unequal edges")
        return self

    @model_validator(mode="after")
    def _ewald_setting(self):
        """The dense periodic mobility models a cubic periodic box of moderate size."""
        if self.hydrodynamics != "ewald":
            return self
        from mesolith.bd.ewald_dynamics import EWALD_MAX_PARTICLES

        name = "hydrodynamics = 'ewald'"
        if len(set(self.box)) != 1:
            raise ValueError(f"{name} needs a cubic periodic box; box = {self.box} m has "
                             "unequal edges")
        if self.wall or self.wall_mobility:
            raise ValueError(f"{name} is periodic in all three directions: wall = "
                             f"{self.wall} and wall_mobility = {self.wall_mobility} must "
                             "be false (use 'rpy' or 'none' with a wall)")
        if self.shear_rate != 0:
            raise ValueError(f"{name}: shear_rate = {self.shear_rate} 1/s must be 0 "
                             "(a sheared periodic box needs Lees-Edwards boundaries)")
        if self.noise == "lanczos":
            raise ValueError(f"{name} draws its noise with the Cholesky factor of the "
                             "dense matrix: noise = 'lanczos' is not available (use 'auto' "
                             "or 'cholesky')")
        a_max = max(s.resolved(self.solvent)["radius"] for s in self.species if s.count)
        if not self.box[0] > 2 * a_max:
            raise ValueError(f"{name}: box = {self.box} m must be > 2 x the largest radius "
                             f"= {2 * a_max} m")
        n = sum(s.count for s in self.species)
        if n > EWALD_MAX_PARTICLES:
            raise ValueError(f"{name} forms and factors a dense 3N x 3N matrix each step: "
                             f"{n} particles is more than {EWALD_MAX_PARTICLES}; use "
                             "'pse' or 'rpy' (free space)")
        return self

    @field_validator("species")
    @classmethod
    def _some_particles(cls, value):
        if not value or sum(s.count for s in value) == 0:
            raise ValueError("at least one particle is needed")
        names = [s.name for s in value]
        if len(set(names)) != len(names):
            raise ValueError("species names must be unique")
        return value

    def solvent_properties(self) -> dict:
        """Viscosity [Pa s], density [kg/m^3], relative permittivity of the solvent."""
        s = SOLVENTS[self.solvent]
        return {
            "viscosity": self.viscosity if self.viscosity is not None else s.viscosity,
            "density": self.fluid_density if self.fluid_density is not None else s.density,
            "relative_permittivity": self.relative_permittivity
            if self.relative_permittivity is not None
            else s.relative_permittivity,
        }
