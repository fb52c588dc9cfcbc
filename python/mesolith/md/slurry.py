"""The wet slurry a drying run starts from: bead sizes, counts and a random non-overlapping
placement, drawn from mesolith's counter-based generator (Philox) so that a seed fixes it.

All lengths here are in reduced units (1 = 1 um, see :mod:`mesolith.md.units`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from mesolith import _core
from mesolith.md.config import DryingConfig
from mesolith.md.units import LENGTH, MASS

__all__ = ["AM", "CBD", "Slurry", "build_slurry", "place_spheres", "slurry_from_beads"]

AM, CBD = 0, 1  # bead types (also the CBD flag of each bead)

_STREAM_SIZES = 0
_STREAM_PLACE = 1000  # + attempt number


@dataclass
class Slurry:
    """Beads of a wet film in reduced units.

    ``diameter`` is the wet diameter (AM beads never change; CBD beads shrink towards
    ``diameter * dry_ratio``); ``mass`` is the dry solid mass of each bead, which is
    what drying conserves. ``inertia`` is the mass the integrator uses: every bead gets
    the AM density at its wet volume ("density scaling", common in quasi-static granular
    simulations), which keeps light CBD beads stable at the AM time step; drying here is
    quasi-static, so inertia only sets how fast beads relax, not where they end up.
    """

    types: np.ndarray  # int, (n,)
    diameter: np.ndarray  # (n,), wet
    mass: np.ndarray  # (n,), dry solid mass, reduced mass units
    inertia: np.ndarray  # (n,), mass given to the integrator (density-scaled), reduced
    positions: np.ndarray  # (n, 3)
    box_xy: float
    height: float  # initial wet film thickness H0
    dry_ratio: float  # CBD dry/wet diameter

    @property
    def n(self) -> int:
        return int(self.types.shape[0])

    def solid_volume(self) -> float:
        """Dry solid volume of all beads (AM + dry CBD), reduced units."""
        d = np.where(self.types == CBD, self.diameter * self.dry_ratio, self.diameter)
        return float(np.sum(np.pi / 6 * d**3))


def am_diameters(cfg: DryingConfig, seed: int) -> np.ndarray:
    """Lognormal AM diameters with the configured mean and sd, truncated to
    [0.3 mean, mean + 3 sd] (reduced units, sorted largest first)."""
    m, s = cfg.am_diameter / LENGTH, cfg.am_diameter_sd / LENGTH
    sigma2 = np.log1p((s / m) ** 2)
    z = _core.rng.normal(seed, _STREAM_SIZES, cfg.n_am)
    d = np.exp(np.log(m) - sigma2 / 2 + np.sqrt(sigma2) * z)
    d = np.clip(d, 0.3 * m, cfg.max_am_diameter / LENGTH)
    return np.sort(d)[::-1]


def place_spheres(diameter: np.ndarray, box_xy: float, height: float, seed: int,
                  max_tries: int = 20000) -> np.ndarray:
    """Random sequential addition of non-overlapping spheres in [0, L)^2 x [r, H - r].

    Periodic in x and y. Beads are placed in the given order (put large ones first).
    Attempt ``a`` of bead i tries 64 candidates from Philox stream ``1000 + a`` at
    the counter of bead i, so the result depends only on the seed and the sizes.
    Neighbours are found in a periodic KD-tree of the placed beads, rebuilt every few
    hundred placements, plus a brute-force check against the beads placed since.
    Raises ``ValueError`` if a bead finds no free place.
    """
    n = len(diameter)
    pos = np.zeros((n, 3))
    batch = 64
    zbox = 3.0 * height + 2.0 * float(diameter.max())  # no wrap in z
    tree, n_tree = None, 0
    draws: dict[int, np.ndarray] = {}
    padded = np.append(diameter, 0.0)  # index n = "no neighbour" from the tree query
    for i in range(n):
        r = 0.5 * diameter[i]
        if height < 2 * r:
            raise ValueError(f"film height {height:.3g} is below bead diameter {2 * r:.3g}")
        if i - n_tree > 256:
            tree = cKDTree(pos[:i] % [box_xy, box_xy, zbox], boxsize=[box_xy, box_xy, zbox])
            n_tree = i
        reach = r + 0.5 * float(diameter[:i].max()) if i else 0.0
        placed = False
        for block in range(max(1, max_tries // batch)):
            if block not in draws:  # attempt ``block`` of every bead, in one call
                draws[block] = _core.rng.uniform(
                    seed, _STREAM_PLACE + block, 3 * batch * n).reshape(n, batch, 3)
            cand = draws[block][i] * [box_xy, box_xy, height - 2 * r] + [0.0, 0.0, r]
            ok = np.ones(batch, bool)
            if i > n_tree:  # beads placed since the last tree build
                d = cand[:, None, :] - pos[None, n_tree:i, :]
                d[..., :2] -= box_xy * np.round(d[..., :2] / box_xy)
                gap = np.sqrt(np.einsum("cjk,cjk->cj", d, d)) - (r + 0.5 * diameter[n_tree:i])
                ok &= ~np.any(gap < 0, axis=1)
            if tree is not None and ok.any():
                dist, idx = tree.query(cand, k=min(64, n_tree), distance_upper_bound=reach)
                dist, idx = dist.reshape(batch, -1), idx.reshape(batch, -1)
                radius_j = 0.5 * padded[np.where(idx >= n_tree, n, idx)]
                ok &= ~np.any(dist - (r + radius_j) < 0, axis=1)
            if ok.any():
                pos[i] = cand[np.argmax(ok)]
                placed = True
                break
        if not placed:
            raise ValueError(
                f"could not place bead {i} of {n} without overlap: the wet film is too "
                "crowded; lower solids_volume_fraction or cbd_diameter_wet")
    return pos


def build_slurry(cfg: DryingConfig, seed: int | None = None) -> Slurry:
    """Sizes, masses and a random placement of AM and wet CBD beads for ``cfg``."""
    seed = cfg.seed if seed is None else seed
    d_am = am_diameters(cfg, seed)
    v_am = float(np.sum(np.pi / 6 * d_am**3))
    d_dry = cfg.cbd_diameter_dry / LENGTH
    d_wet = cfg.cbd_diameter_wet / LENGTH
    n_cbd = max(1, int(round(cfg.cbd_volume_ratio * v_am / (np.pi / 6 * d_dry**3))))
    types = np.concatenate([np.full(len(d_am), AM), np.full(n_cbd, CBD)])
    diameter = np.concatenate([d_am, np.full(n_cbd, d_wet)])
    density = np.where(types == AM, cfg.am_density, cfg.cbd_density)  # kg/m^3
    dry_d = np.where(types == CBD, d_dry, diameter)
    mass = density * np.pi / 6 * (dry_d * LENGTH) ** 3 / MASS
    box = cfg.box_xy / LENGTH
    v_solid = float(np.sum(np.pi / 6 * dry_d**3))
    height = v_solid / (box * box * cfg.solids_volume_fraction)
    inertia = cfg.am_density * np.pi / 6 * (diameter * LENGTH) ** 3 / MASS
    pos = place_spheres(diameter, box, height, seed)
    return Slurry(types, diameter, mass, inertia, pos, box, height, d_dry / d_wet)


def slurry_from_beads(cfg: DryingConfig, positions: np.ndarray, diameters: np.ndarray,
                      types: np.ndarray, box_xy: float) -> Slurry:
    """A starting slurry from given beads (SI units), e.g. the end state of the Brownian-
    dynamics slurry stage.

    Parameters
    ----------
    positions : ndarray, shape (n, 3)
        Bead centres [m]; z from the collector. The wet film height is taken as the
        highest bead top.
    diameters : ndarray, shape (n,)
        Wet diameters [m]; CBD beads shrink to ``cbd_diameter_dry / cbd_diameter_wet``
        of theirs.
    types : ndarray of int, shape (n,)
        0 = AM, 1 = CBD.
    box_xy : float
        Lateral periodic box edge [m].
    """
    from mesolith._arrays import as_array

    positions = as_array(positions, "positions", np.float64, ndim=2, finite=True)
    n = positions.shape[0]
    diameters = as_array(diameters, "diameters", np.float64, ndim=1, shape=(n,), finite=True)
    types = as_array(types, "types", np.int64, ndim=1, shape=(n,))
    if not np.all(np.isin(types, (AM, CBD))):
        raise ValueError("types: must be 0 (AM) or 1 (CBD)")
    pos = positions / LENGTH
    d = diameters / LENGTH
    if np.any(pos[:, 2] - 0.5 * d < 0):
        raise ValueError("positions: every bead must lie above the collector (z >= d/2)")
    ratio = cfg.cbd_diameter_dry / cfg.cbd_diameter_wet
    dry_d = np.where(types == CBD, d * ratio, d)
    density = np.where(types == AM, cfg.am_density, cfg.cbd_density)
    mass = density * np.pi / 6 * (dry_d * LENGTH) ** 3 / MASS
    inertia = cfg.am_density * np.pi / 6 * (d * LENGTH) ** 3 / MASS
    height = float(np.max(pos[:, 2] + 0.5 * d))
    pos[:, :2] %= box_xy / LENGTH
    return Slurry(types, d, mass, inertia, pos, box_xy / LENGTH, height, ratio)
