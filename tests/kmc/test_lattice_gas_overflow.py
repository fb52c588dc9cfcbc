"""The compiled lattice gas refuses rates whose totals or waiting times overflow a double.

Found by fuzzing the bindings: an infinite total rate used to crash the event selection and a
denormal one sent the clock to infinity. The Python layer refuses such input earlier; this
checks the kernel itself, which other C++ callers reach directly.
"""

import pytest

from mesolith import _core


@pytest.mark.parametrize(
    "args",
    [
        ([6, 6], 1e308, 1.0, 1.0, 0.1, 300.0, 3),  # rate x sites overflows
        ([3, 3], 1.0, 1.0, 1.0, 10.0, 1.0, 3),  # exp(|J| z / kT) overflows
    ],
)
def test_overflowing_rates_are_refused(args):
    with pytest.raises(OverflowError, match="rates overflow"):
        _core.kmc.LatticeGas(*args)


def test_denormal_rates_cannot_send_the_clock_to_infinity():
    gas = _core.kmc.LatticeGas([6, 6], 5e-324, 5e-324, 5e-324, 0.0, 300.0, 3)
    with pytest.raises(OverflowError, match="waiting time overflows"):
        gas.run(50, float("inf"))
    gas.run(5, 1.0)  # a finite horizon is fine: nothing happens before it
    assert gas.time == 1.0 and gas.events == 0
