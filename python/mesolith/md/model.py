"""The OpenMM system of a drying film: colloid pair wells, collector wall, free surface.

Reduced units throughout (see :mod:`mesolith.md.units`). Forces, all with the contact
range ``s`` of :class:`~mesolith.md.config.DryingConfig`:

* pairs: for a surface gap h = r - (d_i + d_j)/2 >= 0 a Lennard-Jones 12-6 well in
  h + 2^(1/6) s (its minimum at contact) with depth eps_ij = w(t_i, t_j) R_eff ramp,
  truncated and shifted at h + 2^(1/6) s = 2.5 s; for h < 0 (overlap) a linear contact
  spring k_c R_eff h^2 / 2 of bounded stiffness (types: 0 = AM, 1 = CBD);
* collector (z = 0): the same form in the sphere-plane gap z - d/2 with depth
  w_cc(t) R (Derjaguin, R_eff = R for a sphere on a plane);
* free surface (z = ``ztop``): a harmonic repulsion of beads poking above it;
* gravity (only when ``gravity > 0``): a constant force -W_i along z on each bead, its
  buoyant weight W_i = (m_i - rho_solvent V_i) g scaled like every external load by
  :attr:`~mesolith.md.config.DryingConfig.force_scale` (m_i, V_i: dry solid mass and
  volume; the solvent held in a wet CBD bead weighs as much as the solvent it displaces).

Global parameters drive drying cheaply: ``shrink`` (CBD diameter / wet diameter),
``binder`` (ramp of wells that involve CBD) and ``ztop``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mesolith.md.config import DryingConfig
from mesolith.md.pair_force import type_pair_force
from mesolith.md.slurry import AM, CBD, Slurry
from mesolith.md.units import ENERGY, FORCE, LENGTH, PRESSURE

__all__ = ["GRAVITY_GROUP", "DryingModel", "buoyant_weight", "build_model"]

#: OpenMM force group of the gravity force (0: pairs, 1: collector + free surface).
GRAVITY_GROUP = 2

_RMIN = 2 ** (1 / 6)
_CUT = 2.5  # truncation of the gap well, in units of s
_SHIFT = _CUT**-12 - _CUT**-6

PAIR_EXPRESSION = (
    "step(rcut - rr) * select(step(h), 4*eps*((s/rr)^12 - (s/rr)^6 - shiftc),"
    " 0.5*kc*reff*h^2 - eps*(1 + 4*shiftc));"
    "rr = max(h, 0) + rmin*s;"
    "h = r - 0.5*(da + db);"
    "eps = well(type1, type2) * (1 + (binder - 1)*max(type1, type2)) * reff;"
    "reff = da*db/(2*(da + db));"
    "da = d1*(1 - type1*(1 - shrink)); db = d2*(1 - type2*(1 - shrink))"
)

WALL_EXPRESSION = (
    "ebot + etop;"
    "ebot = step(rcut - hh) * select(step(g), 4*ew*((s/hh)^12 - (s/hh)^6 - shiftc),"
    " 0.5*kc*0.5*dd*g^2 - ew*(1 + 4*shiftc));"
    "hh = max(g, 0) + rmin*s;"
    "g = z - 0.5*dd;"
    "ew = wcc * (1 + (binder - 1)*cbd) * 0.5*dd;"
    "etop = 0.5*ktop*step(p)*p^2; p = z + 0.5*dd - ztop;"
    "dd = d*(1 - cbd*(1 - shrink))"
)


def _constants(s: float, kc: float) -> str:
    return f"s={s!r}; rmin={_RMIN!r}; rcut={_CUT * s!r}; shiftc={_SHIFT!r}; kc={kc!r}"


@dataclass
class DryingModel:
    """The OpenMM ``System`` plus the numbers the drying loop needs (reduced units)."""

    system: object
    pair_force: object
    wall_force: object
    contact_range: float
    cutoff: float
    box: np.ndarray  # (3,)
    wall_stiffness: float
    capillary_force: float  # the largest total force the free surface exerts
    gravity_force: object = None  # CustomExternalForce, present when cfg.gravity > 0


def buoyant_weight(slurry: Slurry, cfg: DryingConfig) -> np.ndarray:
    """Buoyant weight (m - rho_solvent V) g of each bead [N], dry solid mass and volume."""
    from mesolith.md.units import MASS

    d_dry = np.where(slurry.types == CBD, slurry.diameter * slurry.dry_ratio, slurry.diameter)
    volume = np.pi / 6 * (d_dry * LENGTH) ** 3
    return (slurry.mass * MASS - cfg.chemistry.solvent_density * volume) * cfg.gravity


def build_model(slurry: Slurry, cfg: DryingConfig) -> DryingModel:
    """Assemble the OpenMM system for ``slurry`` with ``cfg``'s interaction parameters."""
    import openmm as mm

    ch = cfg.chemistry
    s = cfg.contact_range / LENGTH
    to_reduced = LENGTH / ENERGY  # J/m -> reduced energy per reduced length
    well = np.array([[ch.w_am_am, ch.w_am_cbd], [ch.w_am_cbd, ch.w_cbd_cbd]]) * to_reduced
    kc = cfg.contact_stiffness / PRESSURE  # reduced stiffness per reduced radius
    cutoff = float(slurry.diameter.max()) + (_CUT - _RMIN) * s
    box = np.array([slurry.box_xy, slurry.box_xy, slurry.height + 2 * cutoff + 4 * s])

    system = mm.System()
    system.setDefaultPeriodicBoxVectors(mm.Vec3(box[0], 0, 0), mm.Vec3(0, box[1], 0),
                                        mm.Vec3(0, 0, box[2]))
    for m in slurry.inertia:
        system.addParticle(float(m))
    pair = type_pair_force(
        f"{PAIR_EXPRESSION}; {_constants(s, kc)}", slurry.types, {"well": well}, cutoff,
        per_particle={"d": slurry.diameter},
        global_parameters={"binder": 1.0, "shrink": 1.0})
    pair.setForceGroup(0)
    system.addForce(pair)

    # Free surface: the capillary pressure (scaled like every external load, see
    # DryingConfig.force_scale) over the box area is the most it can push with; the
    # stiffness lets it sink 2 s into a mean AM bead at that load per bead cross-section.
    p_cap = cfg.capillary_pressure * cfg.force_scale / PRESSURE
    r_am = 0.5 * cfg.am_diameter / LENGTH
    k_top = p_cap * np.pi * r_am**2 / (2.0 * s)
    wall = mm.CustomExternalForce(f"{WALL_EXPRESSION}; {_constants(s, kc)}")
    for name, value in (("binder", 1.0), ("shrink", 1.0), ("ztop", slurry.height),
                        ("ktop", k_top)):
        wall.addGlobalParameter(name, float(value))
    for name in ("d", "cbd", "wcc"):
        wall.addPerParticleParameter(name)
    wcc = np.where(slurry.types == AM, ch.w_am_cc, ch.w_cbd_cc) * to_reduced
    for i in range(slurry.n):
        wall.addParticle(i, [float(slurry.diameter[i]), float(slurry.types[i] == CBD),
                             float(wcc[i])])
    wall.setForceGroup(1)
    system.addForce(wall)
    gravity = None
    if cfg.gravity > 0:
        gravity = mm.CustomExternalForce("w*z")  # force -w along z
        gravity.addPerParticleParameter("w")
        weight = buoyant_weight(slurry, cfg) * cfg.force_scale / FORCE
        for i in range(slurry.n):
            gravity.addParticle(i, [float(weight[i])])
        gravity.setForceGroup(GRAVITY_GROUP)
        system.addForce(gravity)
    return DryingModel(system, pair, wall, s, cutoff, box, float(k_top),
                       float(p_cap * box[0] * box[1]), gravity)
