"""The ``micro`` recipe stage as a sequence of chunks that can be checkpointed and resumed.

The stage is cut into tasks run one per chunk, in a fixed order:

1. ``generate``: the structure generator. A dense sphere packing runs in chunks of
   :data:`PACKING_SWEEPS` relaxation sweeps, a spheroid packing in chunks of
   :data:`SPHEROID_STAGES` compression stages (the packer's state goes into the checkpoint);
   the Boolean and Gaussian-field generators are one chunk each.
2. ``cbd``, ``calender``: carbon-binder placement and calendering (one chunk each, skipped
   when the recipe does not ask for them).
3. ``basic`` (fractions, connectivity, surface areas), ``tau_e``, then per axis of
   ``properties.axes`` ``tortuosity``, ``conductivity`` and the electrolyte tortuosity with
   the nano-porous CBD: one transport solve per chunk.

A checkpoint holds the task reached, the packer state or the labelled volume (with its
particles and metadata) and the finished property results. Every task is deterministic and
the packings draw no random numbers after their initial placement (the spheroid packing's
FIRE minimiser starts afresh in every stage), so a run resumed from any checkpoint ends
bit-identical to an uninterrupted one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from mesolith.io.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from mesolith.micro.config import MicroConfig
from mesolith.micro.structure import Microstructure

__all__ = ["PACKING_SWEEPS", "SPHEROID_STAGES", "MicroRun", "micro_job"]

#: Relaxation sweeps of a sphere packing per chunk (a few ms each at 48^3, ~0.1 s at 256^3).
PACKING_SWEEPS = 50

#: Compression stages of a spheroid packing per chunk (about 20 stages in all; a 128^3
#: packing takes 3-8 s, so a chunk there is about a second).
SPHEROID_STAGES = 4

#: The generators that run in chunks through a compiled packer.
_CHUNKED = ("packing", "spheroids")

_ENGINE = "micro"


def _plain(value: Any) -> Any:
    """``value`` with numpy scalars, arrays and tuples made JSON types (floats exact)."""
    return json.loads(json.dumps(value, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class MicroRun:
    """One ``micro`` stage run, advanced a chunk at a time (see module docstring).

    Parameters
    ----------
    config : MicroConfig
        The recipe's ``[micro]`` section.
    seed : int
        The recipe's seed.
    """

    def __init__(self, config: MicroConfig, seed: int) -> None:
        self.config = config
        self.seed = int(seed)
        self.task = 0  # index into self.tasks of the next task to run
        self.chunks_done = 0
        self.packer = None
        self.structure: Microstructure | None = None
        self.pieces: dict[str, Any] = {}  # finished property results, JSON types

    @property
    def tasks(self) -> list[str]:
        """The task names in order; a task that does not apply is skipped when reached."""
        axes = ["xyz"[a] for a in self.config.properties.axes]
        names = ["generate", "cbd", "calender", "basic", "tau_e"]
        names += [f"{kind}:{a}" for a in axes for kind in ("tortuosity", "conductivity")]
        names += [f"electrolyte:{a}" for a in axes]
        return names

    @property
    def finished(self) -> bool:
        return self.task >= len(self.tasks)

    def estimated_chunks(self) -> int:
        """Chunks of the whole run, for the progress bar (packing sweeps are a guess)."""
        packing = {"packing": 1500 // PACKING_SWEEPS,
                   "spheroids": 24 // SPHEROID_STAGES}.get(self.config.generator, 0)
        return len(self.tasks) + packing

    def advance(self) -> bool:
        """Run one chunk (skipping tasks that do not apply); True once the stage is done."""
        while not self.finished:
            name = self.tasks[self.task]
            if name == "generate" and self.config.generator in _CHUNKED:
                if not self._pack_chunk():
                    self.chunks_done += 1
                    return False
                ran = True
            else:
                ran = self._run_task(name)
            self.task += 1
            if ran:
                self.chunks_done += 1
                break
        return self.finished

    # -- the tasks -----------------------------------------------------------------------

    def _new_packer(self):
        """A packer of the configured generator at its initial placement."""
        from mesolith.micro.generators import sphere_packer
        from mesolith.micro.spheroids import spheroid_packer

        if self.config.generator == "packing":
            return sphere_packer(self.config.packing, seed=self.seed)[1]
        return spheroid_packer(self.config.spheroids, seed=self.seed)[1]

    def _pack_chunk(self) -> bool:
        from mesolith.micro.generators import packed_structure
        from mesolith.micro.spheroids import packed_spheroid_structure

        if self.packer is None:
            self.packer = self._new_packer()
        # chunks end at whole multiples of the chunk length, a function of the state alone
        if self.config.generator == "packing":
            done = self.packer.advance(PACKING_SWEEPS - self.packer.sweep % PACKING_SWEEPS)
        else:
            done = self.packer.advance(SPHEROID_STAGES - self.packer.stages % SPHEROID_STAGES)
        if not done:
            return False
        if self.config.generator == "packing":
            ms = packed_structure(self.config.packing, self.seed, self.packer.result())
        else:
            ms = packed_spheroid_structure(self.config.spheroids, self.seed,
                                           self.packer.result())
        self._set_structure(ms)
        self.packer = None
        return True

    def _run_task(self, name: str) -> bool:
        from mesolith.micro.electrolyte import electrolyte_tortuosity
        from mesolith.micro.generators import (
            add_cbd,
            boolean_spheres,
            calender,
            gaussian_field_structure,
        )
        from mesolith.micro.properties import (
            basic_properties,
            electrode_tortuosity_of,
            wants_electrode_tortuosity,
        )
        from mesolith.micro.transport import effective_conductivity, tortuosity

        cfg, seed, ms = self.config, self.seed, self.structure
        props = cfg.properties
        kind, _, axis_name = name.partition(":")
        axis = "xyz".index(axis_name) if axis_name else None
        if name == "generate":
            make = {"boolean": lambda: boolean_spheres(cfg.boolean, seed=seed),
                    "field": lambda: gaussian_field_structure(cfg.field, seed=seed)}
            self._set_structure(make[cfg.generator]())
        elif name == "cbd":
            if not (cfg.cbd is not None and cfg.cbd.fraction > 0 and (
                    ms.particles is not None or cfg.cbd.mode == "agglomerate")):
                return False
            self._set_structure(add_cbd(ms, cfg.cbd, seed=seed))
        elif name == "calender":
            if cfg.calender is None:
                return False
            self._set_structure(calender(ms, cfg.calender))
        elif name == "basic":
            p = basic_properties(ms, surface_estimator=props.surface_estimator)
            self.pieces[name] = _plain({
                "voxel_size": p.voxel_size, "volume_fractions": p.volume_fractions,
                "porosity": p.porosity, "connected_porosity": p.connected_porosity,
                "percolation": p.percolation, "specific_surface_area": p.specific_surface_area,
                "surface_estimator": p.surface_estimator})
        elif name == "tau_e":
            if not wants_electrode_tortuosity(ms, props.axes):
                return False
            self.pieces[name] = _plain(
                electrode_tortuosity_of(ms, tol=props.rtol).as_dict())
        elif kind == "tortuosity":
            self.pieces[name] = _plain(
                tortuosity(ms.labels, phase=0, axis=axis, rtol=props.rtol).as_dict())
        elif kind == "conductivity":
            if not props.conductivities:
                return False
            self.pieces[name] = _plain(effective_conductivity(
                ms.labels, props.conductivities, axis=axis, rtol=props.rtol).conductivity)
        elif kind == "electrolyte":
            if "cbd_nanoporosity" not in ms.metadata:
                return False
            self.pieces[name] = _plain(
                electrolyte_tortuosity(ms, axis=axis, rtol=props.rtol).as_dict())
        else:  # pragma: no cover - the task list and this dispatch are written together
            raise AssertionError(f"unknown micro task {name!r}")
        return True

    def _set_structure(self, ms: Microstructure) -> None:
        # metadata in JSON types, as a restored checkpoint has them
        ms.metadata = _plain(ms.metadata)
        self.structure = ms

    # -- results -------------------------------------------------------------------------

    def properties(self):
        """The finished :class:`~mesolith.micro.properties.Properties` of the structure."""
        from mesolith.micro.properties import Properties
        from mesolith.micro.transport import ElectrodeTortuosityResult, TortuosityResult

        if not self.finished:
            raise RuntimeError("the micro stage has not finished yet")
        p = Properties(**self.pieces["basic"])
        if "tau_e" in self.pieces:
            p.electrode_tortuosity = ElectrodeTortuosityResult(**self.pieces["tau_e"])
        for a in self.config.properties.axes:
            x = "xyz"[a]
            p.tortuosity[x] = TortuosityResult(**self.pieces[f"tortuosity:{x}"])
            if f"conductivity:{x}" in self.pieces:
                p.conductivity[x] = self.pieces[f"conductivity:{x}"]
        return p

    def electrolyte(self) -> dict[str, dict]:
        """Electrolyte transport with the nano-porous CBD per axis name (empty without CBD)."""
        return {"xyz"[a]: self.pieces[f"electrolyte:{'xyz'[a]}"]
                for a in self.config.properties.axes
                if f"electrolyte:{'xyz'[a]}" in self.pieces}

    # -- checkpoints ---------------------------------------------------------------------

    def checkpoint(self, path: str | Path) -> Path:
        """Write everything needed to continue this run to ``path`` (HDF5, atomically)."""
        state: dict[str, Any] = {"task": np.int64(self.task),
                                 "chunks_done": np.int64(self.chunks_done),
                                 "pieces": json.dumps(self.pieces, sort_keys=True)}
        if self.packer is not None:
            state["packer"] = self.packer.state()  # arrays and scalars
        if self.structure is not None:
            ms = self.structure
            group = {"labels": ms.labels, "voxel_size": ms.voxel_size,
                     "phase_labels": np.array(list(ms.phases), np.int64),
                     "phase_names": np.array(list(ms.phases.values())),
                     "metadata": json.dumps(ms.metadata, sort_keys=True)}
            if ms.particles is not None:
                group["particles"] = ms.particles
            spheroids = getattr(ms, "spheroids", None)
            if spheroids is not None:
                group["spheroids"] = spheroids
            state["structure"] = group
        return save_checkpoint(path, _ENGINE, state, step=self.chunks_done,
                               config=self.config, seed=self.seed)

    @classmethod
    def restart(cls, path: str | Path) -> MicroRun:
        """A run continued from a checkpoint written by :meth:`checkpoint`.

        Raises
        ------
        CheckpointError
            If the file is corrupted, not a ``micro`` checkpoint, or its content does not
            fit its own configuration.
        """
        from pydantic import ValidationError

        from mesolith.io.hdf5 import ResultsFormatError, read_results

        path = Path(path)
        try:
            stored = read_results(path, verify=False)  # settings only; verified below
        except ResultsFormatError as exc:
            raise CheckpointError(f"checkpoint refused: {exc}") from None
        engine = stored.attrs.get("engine")
        if stored.attrs.get("kind") != "checkpoint" or engine != _ENGINE:
            raise CheckpointError(f"{path}: not a micro checkpoint (kind = "
                                  f"{stored.attrs.get('kind')!r}, engine = {engine!r})")
        try:
            config = MicroConfig.model_validate(stored.config)
        except ValidationError as exc:
            raise CheckpointError(f"{path}: its [micro] configuration is not valid: "
                                  f"{exc.errors()[0]['msg']}") from None
        ckpt = load_checkpoint(path, _ENGINE, config)
        run = cls(config, ckpt.seed)
        try:
            run._restore(ckpt.state)
        except (KeyError, ValueError, TypeError, json.JSONDecodeError) as exc:
            raise CheckpointError(f"{path}: the micro checkpoint's state is incomplete or "
                                  f"inconsistent ({type(exc).__name__}: {exc})") from None
        return run

    def _restore(self, state: dict) -> None:
        from mesolith.micro.spheroids import SpheroidStructure

        self.task = int(state["task"])
        self.chunks_done = int(state["chunks_done"])
        if not 0 <= self.task <= len(self.tasks):
            raise ValueError(f"task = {self.task} outside 0..{len(self.tasks)}")
        pieces = state["pieces"]
        self.pieces = json.loads(pieces.decode() if isinstance(pieces, bytes) else str(pieces))
        if "packer" in state:
            if self.config.generator not in _CHUNKED:
                raise ValueError(f"a packer state, but generator = {self.config.generator!r}")
            self.packer = self._new_packer()
            # tables as C-contiguous float64, scalars as Python int, float or bool
            self.packer.set_state(**{
                k: np.ascontiguousarray(v, np.float64) if np.ndim(v) else np.asarray(v).item()
                for k, v in state["packer"].items()})
        if "structure" in state:
            g = state["structure"]
            names = [n.decode() if isinstance(n, bytes) else str(n)
                     for n in np.atleast_1d(g["phase_names"])]
            phases = dict(zip((int(v) for v in np.atleast_1d(g["phase_labels"])), names,
                              strict=True))
            meta = g["metadata"]
            kwargs = {"phases": phases, "particles": g.get("particles"),
                      "metadata": json.loads(meta.decode() if isinstance(meta, bytes)
                                             else str(meta))}
            labels = np.ascontiguousarray(g["labels"], np.uint8)
            if "spheroids" in g:
                self.structure = SpheroidStructure(labels, float(g["voxel_size"]),
                                                   spheroids=np.asarray(g["spheroids"]),
                                                   **kwargs)
            else:
                self.structure = Microstructure(labels, float(g["voxel_size"]), **kwargs)
        started = self.task > 0 or self.packer is not None
        if started and self.structure is None and self.packer is None:
            raise ValueError("neither a packer state nor a structure")


def micro_job(config: MicroConfig, seed: int):
    """The :class:`~mesolith.reliability.resume.ResumableJob` of the ``micro`` stage."""
    from mesolith.reliability.resume import ResumableJob

    first = MicroRun(config, seed)
    return ResumableJob(
        engine=_ENGINE, start=lambda: MicroRun(config, seed), restart=MicroRun.restart,
        advance=lambda run: run.advance(), checkpoint=lambda run, p: run.checkpoint(p),
        chunks=first.estimated_chunks(), done_chunks=lambda run: run.chunks_done)
