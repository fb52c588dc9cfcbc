"""The hydrodynamic mobility on its own: two spheres from overlap to far apart, and the
finite-size correction of a periodic box (runs in about a second).

Prints the pair mobility along and across the line of centres (units of 1/(6 pi eta a))
and D(L)/D0 against Hasimoto's series.
"""

import numpy as np

from mesolith import bd

eta, a = 1e-3, 1e-6
print(" r/a   along   across   (two equal spheres, Zuk et al. 2014 RPY)")
for r in (0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0):
    m = bd.mobility([[0, 0, 0], [r * a, 0, 0]], [a, a], eta).matrix() * 6 * np.pi * eta * a
    print(f"{r:4.1f}  {m[0, 3]:.4f}  {m[1, 4]:.4f}")

print("\n L/a   D(L)/D0 (Ewald)   Hasimoto")
for box in (5.0, 10.0, 20.0):
    m = bd.mobility([[0, 0, 0]], [a], eta, box=box * a).matrix() * 6 * np.pi * eta * a
    x = 1 / box
    print(f"{box:4.0f}  {m[0, 0]:.6f}          {1 - 2.837297 * x + 4 * np.pi / 3 * x**3:.6f}")

# Brownian displacements of 500 random spheres: Lanczos M^(1/2) w vs the dense Cholesky L w
rng_positions = np.random.default_rng(0).uniform(0, 20e-6, (500, 3))
mob = bd.mobility(rng_positions, np.full(500, a), eta)
w = np.random.default_rng(1).normal(size=(500, 3))
y, info = mob.sqrt_apply(w, method="lanczos", tolerance=1e-4)
print(f"\nLanczos M^(1/2) w for 500 spheres: {info['iterations']} iterations")
