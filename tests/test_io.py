"""Results files: provenance, atomic writes, format versions and checksums."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

from mesolith import _core
from mesolith.io import (
    FORMAT_VERSION,
    ResultsFormatError,
    atomic_output,
    read_results,
    write_results,
)


def _sample(tmp_path, **kwargs):
    data = {"positions": np.arange(30.0).reshape(10, 3), "group": {"count": 5, "name": "AM"}}
    return write_results(tmp_path / "out.h5", data, units={"positions": "m"}, **kwargs)


def test_round_trip_with_provenance(tmp_path):
    path = _sample(tmp_path, config={"bd": {"temperature": 300.0}}, seed=42, threads=2)
    res = read_results(path)
    np.testing.assert_array_equal(res["positions"], np.arange(30.0).reshape(10, 3))
    assert res["group/count"] == 5 and res["group/name"] == "AM"
    assert res.units["positions"] == "m"
    assert res.config == {"bd": {"temperature": 300.0}}
    a = res.attrs
    assert a["seed"] == 42 and a["threads"] == 2 and a["format_version"] == FORMAT_VERSION
    assert a["mesolith_version"] and a["git_hash"] == _core.build_info()["git_hash"]
    assert a["created"].endswith("+00:00")


def test_pydantic_config_is_stored_as_json(tmp_path):
    from mesolith.config import RunSettings

    path = _sample(tmp_path, config=RunSettings(seed=3))
    assert read_results(path).config["seed"] == 3


def test_newer_format_version_is_refused(tmp_path):
    path = _sample(tmp_path)
    with h5py.File(path, "a") as fh:
        fh.attrs["format_version"] = FORMAT_VERSION + 1
    with pytest.raises(ResultsFormatError, match="newer than the 1 this mesolith reads"):
        read_results(path)


def test_corrupted_data_fails_its_checksum(tmp_path):
    path = _sample(tmp_path)
    with h5py.File(path, "a") as fh:
        fh["positions"][0, 0] = -1.0
    with pytest.raises(ResultsFormatError, match="'positions' fails its checksum"):
        read_results(path)


def test_truncated_and_foreign_files_are_refused(tmp_path):
    path = _sample(tmp_path)
    blob = path.read_bytes()
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(ResultsFormatError, match="not a readable HDF5 file"):
        read_results(truncated)
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as fh:
        fh["x"] = 1
    with pytest.raises(ResultsFormatError, match="not a mesolith results file"):
        read_results(foreign)


def test_failed_write_leaves_previous_file_and_no_temporaries(tmp_path):
    path = _sample(tmp_path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="cannot store an object array"):
        write_results(path, {"ok": np.zeros(3), "bad": np.array([object()])})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.h5"]


def test_atomic_output_on_exception(tmp_path):
    target = tmp_path / "x.txt"
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_text("partial")
        raise RuntimeError("interrupted")
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_killed_writer_never_leaves_a_partial_file(tmp_path):
    # A child process is killed (SIGKILL) while writing a large file: the target
    # either does not exist or is the complete previous version.
    target = tmp_path / "big.h5"
    write_results(target, {"x": np.zeros(10)}, seed=1)
    code = (
        "import numpy as np, sys\n"
        "from mesolith.io import write_results\n"
        "print('ready', flush=True)\n"
        f"write_results({str(target)!r}, {{'x': np.random.default_rng(0).random(40_000_000)}})\n"
    )
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE) as proc:
        assert proc.stdout.readline().strip() == b"ready"
        # wait until the temporary file exists, then kill mid-write
        for _ in range(200_000):
            if proc.poll() is not None or any(
                p.name.startswith(".big.h5.") for p in tmp_path.iterdir()
            ):
                break
            os.sched_yield()
        proc.kill()
        proc.wait()
    assert proc.returncode != 0, "the writer finished before it could be killed"
    res = read_results(target)  # the previous complete file, intact and verified
    assert res["x"].shape == (10,)


def test_bad_keys_are_refused(tmp_path):
    with pytest.raises(ValueError, match="'a/b'"):
        write_results(tmp_path / "k.h5", {"a/b": 1})
    with pytest.raises(ValueError, match="reserved provenance attribute"):
        write_results(tmp_path / "k.h5", {"a": 1}, attrs={"seed": 3})


def test_config_json_is_exact(tmp_path):
    cfg = {"micro": {"porosity": 0.35, "axes": ["x", "z"]}}
    path = _sample(tmp_path, config=cfg)
    with h5py.File(path) as fh:
        assert json.loads(fh.attrs["config"]) == cfg


def test_damage_anywhere_in_the_file_is_a_format_error(tmp_path):
    # Truncation or flipped bytes at any offset must give ResultsFormatError, never an h5py
    # RuntimeError, a hang inside libhdf5 (zeroed B-tree nodes can make it loop) or a silent read.
    path = _sample(tmp_path)
    blob = path.read_bytes()
    damaged = tmp_path / "damaged.h5"
    # (Cutting only into the whole-file checksum trailer leaves every dataset intact and
    # verifiable, so cuts stop before the trailer's 82 bytes.)
    for cut in range(0, len(blob) - 82, max(1, len(blob) // 60)):
        flipped = bytes(b ^ 0xFF for b in blob[cut : cut + 64])
        for variant in (blob[:cut], blob[:cut] + flipped + blob[cut + 64 :]):
            damaged.write_bytes(variant)
            with pytest.raises(ResultsFormatError):
                read_results(damaged)


def test_results_files_get_ordinary_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        path = _sample(tmp_path)
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644
