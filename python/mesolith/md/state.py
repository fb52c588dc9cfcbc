"""What a drying checkpoint holds, as flat arrays for :mod:`mesolith.io`'s checkpoint files.

A drying run is fully described by

* OpenMM's own checkpoint of the ``Context`` (positions, velocities, the global
  parameters ``ztop``/``shrink``/``binder``, the step count and the integrator's
  random-number state), kept as raw bytes;
* the drying schedule state held by :class:`~mesolith.md.reporters.EvaporationReporter`
  (free-surface position, last measured surface force, arrest flag, last step);
* what :class:`~mesolith.md.reporters.FilmReporter` has recorded so far;
* the starting slurry (so a run started from given beads resumes without them);
* the length and the leading bytes of the DCD trajectory written so far, so that frames
  written after the checkpoint (by a run that was then killed) are cut off on resume.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from mesolith.md.reporters import EvaporationReporter, FilmRecord
from mesolith.md.slurry import Slurry

__all__ = ["DCD_HEAD_BYTES", "film_from_state", "film_state", "slurry_from_state",
           "slurry_state", "surface_from_state", "surface_state"]

#: Leading DCD bytes stored with a checkpoint: the header (276 bytes for our files) whose
#: frame count OpenMM's DCDFile rewrites after every frame, with room to spare.
DCD_HEAD_BYTES = 1024


def slurry_state(slurry: Slurry) -> dict:
    return {"types": slurry.types, "diameter": slurry.diameter, "mass": slurry.mass,
            "inertia": slurry.inertia, "positions": slurry.positions,
            "box_xy": float(slurry.box_xy), "height": float(slurry.height),
            "dry_ratio": float(slurry.dry_ratio)}


def slurry_from_state(state: dict) -> Slurry:
    return Slurry(types=np.asarray(state["types"]), diameter=np.asarray(state["diameter"]),
                  mass=np.asarray(state["mass"]), inertia=np.asarray(state["inertia"]),
                  positions=np.asarray(state["positions"]), box_xy=float(state["box_xy"]),
                  height=float(state["height"]), dry_ratio=float(state["dry_ratio"]))


def surface_state(evap: EvaporationReporter) -> dict:
    return {"ztop": float(evap.ztop), "wall_force": float(evap.wall_force),
            "arrested": int(evap.arrested), "last_step": int(evap._last_step)}


def surface_from_state(evap: EvaporationReporter, state: dict) -> None:
    evap.ztop = float(state["ztop"])
    evap.wall_force = float(state["wall_force"])
    evap.arrested = bool(int(state["arrested"]))
    evap._last_step = int(state["last_step"])


def film_state(record: FilmRecord) -> dict:
    out = {}
    for f in fields(record):
        values = getattr(record, f.name)
        out[f.name] = np.asarray(values, dtype=np.int64 if f.name == "step" else np.float64)
    return out


def film_from_state(record: FilmRecord, state: dict) -> None:
    for f in fields(record):
        values = np.atleast_1d(np.asarray(state[f.name]))
        setattr(record, f.name, [int(v) if f.name == "step" else float(v) for v in values])
