"""Files a drying run writes: PDB topology, DCD frames, VTK particles; and reading them back.

Lengths in PDB and DCD are OpenMM's: one "Angstrom" is 0.1 um (:data:`~mesolith.md.units.
DCD_LENGTH`). The PDB B-factor column holds each bead's dry diameter in those units, so the
files alone carry what the analyses need (types, sizes, positions). Every file is written
through :func:`mesolith.io.atomic_output`.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from mesolith.io import atomic_output
from mesolith.io.vtk import write_points
from mesolith.md.slurry import AM

__all__ = ["read_pdb_topology", "universe", "write_pdb", "write_vtp"]

_NAMES = {0: "AM", 1: "CBD"}


def write_pdb(path: str | Path, types: np.ndarray, diameter: np.ndarray,
              positions: np.ndarray, box: np.ndarray, mass: np.ndarray) -> Path:
    """Write a PDB topology; ``diameter``, ``positions``, ``box`` in reduced units (um).

    Bead names are ``AM``/``CBD`` (also residue names), B-factor = diameter, occupancy =
    mass in reduced units / 1000 (0.1 ng). Serial numbers wrap at 100,000 as usual.
    """
    scale = 10.0  # reduced length -> PDB Angstrom
    lines = ["REMARK   1 mesolith md drying: 1 A = 0.1 um; B-factor = diameter [0.1 um]\n",
             "REMARK   2 occupancy = bead mass [1e-12 kg]\n",
             f"CRYST1{box[0] * scale:9.3f}{box[1] * scale:9.3f}{box[2] * scale:9.3f}"
             "  90.00  90.00  90.00 P 1           1\n"]
    for i, (t, d, p, m) in enumerate(zip(types, diameter, positions, mass, strict=True)):
        name = _NAMES[int(t)]
        x, y, z = p * scale
        lines.append(f"ATOM  {(i + 1) % 100000:5d} {name:<4s} {name:>3s} A{(i + 1) % 10000:4d}    "
                     f"{x:8.3f}{y:8.3f}{z:8.3f}{m / 1000:6.2f}{d * scale:6.2f}\n")
    lines.append("END\n")
    with atomic_output(path) as tmp:
        tmp.write_text("".join(lines))
    return Path(path)


def read_pdb_topology(path: str | Path) -> dict[str, np.ndarray]:
    """Names, types, diameters [PDB Angstrom], masses [reduced] and positions of a PDB
    written by :func:`write_pdb`."""
    names, diam, occ, pos = [], [], [], []
    for line in Path(path).read_text().splitlines():
        if line.startswith(("ATOM", "HETATM")):
            names.append(line[12:16].strip())
            pos.append([float(line[30:38]), float(line[38:46]), float(line[46:54])])
            occ.append(float(line[54:60]))
            diam.append(float(line[60:66]))
    names_a = np.array(names)
    return {"names": names_a, "types": np.where(names_a == "AM", 0, 1),
            "diameters": np.array(diam), "masses": np.array(occ) * 1000,
            "positions": np.array(pos)}


def universe(pdb: str | Path, dcd: str | Path | None = None):
    """An MDAnalysis ``Universe`` of our topology and (optionally) DCD trajectory.

    Atoms carry ``names``/``types`` (``AM``/``CBD``), ``radii`` (half the dry diameter,
    in the file's Angstrom = 0.1 um), ``masses`` (reduced units) and zero ``charges``.
    """
    import MDAnalysis as mda

    top = read_pdb_topology(pdb)
    n = len(top["names"])
    u = mda.Universe.empty(n, n_residues=n, atom_resindex=np.arange(n), trajectory=True)
    u.add_TopologyAttr("names", top["names"])
    u.add_TopologyAttr("types", top["names"])
    u.add_TopologyAttr("resnames", top["names"])
    u.add_TopologyAttr("radii", 0.5 * top["diameters"])
    u.add_TopologyAttr("masses", top["masses"])
    u.add_TopologyAttr("charges", np.zeros(n))
    if dcd is not None:
        from mesolith.io.dcd import check_dcd

        check_dcd(dcd, n_atoms=n, topology=pdb)  # one clear line instead of MDAnalysis' errors
        with warnings.catch_warnings():
            # MDAnalysis 2.x announces a future change of DCDReader's timestep copying
            # that does not affect reading frames in order.
            warnings.filterwarnings("ignore", message="DCDReader currently makes",
                                    category=DeprecationWarning)
            u.load_new(str(dcd), format="DCD")
    else:
        u.atoms.positions = top["positions"]
    return u


def write_vtp(path: str | Path, positions: np.ndarray, diameter: np.ndarray,
              types: np.ndarray) -> Path:
    """VTK PolyData (.vtp) of bead centres with ``radius``, ``diameter`` and ``phase``
    point data (1 = AM, 2 = CBD, the microstructure labels). Lengths as given (SI: m)."""
    diameter = np.asarray(diameter, dtype=np.float64)
    phase = np.where(np.asarray(types) == AM, 1, 2).astype(np.uint8)
    return write_points(path, positions,
                        {"radius": diameter / 2, "diameter": diameter, "phase": phase})
