"""
Counter-based Philox-4x32-10 random numbers.
"""

from __future__ import annotations

import collections.abc
import typing

import numpy
import numpy.typing

__all__: list[str] = ["exponential", "normal", "philox4x32_10", "stream_draws", "u32", "uniform"]

def exponential(
    seed: typing.SupportsInt | typing.SupportsIndex,
    stream: typing.SupportsInt | typing.SupportsIndex,
    n: typing.SupportsInt | typing.SupportsIndex,
    block: typing.SupportsInt | typing.SupportsIndex = 0,
) -> numpy.typing.NDArray[numpy.float64]:
    """
    n exponential draws with unit mean.
    """

def normal(
    seed: typing.SupportsInt | typing.SupportsIndex,
    stream: typing.SupportsInt | typing.SupportsIndex,
    n: typing.SupportsInt | typing.SupportsIndex,
    block: typing.SupportsInt | typing.SupportsIndex = 0,
) -> numpy.typing.NDArray[numpy.float64]:
    """
    n standard normal draws (Box-Muller).
    """

def philox4x32_10(
    counter: typing.Annotated[
        collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], "FixedSize(4)"
    ],
    key: typing.Annotated[
        collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], "FixedSize(2)"
    ],
) -> typing.Annotated[list[int], "FixedSize(4)"]:
    """
    One Philox-4x32-10 block: four 32-bit words from a 4-word counter and a 2-word key.
    """

def stream_draws(
    seed: typing.SupportsInt | typing.SupportsIndex,
    stream: typing.SupportsInt | typing.SupportsIndex,
    block: typing.SupportsInt | typing.SupportsIndex,
    kind: str,
    n: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.float64]:
    """
    Sequential draws from one rng::Stream, the object the engines use.
    """

def u32(
    seed: typing.SupportsInt | typing.SupportsIndex,
    stream: typing.SupportsInt | typing.SupportsIndex,
    n: typing.SupportsInt | typing.SupportsIndex,
    block: typing.SupportsInt | typing.SupportsIndex = 0,
) -> numpy.typing.NDArray[numpy.uint32]:
    """
    n raw 32-bit words; element i from block `block + i // 4`.
    """

def uniform(
    seed: typing.SupportsInt | typing.SupportsIndex,
    stream: typing.SupportsInt | typing.SupportsIndex,
    n: typing.SupportsInt | typing.SupportsIndex,
    block: typing.SupportsInt | typing.SupportsIndex = 0,
) -> numpy.typing.NDArray[numpy.float64]:
    """
    n uniform draws on (0, 1); element i from block `block + i // 2`.
    """
