"""The one place where arrays are checked before they cross into C++.

Every engine converts its array arguments here, so that a wrong dtype, shape,
layout or a NaN is caught with a message naming the argument, before any work
starts in the compiled core (which trusts what it is given).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["as_array"]


def as_array(
    value,
    name: str,
    dtype,
    *,
    ndim: int | None = None,
    shape: Sequence[int | None] | None = None,
    finite: bool = True,
    allow_empty: bool = False,
) -> np.ndarray:
    """Return ``value`` as a C-contiguous array of ``dtype``, or raise ``ValueError``.

    Parameters
    ----------
    value : array_like
        The user's input.
    name : str
        The argument's name, used in error messages.
    dtype : numpy dtype
        Target dtype. Values are converted only when the cast is safe
        (e.g. int32 -> float64); a lossy cast (float -> int) is an error.
    ndim : int, optional
        Required number of dimensions.
    shape : sequence of int or None, optional
        Required shape; ``None`` entries match any length.
    finite : bool
        For floating dtypes, reject NaN and infinity.
    allow_empty : bool
        Accept arrays with zero elements.

    Examples
    --------
    >>> as_array([[0, 0, 1]], "positions", np.float64, shape=(None, 3)).dtype
    dtype('float64')
    """
    target = np.dtype(dtype)
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: cannot be read as an array ({exc})") from None
    if arr.dtype == object:
        raise ValueError(f"{name}: must be a numeric array, got a ragged or object array")
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name}: must be a numeric array, got dtype {arr.dtype}")
    if arr.dtype != target and not np.can_cast(arr.dtype, target, casting="safe"):
        # A narrowing cast is accepted only when every value survives it exactly
        # (e.g. [1.0, 2.0] as counts); anything lossy is the caller's mistake.
        if not _lossless(arr, target):
            raise ValueError(f"{name}: dtype {arr.dtype} cannot be converted to {target} safely")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name}: must have {ndim} dimension(s), got shape {arr.shape}")
    if shape is not None:
        if arr.ndim != len(shape) or any(
            want is not None and got != want for got, want in zip(arr.shape, shape, strict=True)
        ):
            wanted = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name}: must have shape {wanted}, got {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name}: must not be empty")
    arr = np.ascontiguousarray(arr, dtype=target)
    if finite and np.issubdtype(target, np.floating) and arr.size and not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        where = tuple(int(i) for i in bad)
        raise ValueError(f"{name}: must be finite, found {arr[where]} at index {where}")
    return arr


def _lossless(arr: np.ndarray, target: np.dtype) -> bool:
    if arr.size == 0:
        return True
    with np.errstate(invalid="ignore", over="ignore"):
        if not np.isfinite(arr).all() and target.kind in "biu":
            return False
        converted = arr.astype(target)
    return bool(np.array_equal(converted, arr))
