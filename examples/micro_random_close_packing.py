"""Random close packing: grow monodisperse spheres in a periodic box until they jam.

Run: python examples/micro_random_close_packing.py   (about 15 s on 2 cores)
"""

import mesolith.micro as micro

print("seed  spheres  jammed fraction  sweeps")
for seed in range(3):
    ms = micro.pack_spheres(shape=(48, 48, 48), voxel_size=1e-6, mean_radius=4e-6,
                            radius_log_sigma=0.0, am_fraction=0.66, walls=False,
                            jam_sweeps=6000, max_sweeps=200_000, seed=seed)
    m = ms.metadata
    print(f"{seed:4d}  {len(ms.particles):7d}  {m['sphere_fraction']:15.4f}  {m['sweeps']:6d}")
print("random close packing of equal spheres: 0.637 (Scott & Kilgour 1969)")
