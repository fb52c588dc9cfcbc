"""The array check every engine uses before handing data to C++."""

from __future__ import annotations

import numpy as np
import pytest

from mesolith._arrays import as_array


def test_converts_safe_types_to_contiguous():
    a = as_array(np.arange(12, dtype=np.int32).reshape(3, 4).T, "x", np.float64, ndim=2)
    assert a.dtype == np.float64 and a.flags.c_contiguous and a.shape == (4, 3)


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        ([[1.5, 2.0]], {"dtype": np.int64}, "cannot be converted"),
        ([1.0, np.nan], {"dtype": np.float64}, "must be finite"),
        ([1.0, np.inf], {"dtype": np.float64}, "must be finite"),
        ([], {"dtype": np.float64}, "must not be empty"),
        ([[1.0, 2.0]], {"dtype": np.float64, "shape": (None, 3)}, r"shape \(any, 3\)"),
        ([1.0, 2.0], {"dtype": np.float64, "ndim": 2}, "2 dimension"),
        ([[1.0], [1.0, 2.0]], {"dtype": np.float64}, "positions"),
        ("abc", {"dtype": np.float64}, "must be a numeric array"),
        ([1e300], {"dtype": np.int64}, "cannot be converted"),
    ],
)
def test_bad_arrays_name_the_argument(value, kwargs, message):
    with pytest.raises(ValueError, match=message) as info:
        as_array(value, "positions", **kwargs)
    assert str(info.value).startswith("positions")


def test_integral_floats_may_become_ints():
    assert as_array([1.0, 2.0], "n", np.int64).tolist() == [1, 2]
