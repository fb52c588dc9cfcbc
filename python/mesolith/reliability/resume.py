"""Run a stage in chunks with periodic checkpoints, and resume it after a crash.

A stage that supports this describes its engine as a :class:`ResumableJob`: how to
start a new simulation, how to restart one from a checkpoint, how to advance it by one
chunk and how to write a checkpoint. :func:`run_resumable` then

* writes a checkpoint (atomically) whenever ``checkpoint_interval`` wall-clock seconds
  have passed since the last one, always at a chunk boundary, and once more at the end;
* on ``resume=True`` continues from the stage's checkpoint if there is one, after
  checking that it belongs to the same configuration and seed;
* on Ctrl-C finishes the current chunk, writes a checkpoint and stops.

Because the chunk boundaries are a function of the simulation state alone (never of
the wall clock) and every engine draws its random numbers from counters in that state,
a run killed at any moment and resumed ends bit-identical to an uninterrupted run.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mesolith.interrupt import graceful_interrupt
from mesolith.io.checkpoint import CheckpointError, config_hash
from mesolith.progress import progress_bar

__all__ = ["ResumableJob", "checkpoint_path", "run_resumable", "run_stage_job"]


@dataclass
class ResumableJob:
    """How to drive one engine in resumable chunks.

    Attributes
    ----------
    engine : str
        Stage name (also the checkpoint's file name).
    start : callable () -> sim
        A new simulation at its initial state.
    restart : callable (path) -> sim
        A simulation restored from a checkpoint written by ``checkpoint``.
    advance : callable (sim) -> bool
        Run one chunk; return True once the stage has reached its end.
    checkpoint : callable (sim, path) -> Path
        Write the full state, atomically.
    chunks : int
        Number of chunks of the whole run (for the progress bar).
    done_chunks : callable (sim) -> int
        How many chunks ``sim`` has completed (for the progress bar of a resumed run).
    """

    engine: str
    start: Callable[[], Any]
    restart: Callable[[Path], Any]
    advance: Callable[[Any], bool]
    checkpoint: Callable[[Any, Path], Path]
    chunks: int
    done_chunks: Callable[[Any], int]


def checkpoint_path(output_dir: str | Path, engine: str) -> Path:
    """Where the stage ``engine`` keeps its checkpoint: ``<output_dir>/checkpoints/<engine>.h5``."""
    return Path(output_dir) / "checkpoints" / f"{engine}.h5"


def _check_same_run(sim: Any, config: Any, seed: int, path: Path, engine: str) -> None:
    if config_hash(sim.config) != config_hash(config) or int(sim.seed) != int(seed):
        raise CheckpointError(
            f"{path}: this {engine} checkpoint was written for a different [{engine}] "
            "configuration or seed than the recipe's; run without --resume to start over "
            "(the checkpoint is then replaced)"
        )


def run_resumable(job: ResumableJob, path: Path, *, config: Any, seed: int,
                  interval: float = 0.0, resume: bool = False, progress: bool = False,
                  notes: list[str] | None = None) -> Any:
    """Run ``job`` to its end with checkpoints every ``interval`` s of wall-clock time.

    Parameters
    ----------
    path : Path
        The checkpoint file.
    config, seed
        What the run must be: a checkpoint written for anything else is refused.
    interval : float
        Wall-clock seconds between checkpoints; 0 writes none (and resumes nothing).
    resume : bool
        Continue from ``path`` if it exists.
    notes : list, optional
        Receives one line per notable event (resumed from, checkpoint written).

    Returns
    -------
    The finished simulation object.

    Raises
    ------
    KeyboardInterrupt
        After Ctrl-C, once the checkpoint of the current chunk is written.
    CheckpointError
        If the checkpoint is corrupted, foreign, or of another configuration or seed.
    """
    notes = notes if notes is not None else []
    path = Path(path)
    if resume and path.exists():
        sim = job.restart(path)
        _check_same_run(sim, config, seed, path, job.engine)
        notes.append(f"resumed from {path}")
    else:
        sim = job.start()
    checkpointing = interval > 0
    last = _time.monotonic()
    with graceful_interrupt() as stop, \
            progress_bar(job.chunks, job.engine, enabled=progress) as bar:
        bar.advance(job.done_chunks(sim))
        finished = False
        while not finished:
            finished = job.advance(sim)
            bar.advance(1)
            if stop.requested and not finished:
                if not checkpointing:
                    raise KeyboardInterrupt
                job.checkpoint(sim, path)
                notes.append(f"stopped; checkpoint in {path}")
                raise KeyboardInterrupt(
                    f"stopped at a checkpoint ({path}); continue with `mesolith run --resume`")
            if checkpointing and not finished and _time.monotonic() - last >= interval:
                job.checkpoint(sim, path)
                last = _time.monotonic()
    if checkpointing:  # a resume after the end costs nothing
        job.checkpoint(sim, path)
    return sim


def run_stage_job(job: ResumableJob, recipe: Any, context: dict, config: Any) -> Any:
    """:func:`run_resumable` with the recipe's ``[run]`` settings and the pipeline context.

    The checkpoint goes to ``<output_dir>/checkpoints/<engine>.h5``; ``context["resume"]``
    (set by ``mesolith run --resume``) continues from it; notes go to ``context["notes"]``.
    """
    out = Path(recipe.run.output_dir or Path("results") / recipe.run.name)
    return run_resumable(
        job, checkpoint_path(out, job.engine), config=config, seed=recipe.run.seed,
        interval=float(recipe.run.checkpoint_interval), resume=bool(context.get("resume")),
        progress=bool(context.get("progress", False)), notes=context.setdefault("notes", []))
