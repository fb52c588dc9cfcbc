"""Reproducible random numbers: the same (seed, stream, block) gives the same draws.

Run: python examples/rng_streams.py
"""

import numpy as np

from mesolith import _core

seed = 2024
# One stream per particle: particle 7's noise does not depend on how many
# particles there are or which thread computes it.
noise_particle_7 = _core.rng.normal(seed, 7, 3)
again = _core.rng.normal(seed, 7, 3)
assert np.array_equal(noise_particle_7, again)

# Continue a stream later (e.g. after a restart) by its block index: two normals per block.
first_ten = _core.rng.normal(seed, 7, 10)
last_four = _core.rng.normal(seed, 7, 4, block=3)
assert np.array_equal(first_ten[6:], last_four)

# Thread count does not change anything.
_core.set_num_threads(1)
one = _core.rng.uniform(seed, 0, 1_000_000)
_core.set_num_threads(2)
two = _core.rng.uniform(seed, 0, 1_000_000)
print("bit-identical with 1 and 2 threads:", one.tobytes() == two.tobytes())
print("particle 7 noise:", noise_particle_7)
