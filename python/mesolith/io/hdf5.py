"""HDF5 results with provenance, a format version and per-dataset checksums.

Layout of a results file::

    /                      attrs: format, format_version, mesolith_version, git_hash,
                                  created, seed, threads, config (JSON), + run attributes
    /<group>/<dataset>     attrs: sha256 (of the C-ordered bytes), unit (optional)

Reading checks the format name, refuses files from a newer format version and
verifies every dataset's checksum, so a corrupted or foreign file is never
read as if it were good.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from mesolith.io.atomic import atomic_output

__all__ = [
    "FORMAT_VERSION",
    "ResultsFile",
    "ResultsFormatError",
    "provenance",
    "read_results",
    "write_results",
]

#: Bumped whenever the layout changes in a way older readers cannot follow.
FORMAT_VERSION = 1
FORMAT_NAME = "mesolith-results"


class ResultsFormatError(ValueError):
    """A results file is unreadable, foreign, corrupted or from a newer format version."""


def _checksum(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def _text_checksum(text: np.ndarray) -> str:
    joined = "\0".join(str(v) for v in np.asarray(text, dtype=object).ravel())
    return hashlib.sha256(f"{np.shape(text)}:{joined}".encode()).hexdigest()


def _jsonable(config: Any) -> Any:
    if config is None:
        return None
    if hasattr(config, "model_dump"):  # pydantic model
        return config.model_dump(mode="json")
    return config


def provenance(config: Any = None, seed: int | None = None, threads: int | None = None) -> dict:
    """The attributes every results file carries: who wrote it, from what, when."""
    from mesolith import __version__, _core

    info = _core.build_info()
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "mesolith_version": __version__,
        "git_hash": info["git_hash"],
        "build_type": info["build_type"],
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "seed": -1 if seed is None else int(seed),
        "threads": int(threads if threads is not None else _core.max_threads()),
        "python": platform.python_version(),
        "host_platform": platform.platform(),
        "config": json.dumps(_jsonable(config), sort_keys=True, default=str),
    }


def _write_tree(group: h5py.Group, data: Mapping[str, Any], units: Mapping[str, str], prefix: str):
    for key, value in data.items():
        if "/" in key or not key:
            raise ValueError(f"results key {key!r}: must be a non-empty name without '/'")
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            _write_tree(group.create_group(key), value, units, path + "/")
            continue
        array = np.asarray(value)
        if array.dtype.kind in "USO":
            if not all(isinstance(v, (str, bytes, np.str_)) for v in array.ravel()):
                raise ValueError(f"results key {path!r}: cannot store an object array")
            text = np.asarray(array.astype(str), dtype=object)
            dset = group.create_dataset(key, data=text, dtype=h5py.string_dtype())
            dset.attrs["sha256"] = _text_checksum(text)
            continue
        compress = array.ndim > 0 and array.size >= 4096
        dset = group.create_dataset(
            key, data=array, compression="gzip" if compress else None, shuffle=compress or None
        )
        dset.attrs["sha256"] = _checksum(array)
        if path in units:
            dset.attrs["unit"] = units[path]


def write_results(
    path: str | Path,
    data: Mapping[str, Any],
    *,
    config: Any = None,
    seed: int | None = None,
    threads: int | None = None,
    attrs: Mapping[str, Any] | None = None,
    units: Mapping[str, str] | None = None,
) -> Path:
    """Write ``data`` (a possibly nested mapping of arrays/scalars) to an HDF5 file atomically.

    Parameters
    ----------
    path : path
        Target file; written to a temporary file first and renamed when complete.
    data : mapping
        ``{name: array | scalar | mapping}``; nested mappings become groups.
    config : pydantic model or dict, optional
        The configuration that produced the results, stored as JSON.
    seed, threads : int, optional
        Recorded as provenance.
    attrs : mapping, optional
        Extra root attributes (scalars or strings).
    units : mapping, optional
        ``{"group/dataset": "unit"}`` stored as each dataset's ``unit`` attribute.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> write_results("out.h5", {"x": np.arange(3.0)}, seed=1)  # doctest: +SKIP
    """
    target = Path(path)
    with atomic_output(target) as tmp:
        with h5py.File(tmp, "w") as fh:
            for key, value in provenance(config, seed, threads).items():
                fh.attrs[key] = value
            for key, value in (attrs or {}).items():
                if key in fh.attrs:
                    raise ValueError(f"attrs[{key!r}]: reserved provenance attribute")
                fh.attrs[key] = value
            _write_tree(fh, data, units or {}, "")
        _append_file_checksum(tmp)
    return target


# A whole-file SHA-256 after the HDF5 end-of-file address (HDF5 ignores bytes past it). It is
# checked before libhdf5 parses anything, because a damaged B-tree or heap can make libhdf5 loop
# forever instead of failing. Files edited with h5py lose it (libhdf5 truncates to its own end of
# file) and are then checked per dataset as before.
_TRAILER_TAG = b"\nmesolith-sha256 "
_TRAILER_SIZE = len(_TRAILER_TAG) + 64 + 1


def _file_sha256(path: Path, size: int) -> bytes:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while size > 0:
            chunk = fh.read(min(size, 1 << 24))
            if not chunk:
                break
            digest.update(chunk)
            size -= len(chunk)
    return digest.hexdigest().encode()


def _append_file_checksum(path: Path) -> None:
    digest = _file_sha256(path, path.stat().st_size)
    with open(path, "ab") as fh:
        fh.write(_TRAILER_TAG + digest + b"\n")


def _verify_file_checksum(path: Path) -> None:
    size = path.stat().st_size
    if size < _TRAILER_SIZE:
        return
    with open(path, "rb") as fh:
        fh.seek(size - _TRAILER_SIZE)
        trailer = fh.read()
    if not trailer.startswith(_TRAILER_TAG):
        return
    if _file_sha256(path, size - _TRAILER_SIZE) != trailer[len(_TRAILER_TAG) : -1]:
        raise ResultsFormatError(
            f"{path}: the file fails its checksum (corrupted or edited after it was written)"
        )


@dataclass
class ResultsFile:
    """What :func:`read_results` returns: datasets by path, root attributes, config."""

    path: Path
    data: dict[str, Any] = field(default_factory=dict)
    attrs: dict[str, Any] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)

    @property
    def config(self) -> Any:
        """The configuration stored with the results (decoded JSON)."""
        return json.loads(self.attrs.get("config", "null"))

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


def _attr_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.generic):
        return value.item()
    return value


def read_results(path: str | Path, verify: bool = True) -> ResultsFile:
    """Read a results file written by :func:`write_results`.

    Raises
    ------
    ResultsFormatError
        If the file is not HDF5, not a mesolith results file, from a newer
        format version, or a dataset's checksum does not match.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such results file")
    if verify:
        _verify_file_checksum(path)
    try:
        fh = h5py.File(path, "r")
    except OSError as exc:
        raise ResultsFormatError(
            f"{path}: not a readable HDF5 file (truncated or corrupted?): {exc}"
        ) from None
    with fh:
        try:
            return _read_open_file(fh, path, verify)
        except (RuntimeError, OSError, KeyError) as exc:
            # h5py reports damaged metadata as RuntimeError ("Object visitation failed",
            # "Error iterating over attributes") or OSError; both mean a broken file.
            raise ResultsFormatError(
                f"{path}: the file's structure is damaged (truncated or corrupted?): {exc}"
            ) from None


def _read_open_file(fh: h5py.File, path: Path, verify: bool) -> ResultsFile:
    attrs = {k: _attr_value(v) for k, v in fh.attrs.items()}
    if attrs.get("format") != FORMAT_NAME:
        raise ResultsFormatError(
            f"{path}: not a mesolith results file (format attribute = {attrs.get('format')!r})"
        )
    version = int(attrs.get("format_version", -1))
    if version > FORMAT_VERSION:
        raise ResultsFormatError(
            f"{path}: written with results format version {version}, newer than the "
            f"{FORMAT_VERSION} this mesolith reads; upgrade mesolith to read it"
        )
    if version < 1:
        raise ResultsFormatError(f"{path}: format_version = {version}: must be >= 1")
    result = ResultsFile(path=path, attrs=attrs)

    def visit(name: str, obj: Any) -> None:
        if not isinstance(obj, h5py.Dataset):
            return
        try:
            value = obj[()]
        except OSError as exc:
            raise ResultsFormatError(f"{path}: dataset {name!r} is unreadable: {exc}") from None
        if obj.dtype.kind == "O":
            text = np.asarray(obj.asstr()[()], dtype=object)
            actual = _text_checksum(text)
            value = str(text.item()) if text.ndim == 0 else text.astype(str)
        else:
            actual = _checksum(np.asarray(value))
        stored = _attr_value(obj.attrs.get("sha256", ""))
        if verify and stored != actual:
            raise ResultsFormatError(
                f"{path}: dataset {name!r} fails its checksum (file corrupted or edited)"
            )
        result.data[name] = value
        if "unit" in obj.attrs:
            result.units[name] = _attr_value(obj.attrs["unit"])

    fh.visititems(visit)
    return result
