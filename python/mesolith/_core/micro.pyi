"""
Microstructure generators and effective properties.
"""

from __future__ import annotations

import collections.abc
import typing

import numpy
import numpy.typing

__all__: list[str] = [
    "NotConvergedError",
    "SOLVER_BYTES_PER_VOXEL",
    "SpherePacker",
    "SpheroidPacker",
    "add_cbd",
    "add_cbd_spheroids",
    "boolean_spheres",
    "calender_spheres",
    "calender_spheroids",
    "gaussian_field",
    "interface_density",
    "local_thickness",
    "pack_spheres",
    "pack_spheroids",
    "percolation_axes",
    "perram_wertheim",
    "reach_from_face",
    "solve_conduction",
    "solve_with_source",
    "spanning_cluster",
    "spheroid_overlap",
    "squared_distance",
    "voxelise_spheres",
    "voxelise_spheroids",
]

class SpherePacker:
    """
    Dense random packing (as pack_spheres) advanced in chunks of sweeps, with its state readable and settable for checkpoints.
    """
    def __init__(
        self,
        lx: typing.SupportsFloat | typing.SupportsIndex,
        ly: typing.SupportsFloat | typing.SupportsIndex,
        lz: typing.SupportsFloat | typing.SupportsIndex,
        target_fraction: typing.SupportsFloat | typing.SupportsIndex,
        mean_radius: typing.SupportsFloat | typing.SupportsIndex,
        log_sigma: typing.SupportsFloat | typing.SupportsIndex,
        min_radius: typing.SupportsFloat | typing.SupportsIndex,
        max_radius: typing.SupportsFloat | typing.SupportsIndex,
        start_fraction: typing.SupportsFloat | typing.SupportsIndex,
        growth: typing.SupportsFloat | typing.SupportsIndex,
        overlap_tolerance: typing.SupportsFloat | typing.SupportsIndex,
        max_sweeps: typing.SupportsInt | typing.SupportsIndex,
        seed: typing.SupportsInt | typing.SupportsIndex,
        periodic_z: bool = False,
        jam_sweeps: typing.SupportsInt | typing.SupportsIndex = 0,
    ) -> None: ...
    def __len__(self) -> int: ...
    def advance(self, sweeps: typing.SupportsInt | typing.SupportsIndex) -> bool:
        """
        Run at most `sweeps` more sweeps; True once the packing is done.
        """
    def result(self) -> dict:
        """
        The finished packing, as pack_spheres returns it.
        """
    def set_state(
        self,
        spheres: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
        scale: typing.SupportsFloat | typing.SupportsIndex,
        last_growth: typing.SupportsInt | typing.SupportsIndex,
        sweep: typing.SupportsInt | typing.SupportsIndex,
        max_overlap: typing.SupportsFloat | typing.SupportsIndex,
        done: bool,
        jammed: bool,
    ) -> None:
        """
        Continue from a state read by state() of a packer with the same options.
        """
    def state(self) -> dict:
        """
        The state between sweeps: spheres (n, 4) x y z r [voxel], scale, last_growth, sweep, max_overlap, done, jammed.
        """
    @property
    def done(self) -> bool: ...
    @property
    def sweep(self) -> int: ...

class SpheroidPacker:
    """
    Dense spheroid packing (as pack_spheroids) advanced in chunks of compression stages, with its state readable and settable for checkpoints.
    """
    def __init__(
        self,
        lx: typing.SupportsFloat | typing.SupportsIndex,
        ly: typing.SupportsFloat | typing.SupportsIndex,
        lz: typing.SupportsFloat | typing.SupportsIndex,
        target_fraction: typing.SupportsFloat | typing.SupportsIndex,
        mean_radius: typing.SupportsFloat | typing.SupportsIndex,
        log_sigma: typing.SupportsFloat | typing.SupportsIndex,
        min_radius: typing.SupportsFloat | typing.SupportsIndex,
        max_radius: typing.SupportsFloat | typing.SupportsIndex,
        aspect_ratio: typing.SupportsFloat | typing.SupportsIndex,
        kappa: typing.SupportsFloat | typing.SupportsIndex,
        start_fraction: typing.SupportsFloat | typing.SupportsIndex,
        growth: typing.SupportsFloat | typing.SupportsIndex,
        overlap_tolerance: typing.SupportsFloat | typing.SupportsIndex,
        max_sweeps: typing.SupportsInt | typing.SupportsIndex,
        seed: typing.SupportsInt | typing.SupportsIndex,
        periodic_z: bool = False,
        rotate: bool = True,
        order_stiffness: typing.SupportsFloat | typing.SupportsIndex = 1.0,
        stage_steps: typing.SupportsInt | typing.SupportsIndex = 2000,
    ) -> None: ...
    def __len__(self) -> int: ...
    def advance(self, stages: typing.SupportsInt | typing.SupportsIndex) -> bool:
        """
        Run at most `stages` more compression stages; True once the packing is done.
        """
    def result(self) -> dict:
        """
        The finished packing, as pack_spheroids returns it.
        """
    def set_state(
        self,
        particles: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
        relaxed: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
        scale: typing.SupportsFloat | typing.SupportsIndex,
        relaxed_scale: typing.SupportsFloat | typing.SupportsIndex,
        step: typing.SupportsFloat | typing.SupportsIndex,
        tolerance: typing.SupportsFloat | typing.SupportsIndex,
        sweeps: typing.SupportsInt | typing.SupportsIndex,
        stages: typing.SupportsInt | typing.SupportsIndex,
        max_overlap: typing.SupportsFloat | typing.SupportsIndex,
        done: bool,
    ) -> None:
        """
        Continue from a state read by state() of a packer with the same options.
        """
    def state(self) -> dict:
        """
        The state between stages: particles and relaxed (n, 8) x y z a c ux uy uz [voxel], scale, relaxed_scale, step, tolerance, sweeps, stages, max_overlap, done.
        """
    @property
    def done(self) -> bool: ...
    @property
    def stages(self) -> int: ...

class NotConvergedError(RuntimeError):
    pass

def add_cbd(
    labels: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
    spheres: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    periodic: typing.Annotated[collections.abc.Sequence[bool], "FixedSize(3)"],
    mode: str,
    count: typing.SupportsInt | typing.SupportsIndex,
    seed: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.uint8]:
    """
    Copy of labels with `count` pore voxels turned into CBD (label 2).
    """

def add_cbd_spheroids(
    labels: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
    particles: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    periodic: typing.Annotated[collections.abc.Sequence[bool], "FixedSize(3)"],
    mode: str,
    count: typing.SupportsInt | typing.SupportsIndex,
    seed: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.uint8]:
    """
    Copy of labels with `count` pore voxels around spheroids turned into CBD (label 2).
    """

def boolean_spheres(
    lx: typing.SupportsFloat | typing.SupportsIndex,
    ly: typing.SupportsFloat | typing.SupportsIndex,
    lz: typing.SupportsFloat | typing.SupportsIndex,
    intensity: typing.SupportsFloat | typing.SupportsIndex,
    mean_radius: typing.SupportsFloat | typing.SupportsIndex,
    log_sigma: typing.SupportsFloat | typing.SupportsIndex,
    min_radius: typing.SupportsFloat | typing.SupportsIndex,
    max_radius: typing.SupportsFloat | typing.SupportsIndex,
    seed: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.float64]:
    """
    Boolean model (periodic box, voxel units): array (n, 4) of x, y, z, r.
    """

def calender_spheres(
    spheres: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    lx: typing.SupportsFloat | typing.SupportsIndex,
    ly: typing.SupportsFloat | typing.SupportsIndex,
    lz: typing.SupportsFloat | typing.SupportsIndex,
    lz_new: typing.SupportsFloat | typing.SupportsIndex,
    steps: typing.SupportsInt | typing.SupportsIndex,
    overlap_tolerance: typing.SupportsFloat | typing.SupportsIndex,
    max_sweeps_per_step: typing.SupportsInt | typing.SupportsIndex,
    spring_back: typing.SupportsFloat | typing.SupportsIndex = 0.0,
) -> dict:
    """
    Compress a packing in z to height lz_new with rearrangement, then release it with elastic spring-back (voxel units).
    """

def calender_spheroids(
    particles: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    lx: typing.SupportsFloat | typing.SupportsIndex,
    ly: typing.SupportsFloat | typing.SupportsIndex,
    lz: typing.SupportsFloat | typing.SupportsIndex,
    lz_new: typing.SupportsFloat | typing.SupportsIndex,
    steps: typing.SupportsInt | typing.SupportsIndex,
    overlap_tolerance: typing.SupportsFloat | typing.SupportsIndex,
    max_sweeps_per_step: typing.SupportsInt | typing.SupportsIndex,
    spring_back: typing.SupportsFloat | typing.SupportsIndex = 0.0,
) -> dict:
    """
    Compress a spheroid packing in z to lz_new with rearrangement, then spring-back.
    """

def gaussian_field(
    shape: typing.Annotated[
        collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], "FixedSize(3)"
    ],
    kernel_sigma: typing.SupportsFloat | typing.SupportsIndex,
    seed: typing.SupportsInt | typing.SupportsIndex,
    stream: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.float32]:
    """
    Unit-variance periodic Gaussian random field (white noise * Gaussian kernel).
    """

def interface_density(
    labels: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
    n_labels: typing.SupportsInt | typing.SupportsIndex,
    extrapolate: bool = False,
    periodic: bool = False,
) -> numpy.typing.NDArray[numpy.float64]:
    """
    Interface area per unit volume [1/voxel] between label pairs (13-direction Crofton);
    extrapolate: Richardson from test-line steps 1 and 2; periodic: lines wrap around.
    """

def local_thickness(
    mask: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
) -> numpy.typing.NDArray[numpy.float32]:
    """
    Local thickness (diameter, voxels) of the masked phase.
    """

def pack_spheres(
    lx: typing.SupportsFloat | typing.SupportsIndex,
    ly: typing.SupportsFloat | typing.SupportsIndex,
    lz: typing.SupportsFloat | typing.SupportsIndex,
    target_fraction: typing.SupportsFloat | typing.SupportsIndex,
    mean_radius: typing.SupportsFloat | typing.SupportsIndex,
    log_sigma: typing.SupportsFloat | typing.SupportsIndex,
    min_radius: typing.SupportsFloat | typing.SupportsIndex,
    max_radius: typing.SupportsFloat | typing.SupportsIndex,
    start_fraction: typing.SupportsFloat | typing.SupportsIndex,
    growth: typing.SupportsFloat | typing.SupportsIndex,
    overlap_tolerance: typing.SupportsFloat | typing.SupportsIndex,
    max_sweeps: typing.SupportsInt | typing.SupportsIndex,
    seed: typing.SupportsInt | typing.SupportsIndex,
    periodic_z: bool = False,
    jam_sweeps: typing.SupportsInt | typing.SupportsIndex = 0,
) -> dict:
    """
    Dense random packing (collective rearrangement), periodic x/y, walls in z (or periodic).
    """

def pack_spheroids(
    lx: typing.SupportsFloat | typing.SupportsIndex,
    ly: typing.SupportsFloat | typing.SupportsIndex,
    lz: typing.SupportsFloat | typing.SupportsIndex,
    target_fraction: typing.SupportsFloat | typing.SupportsIndex,
    mean_radius: typing.SupportsFloat | typing.SupportsIndex,
    log_sigma: typing.SupportsFloat | typing.SupportsIndex,
    min_radius: typing.SupportsFloat | typing.SupportsIndex,
    max_radius: typing.SupportsFloat | typing.SupportsIndex,
    aspect_ratio: typing.SupportsFloat | typing.SupportsIndex,
    kappa: typing.SupportsFloat | typing.SupportsIndex,
    start_fraction: typing.SupportsFloat | typing.SupportsIndex,
    growth: typing.SupportsFloat | typing.SupportsIndex,
    overlap_tolerance: typing.SupportsFloat | typing.SupportsIndex,
    max_sweeps: typing.SupportsInt | typing.SupportsIndex,
    seed: typing.SupportsInt | typing.SupportsIndex,
    periodic_z: bool = False,
    rotate: bool = True,
    order_stiffness: typing.SupportsFloat | typing.SupportsIndex = 1.0,
    stage_steps: typing.SupportsInt | typing.SupportsIndex = 2000,
) -> dict:
    """
    Dense packing of spheroids (Watson orientations, Perram-Wertheim contact) by compression with FIRE overlap-energy minimisation, voxel units: particles (n, 8) = x, y, z, a, c, ux, uy, uz; sweeps = FIRE steps, order = <P2(u_z)> at the end, order_sampled = sampled.
    """

def percolation_axes(
    mask: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
) -> tuple[bool, bool, bool]:
    """
    Whether a 6-connected component of the mask touches both faces of x, y and z.
    """

def perram_wertheim(
    a: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    b: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
) -> float:
    """
    Perram-Wertheim contact function F of two spheroids.
    """

def reach_from_face(
    mask: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
    axis: typing.SupportsInt | typing.SupportsIndex,
    side: typing.SupportsInt | typing.SupportsIndex,
) -> tuple[numpy.typing.NDArray[numpy.uint8], int]:
    """
    Voxels of the mask 6-connected to face `side` (0 or 1) of `axis`; returns (mask, count).
    """

def solve_conduction(
    labels: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
    conductivity: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    axis: typing.SupportsInt | typing.SupportsIndex,
    rtol: typing.SupportsFloat | typing.SupportsIndex,
    max_iterations: typing.SupportsInt | typing.SupportsIndex = 0,
    preconditioner: str = "multigrid",
    periodic_sides: bool = False,
) -> dict:
    """
    Effective conductivity along `axis` (preconditioned CG, relative residual rtol).
    """

def solve_with_source(
    labels: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
    conductivity: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    source: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    axis: typing.SupportsInt | typing.SupportsIndex,
    rtol: typing.SupportsFloat | typing.SupportsIndex,
    max_iterations: typing.SupportsInt | typing.SupportsIndex = 0,
    periodic_sides: bool = False,
) -> dict:
    """
    Conduction driven by a volumetric source, psi = 0 on the last face along axis.
    """

def spanning_cluster(
    mask: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
    axis: typing.SupportsInt | typing.SupportsIndex,
) -> tuple[numpy.typing.NDArray[numpy.uint8], int]:
    """
    Voxels whose component touches both faces of `axis`; returns (mask, count).
    """

def spheroid_overlap(
    particles: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    lx: typing.SupportsFloat | typing.SupportsIndex,
    ly: typing.SupportsFloat | typing.SupportsIndex,
    lz: typing.SupportsFloat | typing.SupportsIndex,
    periodic_z: bool = False,
) -> float:
    """
    Worst overlap 1 - sqrt(F) over pairs (Perram-Wertheim) and walls.
    """

def squared_distance(
    mask: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
) -> numpy.typing.NDArray[numpy.float64]:
    """
    Exact squared Euclidean distance to the nearest background voxel.
    """

def voxelise_spheres(
    labels: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
    spheres: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    periodic: typing.Annotated[collections.abc.Sequence[bool], "FixedSize(3)"],
    label: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.uint8]:
    """
    Copy of labels with every voxel centre inside a sphere set to `label`.
    """

def voxelise_spheroids(
    labels: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
    particles: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
    periodic: typing.Annotated[collections.abc.Sequence[bool], "FixedSize(3)"],
    label: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.uint8]:
    """
    Copy of labels with every voxel centre inside a spheroid set to `label`.
    """

SOLVER_BYTES_PER_VOXEL: float = 30.142857142857142
