"""
Brownian dynamics with hydrodynamic interactions.
"""

from __future__ import annotations

import collections.abc
import typing

import numpy
import numpy.typing

__all__: list[str] = [
    "ForceParams",
    "Integrator",
    "PseGrid",
    "PsePolyRealKernel",
    "PseRealKernel",
    "PseRealOperator",
    "deposition",
    "dlca",
    "ewald_mobility_matrix",
    "ewald_mobility_matrix_poly",
    "mobility_apply",
    "mobility_matrix",
    "pair_term",
    "periodic_forces",
    "pse_green",
    "pse_green_bare",
    "pse_grid_normals",
    "pse_interpolate",
    "pse_scale",
    "pse_scale_poly",
    "pse_spread",
    "sqrt_apply",
    "standard_normals",
    "wall_mobility",
]

class ForceParams:
    wall: bool
    def __init__(self) -> None: ...
    @property
    def bond_break_force(self) -> float: ...
    @bond_break_force.setter
    def bond_break_force(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None: ...
    @property
    def bond_capture_gap(self) -> float: ...
    @bond_capture_gap.setter
    def bond_capture_gap(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None: ...
    @property
    def bond_stiffness(self) -> float: ...
    @bond_stiffness.setter
    def bond_stiffness(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None: ...
    @property
    def bondable(self) -> list[int]: ...
    @bondable.setter
    def bondable(
        self, arg0: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex]
    ) -> None: ...
    @property
    def debye_kappa(self) -> float: ...
    @debye_kappa.setter
    def debye_kappa(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None: ...
    @property
    def dlvo_cutoff_gap(self) -> float: ...
    @dlvo_cutoff_gap.setter
    def dlvo_cutoff_gap(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None: ...
    @property
    def double_layer_prefactor(self) -> float: ...
    @double_layer_prefactor.setter
    def double_layer_prefactor(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None: ...
    @property
    def hamaker(self) -> list[float]: ...
    @hamaker.setter
    def hamaker(
        self, arg0: collections.abc.Sequence[typing.SupportsFloat | typing.SupportsIndex]
    ) -> None: ...
    @property
    def min_gap(self) -> float: ...
    @min_gap.setter
    def min_gap(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None: ...
    @property
    def n_species(self) -> int: ...
    @n_species.setter
    def n_species(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None: ...
    @property
    def repulsion_energy(self) -> float: ...
    @repulsion_energy.setter
    def repulsion_energy(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None: ...
    @property
    def repulsion_range(self) -> float: ...
    @repulsion_range.setter
    def repulsion_range(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None: ...
    @property
    def surface_potential(self) -> list[float]: ...
    @surface_potential.setter
    def surface_potential(
        self, arg0: collections.abc.Sequence[typing.SupportsFloat | typing.SupportsIndex]
    ) -> None: ...

class Integrator:
    def __init__(
        self,
        positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
        radii: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
        species: typing.Annotated[numpy.typing.ArrayLike, numpy.int32],
        external: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
        force_params: ForceParams,
        kT: typing.SupportsFloat | typing.SupportsIndex,
        viscosity: typing.SupportsFloat | typing.SupportsIndex,
        dt: typing.SupportsFloat | typing.SupportsIndex,
        shear_rate: typing.SupportsFloat | typing.SupportsIndex,
        hydrodynamics: str,
        noise: str,
        tolerance: typing.SupportsFloat | typing.SupportsIndex,
        max_iterations: typing.SupportsInt | typing.SupportsIndex,
        seed: typing.SupportsInt | typing.SupportsIndex,
        first_step: typing.SupportsInt | typing.SupportsIndex = 0,
        max_drift: typing.SupportsFloat | typing.SupportsIndex = 0.0,
    ) -> None: ...
    def forces(
        self, positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64]
    ) -> tuple[numpy.typing.NDArray[numpy.float64], float]:
        """
        (forces (N, 3), potential energy) at the given positions.
        """
    def run(self, steps: typing.SupportsInt | typing.SupportsIndex) -> None: ...
    def set_bonds(self, pairs: typing.Annotated[numpy.typing.ArrayLike, numpy.uint32]) -> None: ...
    def set_wall_mobility(self, enabled: bool, with_drift: bool = True) -> None:
        """
        Wall-corrected free-draining mobility near z = 0, with or without kT div M.
        """
    @property
    def bonds(self) -> numpy.typing.NDArray[numpy.uint32]: ...
    @property
    def bonds_broken(self) -> int: ...
    @property
    def bonds_formed(self) -> int: ...
    @property
    def drift_limited(self) -> int: ...
    @property
    def energy(self) -> float: ...
    @property
    def lanczos_iterations(self) -> int: ...
    @property
    def positions(self) -> numpy.typing.NDArray[numpy.float64]: ...
    @property
    def step(self) -> int: ...

class PseGrid:
    def __init__(
        self,
        m: typing.SupportsInt | typing.SupportsIndex,
        support: typing.SupportsInt | typing.SupportsIndex,
        box: typing.SupportsFloat | typing.SupportsIndex,
        xi: typing.SupportsFloat | typing.SupportsIndex,
        eta: typing.SupportsFloat | typing.SupportsIndex,
    ) -> None: ...
    @property
    def box(self) -> float: ...
    @property
    def eta(self) -> float: ...
    @property
    def m(self) -> int: ...
    @property
    def support(self) -> int: ...
    @property
    def xi(self) -> float: ...

class PseRealKernel:
    def __init__(
        self,
        radius: typing.SupportsFloat | typing.SupportsIndex,
        viscosity: typing.SupportsFloat | typing.SupportsIndex,
        xi: typing.SupportsFloat | typing.SupportsIndex,
        tolerance: typing.SupportsFloat | typing.SupportsIndex,
    ) -> None: ...
    def coefficients(self, r: typing.SupportsFloat | typing.SupportsIndex) -> tuple[float, float]:
        """
        (f, g) of the real-space block f I + g r r^T at distance r.
        """
    def wave_free_space(
        self, r: typing.SupportsFloat | typing.SupportsIndex
    ) -> tuple[float, float]:
        """
        (A, b) of the free-space wave part A I + b r r^T at distance r.
        """
    @property
    def cutoff(self) -> float: ...

class PsePolyRealKernel:
    def __init__(
        self,
        a_min: typing.SupportsFloat | typing.SupportsIndex,
        a_max: typing.SupportsFloat | typing.SupportsIndex,
        viscosity: typing.SupportsFloat | typing.SupportsIndex,
        xi: typing.SupportsFloat | typing.SupportsIndex,
        tolerance: typing.SupportsFloat | typing.SupportsIndex,
    ) -> None: ...
    def coefficients(
        self,
        r: typing.SupportsFloat | typing.SupportsIndex,
        a_i: typing.SupportsFloat | typing.SupportsIndex,
        a_j: typing.SupportsFloat | typing.SupportsIndex,
    ) -> tuple[float, float]:
        """
        (f, g) of the real-space block f I + g r r^T of the pair (a_i, a_j) at distance r.
        """
    @property
    def cutoff(self) -> float: ...

class PseRealOperator:
    @typing.overload
    def __init__(
        self,
        kernel: PseRealKernel,
        positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
        box: typing.SupportsFloat | typing.SupportsIndex,
    ) -> None: ...
    @typing.overload
    def __init__(
        self,
        kernel: PsePolyRealKernel,
        positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
        radii: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
        box: typing.SupportsFloat | typing.SupportsIndex,
    ) -> None: ...
    def apply(
        self, forces: typing.Annotated[numpy.typing.ArrayLike, numpy.float64]
    ) -> numpy.typing.NDArray[numpy.float64]:
        """
        u = M_real F, shape (N, 3).
        """
    def sqrt_apply(
        self,
        w: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
        tolerance: typing.SupportsFloat | typing.SupportsIndex = 0.0001,
        max_iterations: typing.SupportsInt | typing.SupportsIndex = 200,
    ) -> tuple[numpy.typing.NDArray[numpy.float64], dict]:
        """
        M_real^(1/2) w by Lanczos; returns (y, info).
        """
    @property
    def pairs(self) -> int: ...

def deposition(
    cell: typing.SupportsFloat | typing.SupportsIndex,
    step: typing.SupportsFloat | typing.SupportsIndex,
    probability: typing.SupportsFloat | typing.SupportsIndex,
    release_gap: typing.SupportsFloat | typing.SupportsIndex,
    kill_gap: typing.SupportsFloat | typing.SupportsIndex,
    walkers: typing.SupportsInt | typing.SupportsIndex,
    max_steps: typing.SupportsInt | typing.SupportsIndex,
    seed: typing.SupportsInt | typing.SupportsIndex,
) -> tuple[numpy.typing.NDArray[numpy.float64], dict]:
    """
    Reactive deposition by Brownian walkers (lengths in particle radii).
    """

def dlca(
    positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    radii: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    box: typing.SupportsFloat | typing.SupportsIndex,
    step: typing.SupportsFloat | typing.SupportsIndex,
    target_clusters: typing.SupportsInt | typing.SupportsIndex,
    max_attempts: typing.SupportsInt | typing.SupportsIndex,
    max_time: typing.SupportsFloat | typing.SupportsIndex,
    seed: typing.SupportsInt | typing.SupportsIndex,
    rotation: bool = False,
    labels: typing.Annotated[numpy.typing.ArrayLike, numpy.uint32] | None = None,
) -> tuple[numpy.typing.NDArray[numpy.float64], numpy.typing.NDArray[numpy.uint32], dict, dict]:
    """
    Rigid-cluster DLCA (lengths in the smallest radius). Returns (unwrapped positions, labels, merges, info).
    """

def ewald_mobility_matrix(
    positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    radius: typing.SupportsFloat | typing.SupportsIndex,
    viscosity: typing.SupportsFloat | typing.SupportsIndex,
    box: typing.SupportsFloat | typing.SupportsIndex,
    xi: typing.SupportsFloat | typing.SupportsIndex = 0.0,
    tolerance: typing.SupportsFloat | typing.SupportsIndex = 1e-12,
) -> numpy.typing.NDArray[numpy.float64]:
    """
    Dense periodic RPY mobility of equal spheres in a cubic box (Beenakker Ewald sum).
    """

def ewald_mobility_matrix_poly(
    positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    radii: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    viscosity: typing.SupportsFloat | typing.SupportsIndex,
    box: typing.SupportsFloat | typing.SupportsIndex,
    xi: typing.SupportsFloat | typing.SupportsIndex = 0.0,
    tolerance: typing.SupportsFloat | typing.SupportsIndex = 1e-12,
) -> numpy.typing.NDArray[numpy.float64]:
    """
    Dense periodic RPY mobility of spheres of unequal radii in a cubic box (Beenakker Ewald sum with a^2 -> (a_i^2 + a_j^2)/2, Zuk et al. overlap correction).
    """

def mobility_apply(
    positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    radii: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    viscosity: typing.SupportsFloat | typing.SupportsIndex,
    forces: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    hydrodynamics: str = "rpy",
) -> numpy.typing.NDArray[numpy.float64]:
    """
    Matrix-free product M F, shape (N, 3).
    """

def mobility_matrix(
    positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    radii: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    viscosity: typing.SupportsFloat | typing.SupportsIndex,
    hydrodynamics: str = "rpy",
) -> numpy.typing.NDArray[numpy.float64]:
    """
    Dense 3N x 3N mobility (units of 1/(viscosity * length)).
    """

def pair_term(
    r: typing.SupportsFloat | typing.SupportsIndex,
    ai: typing.SupportsFloat | typing.SupportsIndex,
    aj: typing.SupportsFloat | typing.SupportsIndex,
    si: typing.SupportsInt | typing.SupportsIndex,
    sj: typing.SupportsInt | typing.SupportsIndex,
    params: ForceParams,
) -> tuple[float, float]:
    """
    (energy, dU/dr) of one pair.
    """

def periodic_forces(
    positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    box: typing.SupportsFloat | typing.SupportsIndex,
    radii: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    species: typing.Annotated[numpy.typing.ArrayLike, numpy.int32],
    external: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    params: ForceParams,
) -> tuple[numpy.typing.NDArray[numpy.float64], float]:
    """
    (forces (N, 3), pair energy) in a cubic periodic box.
    """

def pse_green(
    grid: PseGrid,
    radius: typing.SupportsFloat | typing.SupportsIndex,
    viscosity: typing.SupportsFloat | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.float64]:
    """
    Scalar wave-space factor on the real-FFT grid (M, M, M/2 + 1).
    """

def pse_green_bare(
    grid: PseGrid, viscosity: typing.SupportsFloat | typing.SupportsIndex
) -> numpy.typing.NDArray[numpy.float64]:
    """
    Wave-space factor without the sinc^2 (unequal radii) on the grid (M, M, M/2 + 1).
    """

def pse_grid_normals(
    grid: PseGrid,
    seed: typing.SupportsInt | typing.SupportsIndex,
    step: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.float64]:
    """
    3 M^3 standard normals on the grid, keyed by (seed, grid row, step).
    """

def pse_interpolate(
    grid: PseGrid,
    positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    field: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
) -> numpy.typing.NDArray[numpy.float64]:
    """
    h^3 sum_g G(x_g - x_i) field(x_g), shape (N, 3).
    """

def pse_scale(
    grid: PseGrid,
    green: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    fk: numpy.typing.NDArray[numpy.complex128],
    square_root: bool,
) -> None:
    """
    In place: fk <- c(k) (I - k k / k^2) fk, c = green or sqrt(green).
    """

def pse_scale_poly(
    grid: PseGrid,
    green: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    fa: numpy.typing.NDArray[numpy.complex128],
    fb: numpy.typing.NDArray[numpy.complex128],
    square_root: bool,
    combine: bool,
) -> None:
    """
    In place: v = c(k) (I - k k/k^2) (fa - k^2/6 fb) (or fa when combine is false); fa <- v, fb <- k^2 v.
    """

def pse_spread(
    grid: PseGrid,
    positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    forces: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
) -> numpy.typing.NDArray[numpy.float64]:
    """
    Gaussian spreading of (N, 3) forces onto a (3, M, M, M) grid.
    """

def sqrt_apply(
    positions: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    radii: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    viscosity: typing.SupportsFloat | typing.SupportsIndex,
    w: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    method: str = "lanczos",
    tolerance: typing.SupportsFloat | typing.SupportsIndex = 0.0001,
    max_iterations: typing.SupportsInt | typing.SupportsIndex = 200,
    hydrodynamics: str = "rpy",
) -> tuple[numpy.typing.NDArray[numpy.float64], dict]:
    """
    B w with B B^T = M: lower Cholesky factor or Lanczos M^(1/2). Returns (B w, info).
    """

def standard_normals(
    seed: typing.SupportsInt | typing.SupportsIndex,
    step: typing.SupportsInt | typing.SupportsIndex,
    n: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.float64]:
    """
    Three standard normals per particle, keyed by (seed, particle, step).
    """

def wall_mobility(
    z: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    radius: typing.SupportsFloat | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.float64]:
    """
    (mu_par / mu_0, mu_perp / mu_0, d(mu_perp / mu_0)/dz) of a sphere at heights z.
    """
