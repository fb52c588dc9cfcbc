"""Shared helpers of the analyses: unit handling and bead radii."""

from __future__ import annotations

import numpy as np

#: Metres per length unit of the MD engine's DCD/PDB files (1 "Angstrom" = 0.1 um).
MD_LENGTH_UNIT = 1e-7


def radii_of(atomgroup) -> np.ndarray:
    """Bead radii in Universe units (0 where the topology has none)."""
    try:
        return np.asarray(atomgroup.radii, float)
    except AttributeError:  # MDAnalysis' NoDataError is an AttributeError
        return np.zeros(atomgroup.n_atoms)


def check_length_unit(length_unit: float) -> float:
    if not (np.isfinite(length_unit) and length_unit > 0):
        raise ValueError(f"length_unit = {length_unit!r}: must be > 0 m and finite")
    return float(length_unit)
