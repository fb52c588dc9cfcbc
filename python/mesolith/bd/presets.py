"""Species and solvent presets for electrode slurries, with their sources.

Every value is a representative literature figure meant as a starting point;
each can be overridden in the configuration. Hamaker constants are for the
material interacting across the named solvent; between unlike species the
combining rule ``A_ij = sqrt(A_ii A_jj)`` is used (Israelachvili,
*Intermolecular and Surface Forces*, 3rd ed., 2011, section 13.3).

Radii are the coarse-grained bead radii of the model, not powder d50 values:
real NMC/LMO secondary particles (2-10 um) are nearly non-Brownian, so the
defaults describe the sub-micron scale where Brownian motion and colloidal
forces compete.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SOLVENTS", "SPECIES", "SolventPreset", "SpeciesPreset"]


@dataclass(frozen=True)
class SolventPreset:
    """A solvent: viscosity [Pa s], density [kg/m^3], relative permittivity [-]."""

    viscosity: float
    density: float
    relative_permittivity: float
    source: str


@dataclass(frozen=True)
class SpeciesPreset:
    """A particle species; ``hamaker`` [J] and ``zeta_potential`` [V] per solvent."""

    radius: float
    density: float
    hamaker: dict[str, float]
    zeta_potential: dict[str, float]
    binder: bool
    source: str


SOLVENTS: dict[str, SolventPreset] = {
    "water": SolventPreset(
        viscosity=0.890e-3,
        density=997.0,
        relative_permittivity=78.4,
        source="CRC Handbook of Chemistry and Physics, 97th ed. (2016), water at 25 C",
    ),
    "nmp": SolventPreset(
        viscosity=1.67e-3,
        density=1028.0,
        relative_permittivity=32.2,
        source="CRC Handbook of Chemistry and Physics, 97th ed. (2016), "
        "N-methyl-2-pyrrolidone at 25 C",
    ),
}

SPECIES: dict[str, SpeciesPreset] = {
    "nmc": SpeciesPreset(
        radius=0.5e-6,
        density=4650.0,
        # transition-metal oxides across water: 1e-20 .. 6e-20 J (Bergstrom, Adv. Colloid
        # Interface Sci. 70, 125, 1997); NMP (higher refractive index) screens more.
        hamaker={"water": 3.0e-20, "nmp": 1.5e-20},
        # alkaline aqueous NMC slurries (pH 10-12) carry negative surfaces of a few tens of mV
        zeta_potential={"water": -0.030, "nmp": -0.010},
        binder=False,
        source="density 4.65 g/cm3 as in Lombardo et al., Energy Storage Mater. (2021); "
        "Hamaker range Bergstrom (1997)",
    ),
    "lmo": SpeciesPreset(
        radius=0.5e-6,
        density=4280.0,
        hamaker={"water": 3.0e-20, "nmp": 1.5e-20},
        zeta_potential={"water": -0.030, "nmp": -0.010},
        binder=False,
        source="spinel LiMn2O4 crystallographic density 4.28 g/cm3; Hamaker range Bergstrom "
        "(1997)",
    ),
    "carbon_black": SpeciesPreset(
        radius=25e-9,
        density=1800.0,
        # carbon across water, order 1e-19 J (Israelachvili 2011, table 13.3 range for
        # graphitic solids); kept the same order in NMP.
        hamaker={"water": 1.0e-19, "nmp": 5.0e-20},
        zeta_potential={"water": -0.040, "nmp": -0.010},
        binder=False,
        source="Super P-type primary particles ~50 nm diameter, skeletal density ~1.8 g/cm3",
    ),
    "cmc": SpeciesPreset(
        radius=50e-9,
        density=1590.0,
        hamaker={"water": 0.5e-20, "nmp": 0.5e-20},
        zeta_potential={"water": -0.050, "nmp": -0.010},
        binder=True,
        source="sodium carboxymethyl cellulose, density 1.59 g/cm3; a coarse-grained coil bead; "
        "anionic polyelectrolyte in water",
    ),
    "pvdf": SpeciesPreset(
        radius=50e-9,
        density=1780.0,
        hamaker={"water": 0.5e-20, "nmp": 0.5e-20},
        zeta_potential={"water": -0.010, "nmp": -0.005},
        binder=True,
        source="poly(vinylidene fluoride), density 1.78 g/cm3; a coarse-grained coil bead",
    ),
}
