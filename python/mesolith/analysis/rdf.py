"""Radial distribution function between two groups of beads (periodic box)."""

from __future__ import annotations

import numpy as np
from MDAnalysis.analysis.base import AnalysisBase
from MDAnalysis.lib.distances import capped_distance

from mesolith.analysis._common import MD_LENGTH_UNIT, check_length_unit

__all__ = ["RDF"]


class RDF(AnalysisBase):
    """g(r) between ``group_a`` and ``group_b`` normalised by the ideal-gas pair count
    N_a N_b / V * shell volume (V from the box); self pairs are excluded.

    In a film the box volume includes empty space above it, so g(r) of a film is that of
    the box; use a ``range`` well below the film thickness.

    Results
    -------
    results.bins : ndarray   shell centres [m]
    results.rdf : ndarray    g(r)

    Examples
    --------
    >>> am = u.select_atoms("name AM")  # doctest: +SKIP
    >>> RDF(am, am, nbins=100, range=(0, 200)).run().results.rdf  # doctest: +SKIP
    """

    def __init__(self, group_a, group_b, nbins: int = 100, range=(0.0, 15.0),  # noqa: A002
                 length_unit: float = MD_LENGTH_UNIT, **kwargs):
        super().__init__(group_a.universe.trajectory, **kwargs)
        self._a, self._b = group_a, group_b
        self._edges = np.linspace(float(range[0]), float(range[1]), int(nbins) + 1)
        self._unit = check_length_unit(length_unit)
        self._same = set(group_a.ix.tolist()) == set(group_b.ix.tolist())

    def _prepare(self):
        self._counts = np.zeros(len(self._edges) - 1)
        self._norm = 0.0

    def _single_frame(self):
        pairs, dist = capped_distance(self._a.positions, self._b.positions,
                                      max_cutoff=self._edges[-1], box=self._ts.dimensions)
        keep = self._a.ix[pairs[:, 0]] != self._b.ix[pairs[:, 1]]
        self._counts += np.histogram(dist[keep], bins=self._edges)[0]
        dims = self._ts.dimensions
        volume = float(dims[0] * dims[1] * dims[2])
        n_pairs = self._a.n_atoms * self._b.n_atoms
        if self._same:
            n_pairs = self._a.n_atoms * (self._a.n_atoms - 1)
        self._norm += n_pairs / volume

    def _conclude(self):
        shell = 4.0 / 3.0 * np.pi * np.diff(self._edges**3)
        self.results.bins = 0.5 * (self._edges[1:] + self._edges[:-1]) * self._unit
        self.results.rdf = self._counts / (self._norm * shell)
