"""Checkpoints: exact round trip, and refusal of corrupted or foreign ones."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from mesolith.io import CheckpointError, config_hash, load_checkpoint, save_checkpoint

CONFIG = {"bd": {"temperature": 298.15, "dt": 1e-9}}


def _state():
    return {"positions": np.random.default_rng(1).random((50, 3)),
            "rng": {"block": np.uint64(2**40 + 3), "words_used": 2}}


def test_round_trip_is_bit_exact(tmp_path):
    path = save_checkpoint(tmp_path / "c.h5", "bd", _state(), step=1200, config=CONFIG, seed=9)
    ck = load_checkpoint(path, "bd", CONFIG)
    assert ck.step == 1200 and ck.seed == 9 and ck.engine == "bd"
    assert ck.state["positions"].tobytes() == _state()["positions"].tobytes()
    assert ck.state["rng"]["block"] == 2**40 + 3


def test_config_hash_ignores_key_order():
    shuffled = {"b": {"d": 3, "c": 2}, "a": 1}
    assert config_hash({"a": 1, "b": {"c": 2, "d": 3}}) == config_hash(shuffled)
    assert config_hash({"a": 1}) != config_hash({"a": 2})


def test_foreign_engine_other_config_and_corruption_are_refused(tmp_path):
    path = save_checkpoint(tmp_path / "c.h5", "bd", _state(), step=1, config=CONFIG, seed=9)
    with pytest.raises(CheckpointError, match="engine 'bd', not 'kmc'"):
        load_checkpoint(path, "kmc", CONFIG)
    with pytest.raises(CheckpointError, match="different configuration"):
        load_checkpoint(path, "bd", {"bd": {"temperature": 300.0, "dt": 1e-9}})
    with h5py.File(path, "a") as fh:
        fh["state/positions"][3, 1] += 1e-12
    with pytest.raises(CheckpointError, match="fails its checksum"):
        load_checkpoint(path, "bd", CONFIG)


def test_results_file_is_not_a_checkpoint(tmp_path):
    from mesolith.io import write_results

    path = write_results(tmp_path / "r.h5", {"x": 1})
    with pytest.raises(CheckpointError, match="not a checkpoint"):
        load_checkpoint(path, "bd", CONFIG)
