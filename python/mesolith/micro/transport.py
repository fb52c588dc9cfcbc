"""Tortuosity factor and effective conductivity from a steady-state finite-volume solve.

The solve runs in the compiled core (conjugate gradients preconditioned by a geometric
multigrid V-cycle or Jacobi, matrix-free, OpenMP); see ``docs/theory/micro.md`` for the
discretisation and the definitions below.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from mesolith import _core
from mesolith.micro._volume import as_labels

__all__ = [
    "ConductivityResult",
    "ElectrodeTortuosityResult",
    "NotConvergedError",
    "TortuosityResult",
    "effective_conductivity",
    "electrode_tortuosity",
    "tortuosity",
]

#: Raised when a solve stops above its tolerance; ``.residual`` and ``.iterations`` say where.
NotConvergedError = _core.micro.NotConvergedError


def _check_solver_memory(labels: np.ndarray) -> None:
    from mesolith.memory import check_memory

    check_memory(labels.size * _core.micro.SOLVER_BYTES_PER_VOXEL,
                 f"the transport solve on {' x '.join(map(str, labels.shape))} voxels")


def _check_axis_rtol(axis: int, rtol: float) -> None:
    if axis not in (0, 1, 2):
        raise ValueError(f"axis = {axis!r}: must be 0, 1 or 2")
    if not (0 < rtol < 1):
        raise ValueError(f"rtol = {rtol!r}: must be in (0, 1)")


@dataclass(frozen=True)
class TortuosityResult:
    """Tortuosity of one phase along one axis.

    Attributes
    ----------
    tau_factor : float
        ``eps * D0 / D_eff`` with the total phase fraction ``eps`` (the TauFactor convention);
        ``inf`` when the phase does not percolate.
    tau_factor_percolating : float
        ``eps_p * D0 / D_eff`` with the fraction of the percolating cluster only (the PoreSpy
        convention).
    relative_diffusivity : float
        ``D_eff / D0``.
    porosity, percolating_porosity : float
        Total phase fraction and the fraction of the cluster spanning both faces.
    macmullin_number : float
        ``N_M = tau / eps = D0 / D_eff``.
    bruggeman_exponent : float
        ``b`` in ``tau = eps^(1 - b)``: ``1 - ln(tau) / ln(eps)`` (NaN for eps in {0, 1}).
    iterations : int
    residual : float
        Final relative residual ``||b - A x|| / ||b||``.
    flux_imbalance : float
        ``|F_in - F_out| / F``, a check of the converged solution.
    solver_bytes_per_voxel : float
        Working memory the solve held during its iterations (vectors, codes, coarse
        multigrid levels), per voxel of the volume.
    """

    axis: int
    phase: int
    tau_factor: float
    tau_factor_percolating: float
    relative_diffusivity: float
    porosity: float
    percolating_porosity: float
    macmullin_number: float
    bruggeman_exponent: float
    percolates: bool
    iterations: int
    residual: float
    rtol: float
    flux_imbalance: float
    solver_bytes_per_voxel: float = 0.0

    units = {"tau_factor": "1", "relative_diffusivity": "1", "porosity": "1",
             "macmullin_number": "1", "bruggeman_exponent": "1", "residual": "1"}

    def as_dict(self) -> dict:
        return asdict(self)


def _conductivity_table(conductivities: dict[int, float]) -> np.ndarray:
    table = np.zeros(256)
    for label, value in conductivities.items():
        if not (0 <= int(label) <= 255):
            raise ValueError(f"conductivities: label {label!r} must be in 0..255")
        value = float(value)
        if not (value == 0 or 1e-30 <= value <= 1e30):
            raise ValueError(f"conductivities[{label}] = {value!r}: must be 0 or in "
                             "[1e-30, 1e30] S/m")
        table[int(label)] = value
    return table


def tortuosity(volume, phase: int = 0, axis: int = 0, rtol: float = 1e-6,
               max_iterations: int | None = None, preconditioner: str = "multigrid",
               periodic_sides: bool = False) -> TortuosityResult:
    """Tortuosity factor of ``phase`` along ``axis`` by a steady-state diffusion solve.

    Dirichlet c = 1 and c = 0 on the two faces normal to ``axis``, no flux on the other four;
    only the cluster of ``phase`` spanning both faces carries flux. Solved to relative
    residual ``rtol``; raises :class:`NotConvergedError` (with ``.residual``) otherwise.

    Parameters
    ----------
    volume : Microstructure or ndarray (nx, ny, nz)
        Labels (uint8 or any integer type in 0..255), or a boolean array whose ``True``
        voxels are the conducting phase (PoreSpy's convention).
    phase : int
        Label of the conducting phase (ignored for boolean input).
    axis : int
        0, 1 or 2 (x, y, z; z is through the electrode thickness).
    rtol : float
        Relative residual tolerance of the conjugate-gradient solve.
    max_iterations : int, optional
        Iteration limit (default 50 (nx + ny + nz) + 1000).
    preconditioner : {"multigrid", "jacobi"}
        A geometric multigrid V-cycle (default; tens of iterations) or the diagonal.
    periodic_sides : bool
        The four side faces wrap around (for periodic structures) instead of carrying no
        flux. Multigrid needs even side extents; with an odd one Jacobi is used.

    Examples
    --------
    >>> import numpy as np
    >>> channels = np.zeros((20, 10, 10), bool); channels[:, ::2, :] = True
    >>> round(tortuosity(channels, axis=0).tau_factor, 9)
    1.0
    """
    labels, phase, _ = as_labels(volume, phase)
    _check_solver_memory(labels)
    _check_axis_rtol(axis, rtol)
    table = np.zeros(256)
    table[int(phase)] = 1.0
    sol = _core.micro.solve_conduction(labels, table, axis, rtol, int(max_iterations or 0),
                                       preconditioner, bool(periodic_sides))
    eps = float(np.count_nonzero(labels == phase)) / labels.size
    eps_p = sol["unknowns"] / labels.size
    rel = float(sol["effective_conductivity"])
    if sol["percolates"] and rel > 0:
        tau = eps / rel
        tau_p = eps_p / rel
        mac = 1.0 / rel
        bru = 1.0 - math.log(tau) / math.log(eps) if 0 < eps < 1 else math.nan
        flux = 0.5 * (sol["flux_in"] + sol["flux_out"])
        imbalance = abs(sol["flux_in"] - sol["flux_out"]) / flux
    else:
        tau = tau_p = mac = math.inf
        bru = math.nan
        imbalance = 0.0
    return TortuosityResult(axis=axis, phase=int(phase), tau_factor=tau,
                            tau_factor_percolating=tau_p, relative_diffusivity=rel,
                            porosity=eps, percolating_porosity=eps_p, macmullin_number=mac,
                            bruggeman_exponent=bru, percolates=bool(sol["percolates"]),
                            iterations=int(sol["iterations"]), residual=float(sol["residual"]),
                            rtol=rtol, flux_imbalance=imbalance,
                            solver_bytes_per_voxel=sol["working_bytes"] / labels.size)


@dataclass(frozen=True)
class ConductivityResult:
    """Effective conductivity of a multi-phase volume along one axis.

    Attributes
    ----------
    conductivity : float
        Effective conductivity in the units of the phase conductivities (S/m for SI input).
    percolates : bool
        Whether any conducting cluster spans both faces.
    """

    axis: int
    conductivity: float
    percolates: bool
    iterations: int
    residual: float
    rtol: float

    units = {"conductivity": "S/m", "residual": "1"}

    def as_dict(self) -> dict:
        return asdict(self)


def effective_conductivity(volume, conductivities: dict[int, float], axis: int = 0,
                           rtol: float = 1e-6, max_iterations: int | None = None,
                           preconditioner: str = "multigrid",
                           periodic_sides: bool = False) -> ConductivityResult:
    """Effective conductivity with each phase its own conductivity (harmonic face averages).

    Parameters
    ----------
    volume : Microstructure or ndarray (nx, ny, nz) of labels
    conductivities : dict of label to float
        Conductivity of each phase in S/m; labels not given are insulating.
    axis, rtol, max_iterations, preconditioner, periodic_sides
        As for :func:`tortuosity`.

    Examples
    --------
    >>> import numpy as np
    >>> layers = np.zeros((8, 8, 8), np.uint8); layers[:, :, 1::2] = 1
    >>> r = effective_conductivity(layers, {0: 1.0, 1: 4.0}, axis=2)
    >>> round(r.conductivity, 4)  # series layers: harmonic mean
    1.6
    """
    labels, _, _ = as_labels(volume)
    _check_solver_memory(labels)
    _check_axis_rtol(axis, rtol)
    sol = _core.micro.solve_conduction(labels, _conductivity_table(conductivities), axis, rtol,
                                       int(max_iterations or 0), preconditioner,
                                       bool(periodic_sides))
    return ConductivityResult(axis=axis, conductivity=float(sol["effective_conductivity"]),
                              percolates=bool(sol["percolates"]),
                              iterations=int(sol["iterations"]),
                              residual=float(sol["residual"]), rtol=rtol)


@dataclass(frozen=True)
class ElectrodeTortuosityResult:
    """Electrode tortuosity factor of the pore phase (see :func:`electrode_tortuosity`).

    Attributes
    ----------
    tau_e : float
        ``R_ion * eps * A / L`` (conductivity 1): the tortuosity factor a homogeneous
        transmission line with the same ionic resistance would have.
    ionic_resistance_ratio : float
        ``R_ion / (L / A)``: the ionic resistance relative to a free electrolyte slab.
    porosity : float
        Total pore fraction (used in tau_e).
    surface_fraction_connected : float
        Fraction of the reactive surface on pores connected to the separator face.
    """

    axis: int
    tau_e: float
    ionic_resistance_ratio: float
    porosity: float
    surface_fraction_connected: float
    iterations: int
    residual: float
    rtol: float

    units = {"tau_e": "1", "ionic_resistance_ratio": "1", "porosity": "1"}

    def as_dict(self) -> dict:
        return asdict(self)


def _surface_faces(labels: np.ndarray, pore: int, surface: tuple[int, ...]) -> np.ndarray:
    """Number of faces each pore voxel shares with a surface-phase voxel."""
    is_surface = np.isin(labels, surface)
    count = np.zeros(labels.shape, np.float64)
    for ax in range(3):
        lo = [slice(None)] * 3
        hi = [slice(None)] * 3
        lo[ax], hi[ax] = slice(0, -1), slice(1, None)
        count[tuple(lo)] += is_surface[tuple(hi)]
        count[tuple(hi)] += is_surface[tuple(lo)]
    count[labels != pore] = 0.0
    return count


def electrode_tortuosity(volume, pore: int = 0, surface: tuple[int, ...] = (1,), axis: int = 2,
                         rtol: float = 1e-6, max_iterations: int | None = None,
                         periodic_sides: bool = False) -> ElectrodeTortuosityResult:
    """Electrode tortuosity factor tau_e (Nguyen et al., npj Comput. Mater. 6, 123, 2020).

    The pore space is charged through its surface to the ``surface`` phases (AM by default)
    from the separator face (the last layer along ``axis``); the current collector face and
    the sides carry no ionic flux. At low frequency the real part of the impedance of such
    a blocking electrode is the resistance seen by a current drawn in proportion to the local
    surface, ``Re Z(0) = psi . s`` for a source ``s`` of total 1 (one steady solve), and for a
    homogeneous transmission line ``Re Z(0) = R_ion / 3``. So ``R_ion = 3 Re Z(0)`` and
    ``tau_e = R_ion eps A / L``. Unlike the through-flow tau it counts dead-end pores (they
    hold surface) and weighs paths by where the reaction happens. The local surface is the
    number of pore-surface voxel faces. ``periodic_sides`` wraps the four side faces (the
    surface count then stays within the box).

    Examples
    --------
    >>> import numpy as np
    >>> v = np.ones((6, 12, 20), np.uint8); v[:, 1::3, :] = 0  # straight pore sheets along z
    >>> r = electrode_tortuosity(v, axis=2, rtol=1e-10)
    >>> round(r.tau_e, 6) == round(1 + 1 / (2 * 20**2), 6)  # exact for the discrete line
    True
    """
    labels, _, _ = as_labels(volume)
    _check_solver_memory(labels)
    _check_axis_rtol(axis, rtol)
    faces = _surface_faces(labels, pore, tuple(int(s) for s in surface))
    total_surface = float(faces.sum())
    if total_surface == 0:
        raise ValueError(f"surface = {surface!r}: the pore phase touches none of these phases")
    table = np.zeros(256)
    table[int(pore)] = 1.0
    sol = _core.micro.solve_with_source(labels, table, faces, axis, rtol,
                                        int(max_iterations or 0), bool(periodic_sides))
    shape = labels.shape
    length = shape[axis]
    area = labels.size / length
    eps = float(np.count_nonzero(labels == pore)) / labels.size
    connected = sol["source_total"] / total_surface
    if sol["source_total"] == 0:
        return ElectrodeTortuosityResult(axis, math.inf, math.inf, eps, 0.0, 0, 0.0, rtol)
    re_z = sol["energy"] / sol["source_total"] ** 2
    resistance = 3.0 * re_z
    return ElectrodeTortuosityResult(axis=axis, tau_e=resistance * eps * area / length,
                                     ionic_resistance_ratio=resistance * area / length,
                                     porosity=eps, surface_fraction_connected=connected,
                                     iterations=int(sol["iterations"]),
                                     residual=float(sol["residual"]), rtol=rtol)
