"""Malformed input files, and the check that each is refused clearly.

Each case writes one broken file (truncated HDF5 results or checkpoint, TIFF stacks of
the wrong dtype/shape/labels, raw volumes of the wrong size, a DCD of another run or cut
short, truncated VTK files, a cut TOML recipe) and calls the reader a user would call.
The outcome is one of

* ``clear``: an error the CLI reports in one line (a ``ValueError`` family or
  ``FileNotFoundError``...) whose message names the file;
* ``unclear``: such an error, but without the file name;
* ``crash``: any other exception (the CLI would call it an internal error);
* ``silent``: no error at all, a wrong answer handed on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["CASES", "MalformedCase", "classify", "run_cases"]

#: Exceptions the CLI reports as a user's error (one line, exit status 2).
USER_ERRORS = (ValueError, FileNotFoundError, PermissionError, IsADirectoryError, MemoryError)


@dataclass(frozen=True)
class MalformedCase:
    engine: str  # who reads it: io, micro, kmc, bd, md
    name: str
    make: Callable[[Path], tuple[Path, Callable[[], object]]]  # -> (bad file, reader call)


def _truncate(path: Path, keep: float) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def _results(tmp: Path):
    from mesolith.io import read_results, write_results

    p = write_results(tmp / "results.h5", {"a": {"x": np.arange(4000.0)}}, seed=1)
    return _truncate(p, 0.6), lambda: read_results(p)


def _results_bitflip(tmp: Path):
    from mesolith.io import read_results, write_results

    values = np.full(4000, 0.123456789)
    p = write_results(tmp / "flipped.h5", {"a": {"x": values}}, seed=1)
    data = bytearray(p.read_bytes())
    at = bytes(data).find(values[:4].tobytes()) + 100
    data[at] ^= 0x10
    p.write_bytes(bytes(data))
    return p, lambda: read_results(p)


def _kmc_checkpoint(tmp: Path):
    from mesolith.kmc import Simulation

    cfg = {"lattice": {"nx": 4, "ny": 4, "nz": 10, "host_layers": 4}}
    p = Simulation(cfg, seed=1).run(time=1e-3).checkpoint(tmp / "kmc_ckpt.h5")
    return _truncate(p, 0.7), lambda: Simulation.restart(p)


def _foreign_checkpoint(tmp: Path):
    from mesolith.bd import Simulation as BD
    from mesolith.kmc import Simulation

    cfg = {"species": [{"name": "NMC", "preset": "nmc", "count": 3}], "dt": 1e-4}
    p = BD(cfg, seed=1).checkpoint(tmp / "bd_ckpt.h5")
    return p, lambda: Simulation.restart(p)


def _micro_checkpoint(tmp: Path, damage: str):
    """A micro stage checkpoint (mid-packing, or with its volume) truncated or edited."""
    from mesolith.micro.config import MicroConfig
    from mesolith.micro.resumable import MicroRun

    cfg = MicroConfig.from_dict({"packing": {"shape": [20, 20, 20], "voxel_size": 1e-6,
                                             "mean_radius": 3e-6, "am_fraction": 0.4},
                                 "cbd": None, "properties": {"axes": [2]}})
    run = MicroRun(cfg, seed=1)
    while run.structure is None if damage == "edited" else run.chunks_done < 2:
        run.advance()
    p = run.checkpoint(tmp / "micro_ckpt.h5")
    if damage == "truncated":
        _truncate(p, 0.7)
    else:  # one voxel of the stored volume changed: the checksums no longer match
        import h5py

        with h5py.File(p, "r+") as f:
            f["state/structure/labels"][1, 2, 3] ^= 1
    return p, lambda: MicroRun.restart(p)


def _foreign_micro_checkpoint(tmp: Path):
    from mesolith.bd import Simulation as BD
    from mesolith.micro.resumable import MicroRun

    cfg = {"species": [{"name": "NMC", "preset": "nmc", "count": 3}], "dt": 1e-4}
    p = BD(cfg, seed=1).checkpoint(tmp / "bd_ckpt.h5")
    return p, lambda: MicroRun.restart(p)


def _tiff(array: np.ndarray, name: str):
    def make(tmp: Path):
        import tifffile

        from mesolith.micro.volume_io import read_tiff

        p = tmp / name
        tifffile.imwrite(p, array, photometric="minisblack")
        return p, lambda: read_tiff(p, 1e-6)
    return make


def _tiff_truncated(tmp: Path):
    import tifffile

    from mesolith.micro.volume_io import read_tiff

    p = tmp / "cut.tif"
    tifffile.imwrite(p, np.zeros((6, 8, 8), np.uint8))
    return _truncate(p, 0.3), lambda: read_tiff(p, 1e-6)


def _raw(n_bytes: int, name: str):
    def make(tmp: Path):
        from mesolith.micro.volume_io import read_raw

        p = tmp / name
        np.zeros(n_bytes, np.uint8).tofile(p)
        return p, lambda: read_raw(p, (5, 5, 5), 1e-6)
    return make


def _vti_truncated(tmp: Path):
    from mesolith.micro.structure import Microstructure
    from mesolith.micro.volume_io import read_vti, write_vti

    p = write_vti(Microstructure(np.zeros((6, 6, 6), np.uint8), 1e-6), tmp / "cut.vti")
    return _truncate(p, 0.5), lambda: read_vti(p)


def _vtp_truncated(tmp: Path):
    from mesolith.io.vtk import read_points, write_points

    p = write_points(tmp / "cut.vtp", np.zeros((20, 3)), {"radius": np.ones(20)})
    return _truncate(p, 0.6), lambda: read_points(p)


def _bd_trajectory(tmp: Path, n_dcd: int, keep: float = 1.0):
    from mesolith.bd import Simulation as BD
    from mesolith.md.files import universe

    def sim(n):
        cfg = {"species": [{"name": "NMC", "preset": "nmc", "count": n}], "dt": 1e-4,
               "save_every": 2}
        return BD(cfg, seed=1).run(6, progress=False)

    sim(4).write_dcd(tmp / "run.dcd")
    dcd = tmp / "other.dcd"
    sim(n_dcd).write_dcd(dcd)
    if keep < 1.0:
        data = dcd.read_bytes()
        dcd.write_bytes(data[: len(data) - 10])
    return dcd, lambda: universe(tmp / "run.pdb", dcd)


def _recipe_truncated(tmp: Path):
    from mesolith.config import load_recipe

    p = tmp / "cut.toml"
    p.write_text('[run]\nname = "x"\n[bd]\nsteps = 10\nspecies = [ { name = "NMC", pre')
    return p, lambda: load_recipe(p)


CASES: list[MalformedCase] = [
    MalformedCase("io", "results file truncated", _results),
    MalformedCase("io", "results file with a flipped bit", _results_bitflip),
    MalformedCase("io", "VTK image truncated", _vti_truncated),
    MalformedCase("io", "VTK points truncated", _vtp_truncated),
    MalformedCase("io", "recipe TOML cut short", _recipe_truncated),
    MalformedCase("kmc", "kMC checkpoint truncated", _kmc_checkpoint),
    MalformedCase("kmc", "BD checkpoint given to kMC", _foreign_checkpoint),
    MalformedCase("micro", "micro checkpoint truncated",
                  lambda t: _micro_checkpoint(t, "truncated")),
    MalformedCase("micro", "micro checkpoint with an edited voxel",
                  lambda t: _micro_checkpoint(t, "edited")),
    MalformedCase("micro", "BD checkpoint given to micro", _foreign_micro_checkpoint),
    MalformedCase("micro", "TIFF of float grey values",
                  _tiff(np.linspace(0, 1, 4 * 5 * 6, dtype=np.float32).reshape(4, 5, 6),
                        "float.tif")),
    MalformedCase("micro", "TIFF of one 2-D slice", _tiff(np.zeros((5, 6), np.uint8), "2d.tif")),
    MalformedCase("micro", "TIFF of RGB slices",
                  _tiff(np.zeros((4, 5, 6, 3), np.uint8), "rgb.tif")),
    MalformedCase("micro", "TIFF with 50 labels",
                  _tiff((np.arange(120) % 50).astype(np.uint8).reshape(4, 5, 6), "labels.tif")),
    MalformedCase("micro", "TIFF of 16-bit values > 255",
                  _tiff((np.arange(120) * 300).astype(np.uint16).reshape(4, 5, 6), "u16.tif")),
    MalformedCase("micro", "TIFF truncated", _tiff_truncated),
    MalformedCase("micro", "raw volume too short", _raw(100, "short.raw")),
    MalformedCase("micro", "raw volume too long", _raw(200, "long.raw")),
    MalformedCase("md", "DCD of another particle count", lambda t: _bd_trajectory(t, 5)),
    MalformedCase("md", "DCD cut in its last frame", lambda t: _bd_trajectory(t, 4, 0.9)),
]


def classify(path: Path, call: Callable[[], object]) -> tuple[str, str]:
    """Run ``call``; return (outcome, message) with outcome clear/unclear/crash/silent."""
    try:
        call()
    except USER_ERRORS as exc:
        message = str(exc)
        return ("clear" if path.name in message else "unclear"), message
    except Exception as exc:  # noqa: BLE001 - every other exception is a finding
        return "crash", f"{type(exc).__name__}: {exc}"
    return "silent", "no error raised"


def run_cases(workdir: Path, cases: list[MalformedCase] | None = None
              ) -> list[tuple[MalformedCase, str, str]]:
    """Make and read every case under ``workdir``; returns (case, outcome, message)."""
    import logging

    out = []
    tiff_log = logging.getLogger("tifffile")
    level = tiff_log.level
    tiff_log.setLevel(logging.CRITICAL)  # it logs each broken page; our errors say it once
    try:
        for i, case in enumerate(cases or CASES):
            tmp = Path(workdir) / f"case{i}"
            tmp.mkdir(parents=True, exist_ok=True)
            path, call = case.make(tmp)
            out.append((case, *classify(path, call)))
    finally:
        tiff_log.setLevel(level)
    return out
