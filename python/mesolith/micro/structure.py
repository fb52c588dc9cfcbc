"""The labelled voxel volume every structure generator, importer and MD drying run produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mesolith._arrays import as_array

__all__ = ["PHASES", "Microstructure"]

#: Default phase labels of an electrode volume.
PHASES = {0: "pore", 1: "AM", 2: "CBD"}


@dataclass
class Microstructure:
    """A labelled voxel volume.

    Parameters
    ----------
    labels : ndarray of uint8, shape (nx, ny, nz)
        Phase label of each voxel, indexed ``[x, y, z]``; z runs from the
        current collector (z = 0) to the separator.
    voxel_size : float
        Edge length of a voxel in metres.
    phases : dict of int to str
        Name of each label; defaults to ``{0: "pore", 1: "AM", 2: "CBD"}``.
    particles : ndarray of float, shape (n, 4), optional
        Centres and radii ``x, y, z, r`` in metres of the particles a generator placed
        (coordinates from the volume's corner; periodic images are not listed).
    metadata : dict, optional
        Scalars and strings describing how the volume was made (generator, seed, targets).

    Examples
    --------
    >>> ms = Microstructure(np.zeros((4, 4, 4), np.uint8), voxel_size=1e-6)
    >>> ms.volume_fractions()["pore"]
    1.0
    """

    labels: np.ndarray
    voxel_size: float
    phases: dict[int, str] = field(default_factory=lambda: dict(PHASES))
    particles: np.ndarray | None = None
    metadata: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.labels = as_array(self.labels, "labels", np.uint8, ndim=3)
        if not (np.isfinite(self.voxel_size) and self.voxel_size > 0):
            raise ValueError(f"voxel_size = {self.voxel_size!r}: must be > 0 m and finite")
        self.voxel_size = float(self.voxel_size)
        if self.particles is not None:
            self.particles = as_array(self.particles, "particles", np.float64,
                                      shape=(None, 4), allow_empty=True)
        unknown = set(np.unique(self.labels).tolist()) - set(self.phases)
        if unknown:
            raise ValueError(
                f"labels: values {sorted(unknown)} are not among the phases {self.phases}"
            )

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(int(n) for n in self.labels.shape)

    @property
    def size_m(self) -> tuple[float, float, float]:
        """Edge lengths of the volume in metres."""
        return tuple(n * self.voxel_size for n in self.shape)

    def volume_fractions(self) -> dict[str, float]:
        """Volume fraction of each phase (voxel counts over total)."""
        counts = np.bincount(self.labels.ravel(), minlength=max(self.phases) + 1)
        total = self.labels.size
        return {name: float(counts[label]) / total for label, name in self.phases.items()}

    def save(self, path: str | Path, **provenance) -> Path:
        """Write the volume to an HDF5 results file (atomically)."""
        from mesolith.io import write_results

        group = {"labels": self.labels, "voxel_size": self.voxel_size,
                 "phase_labels": np.array(list(self.phases)),
                 "phase_names": np.array(list(self.phases.values()))}
        units = {"microstructure/voxel_size": "m"}
        if self.particles is not None:
            group["particles"] = self.particles
            units["microstructure/particles"] = "m"
        attrs = dict(provenance.pop("attrs", None) or {})
        attrs.update({f"micro.{k}": v for k, v in self.metadata.items()})
        return write_results(path, {"microstructure": group}, units=units, attrs=attrs,
                             **provenance)

    @classmethod
    def load(cls, path: str | Path) -> Microstructure:
        """Read a volume written by :meth:`save`."""
        from mesolith.io import read_results

        res = read_results(path)
        names = [str(n) for n in np.atleast_1d(res["microstructure/phase_names"])]
        labels = [int(v) for v in np.atleast_1d(res["microstructure/phase_labels"])]
        particles = res.data.get("microstructure/particles")
        metadata = {k[len("micro."):]: v for k, v in res.attrs.items() if k.startswith("micro.")}
        return cls(res["microstructure/labels"], float(res["microstructure/voxel_size"]),
                   dict(zip(labels, names, strict=True)), particles=particles, metadata=metadata)
