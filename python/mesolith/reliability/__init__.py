"""Reliability tooling: resumable stage runs and the ``validate --reliability`` report."""

from mesolith.reliability.resume import ResumableJob, checkpoint_path, run_resumable

__all__ = ["ResumableJob", "checkpoint_path", "run_resumable"]
