"""
Kinetic Monte Carlo core (BKL: rate classes for lattice gases, a rate tree for the anode model).
"""

from __future__ import annotations

import collections.abc
import typing

import numpy
import numpy.typing

__all__: list[str] = [
    "AnodeModel",
    "LatticeGas",
    "RateTree",
    "SublatticeGas",
    "anode_default_parameters",
    "anode_rates",
    "dla_cluster",
    "dla_gyration_replicas",
    "replica_coverage_samples",
    "replica_tracer_msd",
]

class AnodeModel:
    def __init__(
        self,
        params: dict,
        seed: typing.SupportsInt | typing.SupportsIndex,
        stream: typing.SupportsInt | typing.SupportsIndex = 0,
    ) -> None: ...
    def checkpoint(self) -> dict: ...
    def counts(self) -> tuple[int, int, int, int]: ...
    def expected_current(self, potential: typing.SupportsFloat | typing.SupportsIndex) -> float: ...
    def initialize(self, soc: typing.SupportsFloat | typing.SupportsIndex) -> None: ...
    def restore(self, arg0: dict, arg1: dict) -> None: ...
    def run(
        self,
        t_end: typing.SupportsFloat | typing.SupportsIndex,
        max_events: typing.SupportsInt | typing.SupportsIndex,
        sample_interval: typing.SupportsFloat | typing.SupportsIndex,
    ) -> int: ...
    def samples(self) -> dict: ...
    def set_drive(
        self,
        mode: typing.SupportsInt | typing.SupportsIndex,
        potential: typing.SupportsFloat | typing.SupportsIndex,
        current: typing.SupportsFloat | typing.SupportsIndex,
        pulse_on: typing.SupportsFloat | typing.SupportsIndex,
        pulse_off: typing.SupportsFloat | typing.SupportsIndex,
        reverse_ratio: typing.SupportsFloat | typing.SupportsIndex,
        min_potential: typing.SupportsFloat | typing.SupportsIndex,
        max_potential: typing.SupportsFloat | typing.SupportsIndex,
        double_layer_capacitance: typing.SupportsFloat | typing.SupportsIndex,
        control_interval: typing.SupportsFloat | typing.SupportsIndex,
    ) -> None: ...
    def set_state(self, arg0: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8]) -> None: ...
    def state_view(self) -> numpy.typing.NDArray[numpy.uint8]: ...
    @property
    def events(self) -> int: ...
    @property
    def host_sites(self) -> int: ...
    @property
    def potential(self) -> float: ...
    @property
    def soc(self) -> float: ...
    @property
    def time(self) -> float: ...
    @property
    def total_rate(self) -> float: ...

class RateTree:
    """
    Binary sum tree over event rates.
    """
    def __init__(self, n: typing.SupportsInt | typing.SupportsIndex) -> None: ...
    def max_sum_error(self) -> float: ...
    def rate(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> float: ...
    def select(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> tuple[int, float]: ...
    def set(
        self,
        arg0: typing.SupportsInt | typing.SupportsIndex,
        arg1: typing.SupportsFloat | typing.SupportsIndex,
    ) -> None: ...
    @property
    def total(self) -> float: ...

class LatticeGas:
    def __init__(
        self,
        shape: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex],
        hop_rate: typing.SupportsFloat | typing.SupportsIndex,
        adsorption_rate: typing.SupportsFloat | typing.SupportsIndex,
        desorption_rate: typing.SupportsFloat | typing.SupportsIndex,
        interaction: typing.SupportsFloat | typing.SupportsIndex,
        temperature: typing.SupportsFloat | typing.SupportsIndex,
        seed: typing.SupportsInt | typing.SupportsIndex,
        stream: typing.SupportsInt | typing.SupportsIndex = 0,
        tracers: bool = True,
    ) -> None: ...
    def occupancy_view(self) -> numpy.typing.NDArray[numpy.uint8]: ...
    def reset_average(self) -> None: ...
    def restore(self, arg0: dict) -> None:
        """
        Continue from a dict written by state() of a gas with the same parameters and seed.
        """
    def run(
        self,
        max_events: typing.SupportsInt | typing.SupportsIndex,
        t_end: typing.SupportsFloat | typing.SupportsIndex,
    ) -> int: ...
    def run_recorded(
        self, arg0: typing.SupportsInt | typing.SupportsIndex
    ) -> tuple[numpy.typing.NDArray[numpy.float64], numpy.typing.NDArray[numpy.float64]]: ...
    def set_occupancy(
        self, arg0: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8]
    ) -> None: ...
    def state(self) -> dict:
        """
        Everything the trajectory depends on, as a dict.
        """
    def tracer_msd(self) -> float: ...
    @property
    def averaging_time(self) -> float: ...
    @property
    def events(self) -> int: ...
    @property
    def occupancy_integral(self) -> float: ...
    @property
    def occupied(self) -> int: ...
    @property
    def time(self) -> float: ...
    @property
    def total_rate(self) -> float: ...

class SublatticeGas:
    def __init__(
        self,
        shape: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex],
        hop_rate: typing.SupportsFloat | typing.SupportsIndex,
        adsorption_rate: typing.SupportsFloat | typing.SupportsIndex,
        desorption_rate: typing.SupportsFloat | typing.SupportsIndex,
        interaction: typing.SupportsFloat | typing.SupportsIndex,
        temperature: typing.SupportsFloat | typing.SupportsIndex,
        domain: typing.SupportsInt | typing.SupportsIndex,
        tau: typing.SupportsFloat | typing.SupportsIndex,
        seed: typing.SupportsInt | typing.SupportsIndex,
    ) -> None: ...
    def occupancy(self) -> numpy.typing.NDArray[numpy.uint8]: ...
    def restore(self, arg0: dict) -> None: ...
    def run(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None: ...
    def set_occupancy(
        self, arg0: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8]
    ) -> None: ...
    def state(self) -> dict: ...
    @property
    def events(self) -> int: ...
    @property
    def occupied(self) -> int: ...
    @property
    def time(self) -> float: ...

def anode_default_parameters() -> dict: ...
def anode_rates(arg0: dict) -> dict: ...
def dla_cluster(
    dimension: typing.SupportsInt | typing.SupportsIndex,
    n: typing.SupportsInt | typing.SupportsIndex,
    sticking: typing.SupportsFloat | typing.SupportsIndex,
    seed: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.int32]: ...
def dla_gyration_replicas(
    dimension: typing.SupportsInt | typing.SupportsIndex,
    n: typing.SupportsInt | typing.SupportsIndex,
    sticking: typing.SupportsFloat | typing.SupportsIndex,
    seed: typing.SupportsInt | typing.SupportsIndex,
    first_stream: typing.SupportsInt | typing.SupportsIndex,
    n_clusters: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.float64]: ...
def replica_coverage_samples(
    shape: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex],
    hop_rate: typing.SupportsFloat | typing.SupportsIndex,
    adsorption_rate: typing.SupportsFloat | typing.SupportsIndex,
    desorption_rate: typing.SupportsFloat | typing.SupportsIndex,
    interaction: typing.SupportsFloat | typing.SupportsIndex,
    temperature: typing.SupportsFloat | typing.SupportsIndex,
    initial: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
    seed: typing.SupportsInt | typing.SupportsIndex,
    first_stream: typing.SupportsInt | typing.SupportsIndex,
    n_replicas: typing.SupportsInt | typing.SupportsIndex,
    t_equilibrate: typing.SupportsFloat | typing.SupportsIndex,
    interval: typing.SupportsFloat | typing.SupportsIndex,
    n_samples: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.float64]: ...
def replica_tracer_msd(
    shape: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex],
    hop_rate: typing.SupportsFloat | typing.SupportsIndex,
    adsorption_rate: typing.SupportsFloat | typing.SupportsIndex,
    desorption_rate: typing.SupportsFloat | typing.SupportsIndex,
    interaction: typing.SupportsFloat | typing.SupportsIndex,
    temperature: typing.SupportsFloat | typing.SupportsIndex,
    initial: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8],
    seed: typing.SupportsInt | typing.SupportsIndex,
    first_stream: typing.SupportsInt | typing.SupportsIndex,
    n_replicas: typing.SupportsInt | typing.SupportsIndex,
    times: typing.Annotated[numpy.typing.ArrayLike, numpy.float64],
) -> numpy.typing.NDArray[numpy.float64]: ...
