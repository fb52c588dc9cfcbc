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

__all__ = ["read_pdb_topology", "universe", "write_dcd", "write_pdb"]

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


def write_pdb(path, positions, radii, species, species_names, box=None) -> Path:
    """A PDB topology for the DCD: one ATOM per particle, named after its species
    (residue name = first three letters, atom name = first four; no element, since
    these are coarse-grained beads); the species index is in the B-factor column and
    each species' radius [m] in a REMARK line; ``box`` (Lx, Ly, Lz) [m], when given, is
    written in a REMARK line and, where it fits the columns, a CRYST1 record.
    Coordinates [m] are written in Angstrom."""
    radii = as_array(radii, "radii", np.float64, ndim=1)
    x = as_array(positions, "positions", np.float64, shape=(radii.size, 3)) * ANGSTROM
    species = np.asarray(species)
    lines = ["REMARK   1 mesolith Brownian dynamics particles; lengths in Angstrom"]
    for k, name in enumerate(species_names):
        r = radii[species == k]
        if r.size:
            lines.append(f"REMARK   2 species {k} {name}: radius {r.mean():.9g} m")
    if box is not None:
        lines.append("REMARK   3 box " + " ".join(f"{float(v):.9g}" for v in box) + " m")
        edges = [f"{float(v) * ANGSTROM:9.3f}" for v in box]
        if all(len(e) == 9 for e in edges):  # CRYST1's fixed columns hold up to 10 um
            lines.append("CRYST1" + "".join(edges) + "  90.00  90.00  90.00 P 1           1")
    for i in range(radii.size):
        name = str(species_names[int(species[i])])
        atom = name[:4].upper()
        res = name[:3].upper()
        serial = (i + 1) % 100000
        resseq = (i + 1) % 10000
        lines.append(
            f"ATOM  {serial:5d} {atom:<4s} {res:>3s} A{resseq:4d}    "
            f"{_coord(x[i, 0])}{_coord(x[i, 1])}{_coord(x[i, 2])}  1.00{int(species[i]):6.2f}"
        )
    lines.append("END")
    target = Path(path)
    with atomic_output(target) as tmp:
        tmp.write_text("\n".join(lines) + "\n")
    return target


def read_pdb_topology(path) -> dict:
    """Species names, radii [Angstrom], positions [Angstrom] and box [Angstrom] (None
    without a box REMARK) of a PDB written by :func:`write_pdb`."""
    path = Path(path)
    species_names, species_radius, box = {}, {}, None
    index, positions = [], []
    for line in path.read_text().splitlines():
        if line.startswith("REMARK   2 species "):
            head, _, tail = line[len("REMARK   2 species "):].partition(": radius ")
            k, _, name = head.partition(" ")
            species_names[int(k)] = name
            species_radius[int(k)] = float(tail.split()[0]) * ANGSTROM
        elif line.startswith("REMARK   3 box "):
            box = np.array([float(v) for v in line.split()[3:6]]) * ANGSTROM
        elif line.startswith(("ATOM", "HETATM")):
            positions.append([float(line[30:38]), float(line[38:46]), float(line[46:54])])
            index.append(int(round(float(line[60:66]))))
    if not positions:
        raise ValueError(f"{path}: no ATOM records; not a topology written by mesolith.bd")
    unknown = sorted(set(index) - set(species_names))
    if unknown:
        raise ValueError(f"{path}: species index {unknown[0]} has no 'REMARK   2 species' line; "
                         "not a topology written by this version of mesolith.bd")
    index = np.array(index)
    return {"names": np.array([species_names[k] for k in index]),
            "radii": np.array([species_radius[k] for k in index]),
            "positions": np.array(positions), "box": box}


def universe(pdb, dcd=None):
    """An MDAnalysis ``Universe`` of a Brownian-dynamics topology and (optionally) DCD.

    Atoms carry ``names`` and ``types`` (the species names of the configuration) and
    ``radii``; lengths are in Angstrom, so pass ``length_unit=1e-10`` to the analyses of
    :mod:`mesolith.analysis`. The periodic box of the topology is set on every frame.

    Examples
    --------
    >>> sim.write_dcd("slurry.dcd")  # doctest: +SKIP
    >>> u = universe("slurry.pdb", "slurry.dcd")  # doctest: +SKIP
    >>> Contacts(u.atoms, am_name="NMC", length_unit=1e-10).run()  # doctest: +SKIP
    """
    import warnings

    import MDAnalysis as mda

    top = read_pdb_topology(pdb)
    n = top["names"].size
    u = mda.Universe.empty(n, n_residues=n, atom_resindex=np.arange(n), trajectory=True)
    u.add_TopologyAttr("names", top["names"])
    u.add_TopologyAttr("types", top["names"])
    u.add_TopologyAttr("radii", top["radii"])
    if dcd is not None:
        from mesolith.io.dcd import check_dcd

        check_dcd(dcd, n_atoms=n, topology=pdb)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="DCDReader currently makes",
                                    category=DeprecationWarning)
            u.load_new(str(dcd), format="DCD")
    else:
        u.atoms.positions = top["positions"]
    if top["box"] is not None:
        from MDAnalysis.transformations import set_dimensions

        u.trajectory.add_transformations(set_dimensions([*top["box"], 90.0, 90.0, 90.0]))
    return u
