"""Fuzz targets for the array-taking C++ entry points (atheris).

Each target turns the fuzzer's bytes into a small random input (labels, positions,
rates, file contents), calls mesolith and checks two things: that the call either
succeeds or raises one of the documented error types (a segfault, an abort or any
other exception is a finding), and that a successful answer is sane (finite where it
must be, symmetric where it must be).

Run one target with ``fuzz/run.sh TARGET SECONDS``; ``python fuzz/targets.py --list``
prints the names.
"""

from __future__ import annotations

import io
import math
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import numpy as np

    from mesolith import _core
    from mesolith.config.base import ConfigError
    from mesolith.micro import transport, volume_io

# Errors that are a correct refusal of bad input, not a finding.
EXPECTED = (ValueError, TypeError, MemoryError, OverflowError, ConfigError,
            _core.micro.NotConvergedError)


def _labels(fdp: atheris.FuzzedDataProvider, max_side: int = 8) -> np.ndarray:
    shape = tuple(fdp.ConsumeIntInRange(1, max_side) for _ in range(3))
    n_labels = fdp.ConsumeIntInRange(1, 4)
    raw = fdp.ConsumeBytes(int(np.prod(shape)))
    values = np.frombuffer(raw.ljust(int(np.prod(shape)), b"\0"), np.uint8) % n_labels
    return values.reshape(shape).copy()


def _float(fdp: atheris.FuzzedDataProvider) -> float:
    """Mostly ordinary floats, sometimes the nasty ones."""
    pick = fdp.ConsumeIntInRange(0, 9)
    if pick == 0:
        return fdp.PickValueInList([math.nan, math.inf, -math.inf, 0.0, -0.0, 1e308, 5e-324])
    return fdp.ConsumeFloatInRange(-10.0, 10.0)


@atheris.instrument_func  # its branches guide the fuzzer too
def micro_tortuosity(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    labels = _labels(fdp)
    axis = fdp.ConsumeIntInRange(-1, 3)
    phase = fdp.ConsumeIntInRange(0, 4)
    periodic = fdp.ConsumeBool()
    precond = fdp.PickValueInList(["multigrid", "jacobi", "bogus"])
    try:
        res = transport.tortuosity(labels, phase=phase, axis=axis, rtol=1e-8,
                                   preconditioner=precond, periodic_sides=periodic)
    except EXPECTED:
        return
    if res.percolates:
        # tau = eps / (D_eff/D0) >= 1 up to the solver tolerance for any structure.
        assert math.isfinite(res.tau_factor) and res.tau_factor > 1 - 1e-6, res
    else:
        assert res.tau_factor == math.inf, res


@atheris.instrument_func  # its branches guide the fuzzer too
def micro_core_labels(data: bytes) -> None:
    """The label-volume kernels called directly, bypassing the Python checks."""
    fdp = atheris.FuzzedDataProvider(data)
    labels = _labels(fdp)
    if fdp.ConsumeBool():  # non-contiguous or wrong dtype input must be refused or copied
        labels = labels[::-1] if fdp.ConsumeBool() else labels.astype(np.int32)
    axis = fdp.ConsumeIntInRange(-2, 4)
    which = fdp.ConsumeIntInRange(0, 4)
    try:
        if which == 0:
            mask, n = _core.micro.spanning_cluster(labels, axis)
            assert mask.shape == labels.shape and 0 <= n <= labels.size
        elif which == 1:
            out = _core.micro.local_thickness(labels)
            assert out.shape == labels.shape and np.all(np.isfinite(out))
        elif which == 2:
            dens = _core.micro.interface_density(labels, fdp.ConsumeIntInRange(-1, 6),
                                                 extrapolate=fdp.ConsumeBool(),
                                                 periodic=fdp.ConsumeBool())
            assert np.all(np.isfinite(dens))
        elif which == 3:
            mask, n = _core.micro.reach_from_face(labels, axis, fdp.ConsumeIntInRange(-1, 2))
            assert 0 <= n <= labels.size
        else:
            table = np.array([_float(fdp) for _ in range(256)])
            sol = _core.micro.solve_conduction(labels, table, axis, 1e-8, 0, "multigrid", False)
            assert math.isfinite(sol["effective_conductivity"]), sol
    except EXPECTED:
        return
    except RuntimeError as exc:  # a C++ std::exception with its message is a refusal
        assert str(exc), "RuntimeError without a message"


@atheris.instrument_func  # its branches guide the fuzzer too
def volume_files(data: bytes) -> None:
    """Raw and TIFF import of arbitrary bytes."""
    fdp = atheris.FuzzedDataProvider(data)
    kind = fdp.ConsumeIntInRange(0, 1)
    shape = tuple(fdp.ConsumeIntInRange(0, 6) for _ in range(3))
    dtype = fdp.PickValueInList(["uint8", "<u2", ">i4", "float32", "int8"])
    payload = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 4096))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("v.raw" if kind == 0 else "v.tif")
        if kind == 1 and fdp.ConsumeBool():  # a real TIFF with random pixel values
            import tifffile

            arr = np.frombuffer(payload.ljust(64, b"\0")[:64], np.uint8).reshape(4, 4, 4)
            buf = io.BytesIO()
            tifffile.imwrite(buf, arr.astype(dtype))
            payload = buf.getvalue()
        path.write_bytes(payload)
        try:
            if kind == 0:
                vol = volume_io.read_raw(path, shape, 1e-6, dtype=dtype)
            else:
                vol = volume_io.read_tiff(path, 1e-6)
        except EXPECTED:
            return
        except Exception as exc:  # tifffile's own parse errors are fine only if they say why
            if kind == 1 and type(exc).__module__.startswith("tifffile") and str(exc):
                return
            raise
        assert vol.labels.dtype == np.uint8 and vol.labels.ndim == 3


@atheris.instrument_func  # its branches guide the fuzzer too
def bd_mobility(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    n = fdp.ConsumeIntInRange(0, 12)
    pos = np.array([_float(fdp) for _ in range(3 * n)]).reshape(n, 3)
    radii = np.array([abs(_float(fdp)) for _ in range(n)])
    viscosity = _float(fdp)
    hydro = fdp.PickValueInList(["rpy", "none", "oseen", ""])
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        stokes = 1.0 / (6.0 * np.pi * viscosity * radii)
    # a denormal radius or viscosity makes 1/(6 pi eta a) overflow: the kernel then returns
    # inf (the Python layer, mesolith.bd.mobility, refuses such input); only inputs with a
    # representable Stokes mobility must give a finite matrix
    finite = (np.all(np.isfinite(pos)) and np.all(np.isfinite(stokes)) and np.all(stokes > 0)
              and np.abs(pos).max(initial=0) < 1e6)
    if not finite:
        from mesolith.bd.mobility import Mobility

        try:
            Mobility(pos, radii, viscosity, hydro if hydro in ("rpy", "none") else "rpy").matrix()
        except EXPECTED:
            pass
        else:
            assert n == 0 or np.all(np.isfinite(stokes)), "Python layer let bad input through"
    try:
        m = _core.bd.mobility_matrix(pos, radii, viscosity, hydro)
        f = np.array([_float(fdp) for _ in range(3 * n)]).reshape(n, 3)
        mf = _core.bd.mobility_apply(pos, radii, viscosity, f, hydro)
    except EXPECTED:
        return
    except RuntimeError as exc:
        assert str(exc), "RuntimeError without a message"
        return
    assert m.shape == (3 * n, 3 * n) and mf.shape == (n, 3)
    if finite:
        # A mobility matrix is symmetric and finite for every valid configuration.
        assert np.all(np.isfinite(m)), "non-finite mobility for valid input"
        assert np.allclose(m, m.T, rtol=1e-12, atol=1e-12 * np.abs(m).max(initial=1.0))


@atheris.instrument_func  # its branches guide the fuzzer too
def kmc_lattice(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    ndim = fdp.ConsumeIntInRange(1, 4)
    shape = [fdp.ConsumeIntInRange(-2, 12) if fdp.ConsumeIntInRange(0, 9) == 0
             else fdp.ConsumeIntInRange(3, 12) for _ in range(ndim)]
    # mostly valid rates (so that runs happen), sometimes anything
    rates = [abs(_float(fdp)) for _ in range(3)]
    rates += [_float(fdp), fdp.ConsumeFloatInRange(1.0, 2000.0)]
    if fdp.ConsumeIntInRange(0, 9) == 0:
        rates[fdp.ConsumeIntInRange(0, 4)] = _float(fdp)
    # The kernel trusts the Python layer (mesolith.kmc.LatticeGas) to refuse rates whose
    # waiting times or totals overflow (with such rates the kernel returns an infinite
    # clock or, for an infinite rate total, crashes in the event selection): only input
    # the Python layer accepts goes on to the kernel.
    from mesolith.kmc import LatticeGas

    try:
        LatticeGas(shape, *rates)
    except EXPECTED:
        return
    accepted = True
    try:
        lat = _core.kmc.LatticeGas(shape, *rates, fdp.ConsumeIntInRange(0, 2**32))
        before = int(lat.occupied)
        lat.run(fdp.ConsumeIntInRange(0, 200), math.inf)  # (events, end time)
        if accepted:
            assert 0 <= int(lat.occupied) <= int(np.prod(shape)), (before, lat.occupied)
            assert math.isfinite(lat.time) and lat.time >= 0, (shape, rates, lat.time)
    except EXPECTED:
        return
    except RuntimeError as exc:
        assert str(exc), "RuntimeError without a message"


TARGETS = {f.__name__: f for f in
           (micro_tortuosity, micro_core_labels, volume_files, bd_mobility, kmc_lattice)}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--list":
        print("\n".join(TARGETS))
        return
    name = sys.argv[1]
    if name not in TARGETS:
        sys.exit(f"unknown target {name!r}; choose from {', '.join(TARGETS)}")
    atheris.Setup([sys.argv[0], *sys.argv[2:]], TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
