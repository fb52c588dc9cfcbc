"""Trajectories as CHARMM/NAMD DCD files plus a PDB topology.

DCD is a sequence of Fortran unformatted records (each framed by its byte
length as a 32-bit integer): an 84-byte header starting with ``CORD``, a title
block, the atom count, then per frame the x, y and z coordinates as float32 in
Angstrom. The header's 20 control integers follow the CHARMM layout (frames,
first step, save interval, total steps, ..., time step as float32 in AKMA time
units at position 10, CHARMM version 24 at position 20).
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from mesolith._arrays import as_array
from mesolith.io import atomic_output

__all__ = ["write_dcd", "write_pdb"]

ANGSTROM = 1e10  # Angstrom per metre
AKMA_TIME = 4.888821e-14  # seconds per AKMA time unit


def _record(fh, payload: bytes) -> None:
    marker = struct.pack("<i", len(payload))
    fh.write(marker + payload + marker)


def write_dcd(path, trajectory, timestep: float, save_interval: int = 1,
              title: str = "mesolith Brownian dynamics") -> Path:
    """Write frames (F, N, 3) [m] as a DCD file (Angstrom), atomically.

    Parameters
    ----------
    path : path
    trajectory : (F, N, 3) array [m]
    timestep : float
        Time between frames [s] (stored in AKMA units as the DCD convention requires).
    save_interval : int
        Steps between frames (informational).

    Examples
    --------
    >>> write_dcd("traj.dcd", np.zeros((2, 3, 3)), timestep=1e-6)  # doctest: +SKIP
    """
    traj = as_array(trajectory, "trajectory", np.float64, ndim=3)
    frames, n, three = traj.shape
    if three != 3:
        raise ValueError(f"trajectory: must have shape (F, N, 3), got {traj.shape}")
    control = [0] * 20
    control[0] = frames  # NSET
    control[1] = 0  # ISTART
    control[2] = int(save_interval)  # NSAVC
    control[3] = frames * int(save_interval)  # NSTEP
    control[19] = 24  # CHARMM version: marks the CHARMM flavour of the format
    header = bytearray(b"CORD" + struct.pack("<20i", *control))
    header[4 + 9 * 4: 4 + 10 * 4] = struct.pack("<f", timestep / AKMA_TIME)  # DELTA
    lines = [title, "lengths in Angstrom; written by mesolith.bd"]
    title_block = struct.pack("<i", len(lines)) + b"".join(
        line.encode("ascii", "replace")[:80].ljust(80) for line in lines)
    target = Path(path)
    with atomic_output(target) as tmp, open(tmp, "wb") as fh:
        _record(fh, bytes(header))
        _record(fh, title_block)
        _record(fh, struct.pack("<i", n))
        coords = (traj * ANGSTROM).astype("<f4")
        for frame in coords:
            for axis in range(3):
                _record(fh, np.ascontiguousarray(frame[:, axis]).tobytes())
    return target


def _coord(value: float) -> str:
    for digits in (3, 2, 1, 0):
        text = f"{value:8.{digits}f}"
        if len(text) == 8:
            return text
    raise ValueError(f"coordinate {value} Angstrom does not fit a PDB field")


def write_pdb(path, positions, radii, species, species_names) -> Path:
    """A PDB topology for the DCD: one ATOM per particle, named after its species
    (residue name = first three letters, atom name = first four; no element, since
    these are coarse-grained beads); radii [m] are listed in REMARK lines.
    Coordinates [m] are written in Angstrom."""
    radii = as_array(radii, "radii", np.float64, ndim=1)
    x = as_array(positions, "positions", np.float64, shape=(radii.size, 3)) * ANGSTROM
    species = np.asarray(species)
    lines = ["REMARK   1 mesolith Brownian dynamics particles; lengths in Angstrom"]
    for k, name in enumerate(species_names):
        r = radii[species == k]
        if r.size:
            lines.append(f"REMARK   2 species {k} {name}: radius {r.mean():.6g} m")
    for i in range(radii.size):
        name = str(species_names[int(species[i])])
        atom = name[:4].upper()
        res = name[:3].upper()
        serial = (i + 1) % 100000
        resseq = (i + 1) % 10000
        lines.append(
            f"ATOM  {serial:5d} {atom:<4s} {res:>3s} A{resseq:4d}    "
            f"{_coord(x[i, 0])}{_coord(x[i, 1])}{_coord(x[i, 2])}  1.00  0.00"
        )
    lines.append("END")
    target = Path(path)
    with atomic_output(target) as tmp:
        tmp.write_text("\n".join(lines) + "\n")
    return target
