"""Initial particle positions: random sequential addition without overlaps.

Candidates come from the counter-based generator (``_core.rng``) on a stream
reserved for placement, so positions depend only on the seed.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from mesolith import _core

__all__ = ["random_sequential_placement"]

_PLACEMENT_STREAM = 0xB0_0000_0000  # far above any particle index used for the noise


def random_sequential_placement(radii: np.ndarray, box, seed: int, gap: float = 0.0,
                                max_attempts: int = 200_000) -> np.ndarray:
    """Place spheres of ``radii`` [m] inside ``box`` (three edges [m]) without overlap.

    Larger spheres go first; each candidate is rejected if it comes within
    ``gap`` of a placed surface. Raises ``ValueError`` if the box is too full.
    """
    radii = np.asarray(radii, dtype=np.float64)
    box = np.asarray(box, dtype=np.float64)
    order = np.argsort(-radii, kind="stable")
    out = np.empty((radii.size, 3))
    placed_pos: list[np.ndarray] = []
    placed_rad: list[float] = []
    a_max = float(radii.max())
    tree = None
    tree_size = 0
    block = 0
    for idx in order:
        a = radii[idx]
        lo = np.minimum(a, box / 2)
        hi = np.maximum(box - a, box / 2)
        for _attempt in range(max_attempts):
            u = _core.rng.uniform(seed, _PLACEMENT_STREAM, 4, block)[:3]
            block += 2
            x = lo + u * (hi - lo)
            ok = True
            if placed_pos:
                if tree is not None:
                    near = tree.query_ball_point(x, a + a_max + gap)
                    for j in near:
                        if np.linalg.norm(placed_pos[j] - x) < a + placed_rad[j] + gap:
                            ok = False
                            break
                if ok:
                    for j in range(tree_size, len(placed_pos)):
                        if np.linalg.norm(placed_pos[j] - x) < a + placed_rad[j] + gap:
                            ok = False
                            break
            if ok:
                break
        else:
            raise ValueError(
                f"could not place particle {idx} (radius {a:.3g} m) without overlap in box "
                f"{tuple(float(b) for b in box)} m: the box is too full; enlarge bd.box"
            )
        out[idx] = x
        placed_pos.append(x)
        placed_rad.append(float(a))
        if len(placed_pos) - tree_size > 64:  # rebuild the search tree now and then
            tree = cKDTree(np.array(placed_pos))
            tree_size = len(placed_pos)
    return out
