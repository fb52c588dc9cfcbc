"""Check a DCD trajectory before an analysis reads it: particle count and completeness.

MDAnalysis reads CHARMM/NAMD DCD files; when the topology belongs to another run or the
file was cut short, its errors do not name both files. :func:`check_dcd` reads the
header (three Fortran records: ``CORD`` + 20 control integers, the title lines, the
particle count) and compares the file size with a whole number of frames, so the user
gets one clear line.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DcdHeader", "check_dcd", "read_dcd_header"]


@dataclass(frozen=True)
class DcdHeader:
    n_atoms: int
    n_frames: int  # whole frames present in the file
    frame_bytes: int
    header_bytes: int
    trailing_bytes: int  # bytes of an incomplete last frame (0 for a good file)


def _records(data: bytes, path: Path, endian: str, count: int) -> tuple[list[bytes], int]:
    out, pos = [], 0
    for _ in range(count):
        if pos + 4 > len(data):
            raise ValueError(f"{path}: truncated DCD header")
        (size,) = struct.unpack_from(endian + "i", data, pos)
        end = pos + 4 + size
        if size >= 0 and end + 4 > len(data):
            raise ValueError(f"{path}: truncated DCD header")
        if size < 0 or struct.unpack_from(endian + "i", data, end)[0] != size:
            raise ValueError(f"{path}: not a DCD file or its header is corrupted")
        out.append(data[pos + 4:end])
        pos = end + 4
    return out, pos


def read_dcd_header(path: str | Path) -> DcdHeader:
    """Parse the header of a CHARMM/NAMD DCD file (either byte order)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such DCD file")
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)  # the header is far smaller
    if len(head) < 8:
        raise ValueError(f"{path}: empty or truncated DCD file ({size} bytes)")
    endian = "<" if struct.unpack_from("<i", head)[0] == 84 else ">"
    if struct.unpack_from(endian + "i", head)[0] != 84 or head[4:8] != b"CORD":
        raise ValueError(f"{path}: not a DCD file (no CORD header)")
    (control, _title, natom), header_bytes = _records(head, path, endian, 3)
    icntrl = struct.unpack(endian + "20i", control[4:84])
    n_atoms = struct.unpack(endian + "i", natom)[0]
    if n_atoms <= 0:
        raise ValueError(f"{path}: DCD header says {n_atoms} particles")
    has_cell = icntrl[19] != 0 and icntrl[10] != 0  # CHARMM flavour with unit cell
    has_4d = icntrl[19] != 0 and icntrl[11] != 0
    frame = (56 if has_cell else 0) + (4 if has_4d else 3) * (4 * n_atoms + 8)
    body = size - header_bytes
    return DcdHeader(n_atoms=n_atoms, n_frames=body // frame, frame_bytes=frame,
                     header_bytes=header_bytes, trailing_bytes=body % frame)


def check_dcd(path: str | Path, n_atoms: int | None = None,
              topology: str | Path | None = None) -> DcdHeader:
    """Raise ``ValueError`` naming the files if ``path`` does not match ``n_atoms``
    particles (the topology's) or ends with an incomplete frame.

    Examples
    --------
    >>> check_dcd("trajectory.dcd", n_atoms=92, topology="trajectory.pdb")  # doctest: +SKIP
    """
    head = read_dcd_header(path)
    if n_atoms is not None and head.n_atoms != n_atoms:
        source = f"the topology {topology}" if topology else "the topology"
        raise ValueError(
            f"{path}: holds {head.n_atoms} particles per frame but {source} has {n_atoms}; "
            "the trajectory and topology are not from the same run")
    if head.trailing_bytes:
        raise ValueError(
            f"{path}: truncated: the last frame is incomplete ({head.trailing_bytes} of "
            f"{head.frame_bytes} bytes; {head.n_frames} whole frames before it)")
    return head
