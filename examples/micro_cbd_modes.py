"""Carbon-binder placement modes and the electrolyte transport through the nano-porous CBD.

Run: python examples/micro_cbd_modes.py   (about 15 s on 2 cores)
"""

import mesolith.micro as micro

ms = micro.pack_spheres(shape=(40, 40, 48), voxel_size=0.5e-6, mean_radius=2e-6,
                        radius_log_sigma=0.25, am_fraction=0.5, seed=3)
print("mode         eps_pore  eps_total  tau(pores only)  tau(pores + CBD)  sigma_e [S/m]")
for mode in ("bridge", "film", "agglomerate"):
    s = micro.add_cbd(ms, fraction=0.10, mode=mode, nanoporosity=0.5,
                      agglomerate_size=1e-6, seed=3)
    pore_only = micro.tortuosity(s, phase=0, axis=2)
    both = micro.electrolyte_tortuosity(s, axis=2)  # D_CBD/D0 = 0.5^1.5 (Bruggeman)
    # Electronic conduction: AM 10 S/m, CBD 100 S/m, pores insulating.
    sigma = micro.effective_conductivity(s, {1: 10.0, 2: 100.0}, axis=2).conductivity
    print(f"{mode:11s}  {both.porosity_pore:8.3f}  {both.porosity_total:9.3f}  "
          f"{pore_only.tau_factor:15.2f}  {both.tau_factor:16.2f}  {sigma:13.3f}")
