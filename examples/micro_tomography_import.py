"""Import a segmented tomogram (TIFF stack or raw volume) and compute its properties.

The "tomogram" here is written from a generated structure with grey values 0 / 128 / 255, as
a segmentation tool would export it; point the readers at your own files instead.

Run: python examples/micro_tomography_import.py [output_dir]   (about 15 s on 2 cores)
"""

import sys
from pathlib import Path

import numpy as np

import mesolith.micro as micro
from mesolith.io import atomic_output
from mesolith.micro.volume_io import read_raw, read_tiff

out = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/results/micro_tomography")
out.mkdir(parents=True, exist_ok=True)

ms = micro.add_cbd(micro.pack_spheres(shape=(48, 48, 64), voxel_size=0.4e-6, mean_radius=2e-6,
                                      am_fraction=0.5, seed=5), fraction=0.08, seed=5)
grey = np.array([0, 255, 128], np.uint8)[ms.labels]  # pore 0, AM 255, CBD 128
stack_zyx = grey.transpose(2, 1, 0)                  # TIFF pages are z slices (ny, nx)

import tifffile  # noqa: E402 (the optional TIFF dependency, used only to write the demo file)

with atomic_output(out / "scan.tif") as tmp:
    tifffile.imwrite(tmp, stack_zyx)
with atomic_output(out / "scan.raw") as tmp:
    stack_zyx.astype("<u2").tofile(tmp)

phase_map = {0: 0, 255: 1, 128: 2}
tomo = read_tiff(out / "scan.tif", voxel_size=0.4e-6, phase_map=phase_map)
raw = read_raw(out / "scan.raw", (64, 48, 48), 0.4e-6, dtype="<u2", phase_map=phase_map)
assert np.array_equal(tomo.labels, ms.labels) and np.array_equal(raw.labels, ms.labels)

p = micro.properties(tomo, axes=(2,))
e = micro.electrolyte_tortuosity(tomo, axis=2, nanoporosity=0.5)
print(f"porosity {p.porosity:.3f}, connected {p.connected_porosity:.3f}")
print(f"S_V(AM-pore) {p.specific_surface_area['AM-pore']:.4g} 1/m")
print(f"tau_z (pores) {p.tortuosity['z'].tau_factor:.2f}, "
      f"tau_z (pores + CBD, eps_nano 0.5) {e.tau_factor:.2f}")
