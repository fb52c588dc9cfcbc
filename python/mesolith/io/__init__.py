"""Results I/O: HDF5 with provenance and checksums, written atomically."""

from mesolith.io.atomic import atomic_output
from mesolith.io.checkpoint import (
    Checkpoint,
    CheckpointError,
    config_hash,
    load_checkpoint,
    save_checkpoint,
)
from mesolith.io.hdf5 import (
    FORMAT_VERSION,
    ResultsFile,
    ResultsFormatError,
    provenance,
    read_results,
    write_results,
)

__all__ = [
    "Checkpoint",
    "CheckpointError",
    "config_hash",
    "load_checkpoint",
    "save_checkpoint",
    "FORMAT_VERSION",
    "ResultsFile",
    "ResultsFormatError",
    "atomic_output",
    "provenance",
    "read_results",
    "write_results",
]
