"""Configuration of the anode kMC model (SI units; energies in eV, potentials in V vs Li/Li+)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from mesolith.config.base import Section, quantity

__all__ = [
    "DriveConfig",
    "ElectrolyteConfig",
    "HostConfig",
    "InsertionConfig",
    "KmcConfig",
    "LatticeConfig",
    "PlatingConfig",
]

FARADAY = 96485.33212  # C/mol
AVOGADRO = 6.02214076e23  # 1/mol


class LatticeConfig(Section):
    """Simple-cubic lattice: x, y periodic; z from the host bottom to the electrolyte top."""

    nx: int = Field(8, ge=4, le=4096, description="Sites along x (even: graphene/gallery pairs).")
    ny: int = Field(8, ge=3, le=4096, description="Sites along y.")
    nz: int = Field(24, ge=5, le=4096, description="Sites along z (host + electrolyte).")
    host_layers: int = Field(12, ge=2, description="Sites of graphite host along z.")
    spacing: float = quantity(5e-10, unit="m", description="Lattice spacing a.", gt=0, lt=1e-6)

    @model_validator(mode="after")
    def _shape(self):
        if self.nx % 2:
            raise ValueError(f"nx = {self.nx}: must be even (graphene planes alternate with "
                             "galleries along x)")
        if self.nz < self.host_layers + 3:
            raise ValueError(f"nz = {self.nz}: must be >= host_layers + 3 = "
                             f"{self.host_layers + 3} (room for electrolyte)")
        return self


class ElectrolyteConfig(Section):
    concentration: float = quantity(1000.0, unit="mol/m^3", description="Bulk Li+.", gt=0)
    reference_concentration: float = quantity(
        1000.0, unit="mol/m^3", description="Standard state of the potentials.", gt=0)
    diffusivity: float = quantity(3e-10, unit="m^2/s", description="Li+ D at the reference "
                                  "temperature.", gt=0)
    activation_energy: float = quantity(0.15, unit="eV", description="Arrhenius energy of D.",
                                        ge=0)
    hop_rate_cap: float = quantity(1e4, unit="1/s", description="Cap on the Li+ hop rate "
                                   "(rate rescaling of fast events); 0 = none.", ge=0)


class HostConfig(Section):
    attempt_frequency: float = quantity(1e13, unit="1/s", description="In-plane hop prefactor.",
                                        gt=0)
    barrier: float = quantity(0.45, unit="eV", description="In-plane hop barrier.", ge=0)
    hop_rate_cap: float = quantity(1e4, unit="1/s", description="Cap on the in-plane hop rate; "
                                   "0 = none.", ge=0)
    interaction_in_plane: float = quantity(-0.02, unit="eV", description="NN pair energy in a "
                                           "gallery (< 0 attractive).", ge=-1, le=1)
    interaction_interlayer: float = quantity(0.03, unit="eV", description="Pair energy across "
                                             "a graphene plane (> 0 repulsive).", ge=-1, le=1)


class InsertionConfig(Section):
    exchange_current: float = quantity(1.0, unit="A/m^2", description="i0 at the reference "
                                       "temperature and concentration.", gt=0)
    activation_energy: float = quantity(0.55, unit="eV", description="Arrhenius energy of i0.",
                                        ge=0)
    alpha: float = quantity(0.5, description="Transfer coefficient.", gt=0, lt=1)
    potential: float = quantity(0.12, unit="V", description="E0: half filling of a "
                                "non-interacting host.", ge=-1, le=3)
    hydrostatic_stress: float = quantity(0.0, unit="Pa", description="sigma_h of the "
                                         "stress-modified Butler-Volmer equation.")
    partial_molar_volume: float = quantity(3.5e-6, unit="m^3/mol", description="Omega of Li in "
                                           "graphite.", ge=0)


class PlatingConfig(Section):
    exchange_current: float = quantity(10.0, unit="A/m^2", description="i0 of Li/Li+ at the "
                                       "reference temperature.", gt=0)
    activation_energy: float = quantity(0.30, unit="eV", description="Arrhenius energy of i0.",
                                        ge=0)
    alpha: float = quantity(0.5, description="Transfer coefficient.", gt=0, lt=1)
    metal_bond: float = quantity(-0.05, unit="eV", description="Li-Li NN bond energy.", le=0,
                                 ge=-2)
    surface_attempt_frequency: float = quantity(1e13, unit="1/s", description="Adatom hop "
                                                "prefactor.", gt=0)
    surface_barrier: float = quantity(0.14, unit="eV", description="Adatom hop barrier.", ge=0)
    surface_hop_cap: float = quantity(1e5, unit="1/s", description="Cap on the adatom hop rate; "
                                      "0 = none.", ge=0)


class DriveConfig(Section):
    mode: Literal["potentiostatic", "galvanostatic", "pulsed"] = "galvanostatic"
    potential: float = quantity(0.05, unit="V", description="Potentiostatic potential.",
                                ge=-1, le=3)
    c_rate: float = quantity(1.0, unit="1/h", description="Charging rate (galvanostatic, "
                             "pulse amplitude).", ge=0, le=100)
    areal_capacity: float = quantity(
        4914.0, unit="C/m^2", gt=0,
        description="Charge per particle surface area that 1C delivers in an hour "
                    "(c_max F R / 3; default R = 5 um, c_max = 30555 mol/m^3).")
    pulse_on: float = quantity(1e-3, unit="s", description="Pulse length.", gt=0)
    pulse_off: float = quantity(3e-3, unit="s", description="Rest (or reverse) length.", ge=0)
    reverse_ratio: float = quantity(0.0, description="Off-phase current / pulse current "
                                    "(0: rest, > 0: reverse pulse).", ge=0, le=10)
    double_layer_capacitance: float = quantity(0.2, unit="F/m^2", gt=0,
                                               description="C_dl of the galvanostat.")
    control_interval: float = quantity(1e-3, unit="s", gt=0,
                                       description="Longest time between potential updates.")
    min_potential: float = quantity(-0.5, unit="V", description="Galvanostat lower clamp.")
    max_potential: float = quantity(1.5, unit="V", description="Galvanostat upper clamp.")


class KmcConfig(Section):
    """Anode kMC: Li+ insertion into graphite vs Li plating. See docs/theory/kmc.md."""

    lattice: LatticeConfig = Field(default_factory=LatticeConfig)
    electrolyte: ElectrolyteConfig = Field(default_factory=ElectrolyteConfig)
    host: HostConfig = Field(default_factory=HostConfig)
    insertion: InsertionConfig = Field(default_factory=InsertionConfig)
    plating: PlatingConfig = Field(default_factory=PlatingConfig)
    drive: DriveConfig = Field(default_factory=DriveConfig)
    temperature: float = quantity(298.15, unit="K", gt=150, lt=500, description="Temperature.")
    reference_temperature: float = quantity(298.15, unit="K", gt=0,
                                            description="Where reference rates apply.")
    initial_soc: float = quantity(0.1, description="Initial host filling.", ge=0, le=1)
    duration: float = quantity(1.0, unit="s", gt=0, description="Simulated time of a stage run.")
    sample_interval: float = quantity(0.01, unit="s", gt=0, description="Observable sampling.")

    @model_validator(mode="after")
    def _occupancy(self):
        a = self.lattice.spacing
        for name, c in (("electrolyte.concentration", self.electrolyte.concentration),
                        ("electrolyte.reference_concentration",
                         self.electrolyte.reference_concentration)):
            p = c * AVOGADRO * a**3
            if p >= 1:
                raise ValueError(f"{name} = {c}: more than one ion per lattice site "
                                 f"(c N_A a^3 = {p:.3g} must be < 1)")
        return self

    def engine_parameters(self) -> dict:
        """The flat parameter table of the C++ model (same units)."""
        lat, el, host, ins, pl = (self.lattice, self.electrolyte, self.host, self.insertion,
                                  self.plating)
        return {
            "nx": lat.nx, "ny": lat.ny, "nz": lat.nz, "host_layers": lat.host_layers,
            "spacing": lat.spacing,
            "temperature": self.temperature,
            "reference_temperature": self.reference_temperature,
            "concentration": el.concentration,
            "reference_concentration": el.reference_concentration,
            "electrolyte_diffusivity": el.diffusivity,
            "electrolyte_activation": el.activation_energy,
            "electrolyte_hop_cap": el.hop_rate_cap,
            "host_attempt_frequency": host.attempt_frequency,
            "host_barrier": host.barrier,
            "host_hop_cap": host.hop_rate_cap,
            "interaction_in_plane": host.interaction_in_plane,
            "interaction_interlayer": host.interaction_interlayer,
            "insertion_exchange_current": ins.exchange_current,
            "insertion_activation": ins.activation_energy,
            "insertion_alpha": ins.alpha,
            "insertion_potential": ins.potential,
            # Stress-modified Butler-Volmer: the overpotential is reduced by sigma_h Omega / F.
            "stress_shift": ins.hydrostatic_stress * ins.partial_molar_volume / FARADAY,
            "plating_exchange_current": pl.exchange_current,
            "plating_activation": pl.activation_energy,
            "plating_alpha": pl.alpha,
            "metal_bond": pl.metal_bond,
            "surface_attempt_frequency": pl.surface_attempt_frequency,
            "surface_barrier": pl.surface_barrier,
            "surface_hop_cap": pl.surface_hop_cap,
        }

    def applied_current(self) -> float:
        """Charging current (A) of the drive's C-rate on the lattice's top area."""
        area = self.lattice.nx * self.lattice.ny * self.lattice.spacing**2
        return self.drive.c_rate * self.drive.areal_capacity / 3600.0 * area
