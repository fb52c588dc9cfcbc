"""Local thickness against its definition, by brute force on small random volumes."""

import numpy as np
import pytest
from scipy import ndimage

from mesolith import _core


@pytest.mark.parametrize("seed", [0, 1])
def test_local_thickness_equals_brute_force_ball_painting(seed):
    # Definition: the largest diameter 2 R(c) over balls centred on phase voxels c, with R the
    # exact Euclidean distance to the nearest other-phase voxel centre, that contain the voxel.
    # The compiled version paints only balls not inside a neighbour's ball; that pruning and
    # its column-wise painting must not change a single value (exact comparison).
    rng = np.random.default_rng(seed)
    mask = ndimage.gaussian_filter(rng.random((24, 20, 18)), 2.5) > 0.5
    got = _core.micro.local_thickness(mask.view(np.uint8))
    radius = ndimage.distance_transform_edt(mask)
    points = np.indices(mask.shape).reshape(3, -1).T
    inside = mask.ravel()
    expected = np.zeros(mask.size, np.float32)
    for c in np.argwhere(mask):
        r = radius[tuple(c)]
        ball = (((points - c) ** 2).sum(axis=1) <= r * r) & inside
        expected[ball] = np.maximum(expected[ball], np.float32(2 * r))
    np.testing.assert_array_equal(got.ravel(), expected)
