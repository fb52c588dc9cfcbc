"""Checkpoints: an engine's full state, written atomically, refused when foreign.

A checkpoint is a results file (same format, provenance and checksums) with
three extra root attributes: ``kind = "checkpoint"``, the ``engine`` that wrote
it and a ``config_hash`` of the configuration it belongs to. Loading checks all
three, so a checkpoint of another engine or of a different configuration is
refused with a clear error instead of silently resuming the wrong run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mesolith.io.hdf5 import ResultsFormatError, _jsonable, read_results, write_results

__all__ = ["Checkpoint", "CheckpointError", "config_hash", "load_checkpoint", "save_checkpoint"]


class CheckpointError(ResultsFormatError):
    """A checkpoint is corrupted, foreign, or belongs to another configuration."""


def config_hash(config: Any) -> str:
    """SHA-256 of the configuration's canonical JSON (key order does not matter)."""
    text = json.dumps(_jsonable(config), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Checkpoint:
    """A loaded checkpoint: the engine's ``state`` arrays, the ``step`` and the seed."""

    engine: str
    step: int
    seed: int
    state: dict[str, Any]


def save_checkpoint(
    path: str | Path,
    engine: str,
    state: Mapping[str, Any],
    *,
    step: int,
    config: Any,
    seed: int,
) -> Path:
    """Write ``state`` (a nested mapping of arrays and scalars) as a checkpoint, atomically."""
    attrs = {"kind": "checkpoint", "engine": engine, "step": int(step),
             "config_hash": config_hash(config)}
    return write_results(path, {"state": dict(state)}, config=config, seed=seed, attrs=attrs)


def load_checkpoint(path: str | Path, engine: str, config: Any) -> Checkpoint:
    """Read a checkpoint written by :func:`save_checkpoint` for ``engine`` and ``config``.

    Raises
    ------
    CheckpointError
        If the file is corrupted (checksums), not a checkpoint, written by another
        engine, or for a different configuration.
    """
    try:
        res = read_results(path)
    except ResultsFormatError as exc:
        raise CheckpointError(f"checkpoint refused: {exc}") from None
    attrs = res.attrs
    if attrs.get("kind") != "checkpoint":
        raise CheckpointError(f"{path}: not a checkpoint (kind = {attrs.get('kind')!r})")
    if attrs.get("engine") != engine:
        raise CheckpointError(
            f"{path}: a checkpoint of engine {attrs.get('engine')!r}, not {engine!r}"
        )
    if attrs.get("config_hash") != config_hash(config):
        raise CheckpointError(
            f"{path}: written for a different configuration; resume with the configuration "
            "stored in the checkpoint (its 'config' attribute) or start a new run"
        )
    prefix = "state/"
    state: dict[str, Any] = {}
    for key, value in res.data.items():
        parts = key[len(prefix):].split("/")
        node = state
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return Checkpoint(engine=engine, step=int(attrs["step"]), seed=int(attrs["seed"]),
                      state=state)
