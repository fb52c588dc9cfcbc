"""Brownian dynamics -> drying: start the drying film from the end state of the ``bd`` stage.

The ``bd`` stage leaves ``context["bd"] = {"positions", "radii", "species",
"species_names"}`` (SI). Its species map onto the two bead types of the drying model:

* **CBD** (type 1): binder species (``binder = true``, e.g. the ``cmc``/``pvdf`` presets)
  and carbon black (the ``carbon_black`` preset); their BD diameter is taken as the *wet*
  CBD diameter, which shrinks by ``cbd_diameter_dry / cbd_diameter_wet`` of the drying
  configuration as the film dries;
* **AM** (type 0): every other species (``nmc``, ``lmo``, or species without a preset that
  are not binders).

Geometry: the BD slurry lives in free space. Its lateral start box becomes the periodic
box of the film (the larger of its x and y edges, x and y wrapped into it), and if any
bead has moved below the collector the whole slurry is lifted so the lowest bead touches
it. Wrapping can create overlaps at the box edges; the drying model's bounded contact
springs push them apart in the first steps.
"""

from __future__ import annotations

import numpy as np

from mesolith.md.config import DryingConfig
from mesolith.md.slurry import AM, CBD, Slurry, slurry_from_beads

__all__ = ["MIN_DIAMETER_IN_CONTACT_RANGES", "BeadsTooSmall", "bd_bead_types",
           "drying_from_bd"]

#: Smallest bead the drying model resolves, in contact ranges s: its contact well (width
#: ~2.5 s) and time step are set for beads much larger than s.
MIN_DIAMETER_IN_CONTACT_RANGES = 5.0


class BeadsTooSmall(ValueError):
    """A bd species is below the bead size the drying model resolves."""


def bd_bead_types(bd_config) -> np.ndarray:
    """Drying bead type (0 AM, 1 CBD) of each species of a :class:`~mesolith.bd.config.BDConfig`.
    """
    types = []
    for species in bd_config.species:
        resolved = species.resolved(bd_config.solvent)
        cbd = bool(resolved["binder"]) or species.preset == "carbon_black"
        types.append(CBD if cbd else AM)
    return np.asarray(types, dtype=np.int64)


def drying_from_bd(cfg: DryingConfig, bd: dict, bd_config) -> tuple[DryingConfig, Slurry]:
    """The drying configuration and starting slurry for the BD end state ``bd``.

    Parameters
    ----------
    cfg : DryingConfig
        The drying run; its box, AM size and CBD wet size are replaced by the BD slurry's
        (mean AM diameter, no spread; mean wet CBD diameter, the dry/wet ratio kept).
    bd : dict
        ``context["bd"]`` of the bd stage: positions [m] (n, 3), radii [m] (n,), species
        index (n,), species_names.
    bd_config : BDConfig
        The bd stage's configuration (species presets and binder flags, start box).

    Raises
    ------
    BeadsTooSmall
        If a bead is too small for the drying model (below ``MIN_DIAMETER_IN_CONTACT_RANGES``
        contact ranges): coarse-grain it in the bd stage.
    ValueError
        If there are no AM beads.
    """
    species = np.asarray(bd["species"], dtype=np.int64)
    diameters = 2.0 * np.asarray(bd["radii"], dtype=np.float64)
    types = bd_bead_types(bd_config)[species]
    positions = np.array(bd["positions"], dtype=np.float64)
    d_min = MIN_DIAMETER_IN_CONTACT_RANGES * cfg.contact_range
    for k, name in enumerate(bd["species_names"]):
        small = diameters[species == k]
        if small.size and small.min() < d_min:
            raise BeadsTooSmall(
                f"bd species {name!r}: diameter {small.min():.3g} m is below the "
                f"{d_min:.3g} m ({MIN_DIAMETER_IN_CONTACT_RANGES:g} md.contact_range) the "
                "drying model resolves; give it a larger (coarse-grained) radius in the bd "
                "stage or lower md.contact_range")
    if not np.any(types == AM):
        raise ValueError("the bd stage has no active-material species to dry (all are "
                         "binder or carbon black)")
    box_xy = float(max(bd_config.box[0], bd_config.box[1]))
    lowest = float(np.min(positions[:, 2] - 0.5 * diameters))
    if lowest < 0:
        positions[:, 2] -= lowest
    ratio = cfg.cbd_diameter_dry / cfg.cbd_diameter_wet
    updates = {"box_xy": box_xy, "n_am": int(np.sum(types == AM)),
               "am_diameter": float(diameters[types == AM].mean()), "am_diameter_sd": 0.0}
    if np.any(types == CBD):
        wet = float(diameters[types == CBD].mean())
        updates.update(cbd_diameter_wet=wet, cbd_diameter_dry=wet * ratio)
    cfg = DryingConfig.from_dict({**cfg.model_dump(mode="json"), **updates},
                                 source="<bd -> md hand-off>", prefix="md")
    return cfg, slurry_from_beads(cfg, positions, diameters, types, box_xy)
