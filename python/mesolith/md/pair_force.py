"""Pair forces with per-type parameters: one CustomNonbondedForce builder for every MD model.

Both the Lennard-Jones validation fluid and the drying model go through
:func:`type_pair_force`, so the validation exercises the same code path (tables by
type, per-particle parameters, global parameters, periodic cutoff, long-range
correction) that the drying runs use.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mesolith._arrays import as_array

__all__ = ["type_pair_force"]


def type_pair_force(
    expression: str,
    types: np.ndarray,
    tables: Mapping[str, np.ndarray],
    cutoff: float,
    per_particle: Mapping[str, np.ndarray] | None = None,
    global_parameters: Mapping[str, float] | None = None,
    long_range_correction: bool = False,
):
    """Build an OpenMM ``CustomNonbondedForce`` whose parameters depend on particle types.

    Parameters
    ----------
    expression : str
        Pair energy in OpenMM's expression syntax. It may use ``r``, each per-particle
        parameter as ``name1``/``name2``, ``type1``/``type2``, every global parameter and
        each table as ``name(type1, type2)``.
    types : ndarray of int, shape (n,)
        Type index of every particle, ``0 .. ntypes-1``.
    tables : mapping of str to ndarray, shape (ntypes, ntypes)
        Symmetric per-type-pair parameter tables (e.g. well depths).
    cutoff : float
        Periodic cutoff distance (OpenMM length units).
    per_particle : mapping of str to ndarray, shape (n,), optional
        Extra per-particle parameters.
    global_parameters : mapping of str to float, optional
        Global parameters with their initial values (cheap to change during a run).
    long_range_correction : bool
        Add OpenMM's analytic tail correction (assumes g(r) = 1 beyond the cutoff).

    Returns
    -------
    openmm.CustomNonbondedForce

    Examples
    --------
    >>> f = type_pair_force("4*eps(type1,type2)*((1/r)^12-(1/r)^6)", np.zeros(2, int),
    ...                     {"eps": np.ones((1, 1))}, cutoff=2.5)  # doctest: +SKIP
    """
    import openmm as mm

    types = as_array(types, "types", np.int64, ndim=1)
    n = types.shape[0]
    ntypes = int(types.max()) + 1 if n else 1
    if n and types.min() < 0:
        raise ValueError("types: must be >= 0")
    if not (np.isfinite(cutoff) and cutoff > 0):
        raise ValueError(f"cutoff = {cutoff!r}: must be > 0 and finite")
    force = mm.CustomNonbondedForce(expression)
    force.setNonbondedMethod(mm.CustomNonbondedForce.CutoffPeriodic)
    force.setCutoffDistance(float(cutoff))
    force.setUseLongRangeCorrection(bool(long_range_correction))
    for name, value in (global_parameters or {}).items():
        force.addGlobalParameter(name, float(value))
    for name, table in tables.items():
        table = as_array(table, f"tables[{name!r}]", np.float64, ndim=2, shape=(ntypes, ntypes))
        if not np.allclose(table, table.T):
            raise ValueError(f"tables[{name!r}]: must be symmetric")
        # Discrete2DFunction is indexed x + xsize*y; the table is symmetric so order is moot.
        force.addTabulatedFunction(
            name, mm.Discrete2DFunction(ntypes, ntypes, table.ravel(order="F").tolist())
        )
    force.addPerParticleParameter("type")
    columns = [types.astype(np.float64)]
    for name, values in (per_particle or {}).items():
        values = as_array(values, f"per_particle[{name!r}]", np.float64, ndim=1, shape=(n,))
        force.addPerParticleParameter(name)
        columns.append(values)
    params = np.column_stack(columns) if n else np.zeros((0, len(columns)))
    for row in params:
        force.addParticle(row.tolist())
    return force
