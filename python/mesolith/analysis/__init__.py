"""Trajectory analyses of drying and slurry runs (MDAnalysis ``AnalysisBase`` classes).

Each works on any MDAnalysis ``Universe`` whose atoms carry ``names`` (``AM``/``CBD``) and
``radii``: the DCD + PDB the MD engine writes (:func:`mesolith.md.files.universe`) or a
Brownian-dynamics trajectory loaded the same way. ``length_unit`` is the number of metres
per Universe length unit (default 1e-7: the MD engine's DCD "Angstrom" is 0.1 um); every
result is in SI units. Usage: ``FilmThickness(u.atoms).run(start, stop, step).results``.
"""

from __future__ import annotations

__all__ = ["CBDCoverage", "Contacts", "DensityProfile", "FilmThickness", "RDF"]

_WHERE = {
    "FilmThickness": "mesolith.analysis.thickness",
    "DensityProfile": "mesolith.analysis.density",
    "Contacts": "mesolith.analysis.contacts",
    "CBDCoverage": "mesolith.analysis.coverage",
    "RDF": "mesolith.analysis.rdf",
}


def __getattr__(name):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'mesolith.analysis' has no attribute {name!r}")
