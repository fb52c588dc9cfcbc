"""Benchmark of the Brownian dynamics kernels against pystokes and a NumPy reference.

Side by side, in one process, on the same random configurations (monodisperse
spheres of radius 1 at volume fraction 0.1, since pystokes' RPY is monodisperse):

- the RPY mobility matrix-vector product: mesolith (matrix-free, OpenMP) vs
  pystokes ``unbounded.Rbm.mobilityTT`` vs NumPy (dense matrix times vector,
  assembly not counted);
- Brownian noise B w with B B^T = M: mesolith Lanczos (tolerance 1e-4) and
  mesolith dense Cholesky vs NumPy (assembly + ``numpy.linalg.cholesky`` + L w).

Writes benchmarks/RESULTS_bd.md (a markdown table) and RESULTS_bd.json.
Run: ``python benchmarks/bench_bd.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

from mesolith import _core, bd
from mesolith.bd.placement import random_sequential_placement

HERE = Path(__file__).resolve().parent


def best_time(func, repeat: int) -> float:
    """Shortest wall time of ``repeat`` calls (the least disturbed by other load)."""
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return float(best)


def configuration(n: int, seed: int = 1):
    """n non-overlapping unit spheres in a cube at volume fraction 0.1 (random sequential
    addition), and random forces. No overlaps, so pystokes' plain RPY applies too."""
    side = (n * 4.0 / 3.0 * np.pi / 0.1) ** (1 / 3)
    x = random_sequential_placement(np.ones(n), (side, side, side), seed)
    f = _core.bd.standard_normals(seed, 1, n)
    return x, np.ones(n), f


def numpy_rpy_matrix(x: np.ndarray, a: float, eta: float) -> np.ndarray:
    """Dense monodisperse RPY matrix with the overlap correction, vectorised NumPy."""
    n = x.shape[0]
    d = x[None, :, :] - x[:, None, :]
    r = np.linalg.norm(d, axis=-1)
    np.fill_diagonal(r, 1.0)
    rr = d[..., :, None] * d[..., None, :] / (r**2)[..., None, None]
    far = r > 2 * a
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(far, (1 + 2 * a * a / (3 * r * r)) / (8 * np.pi * eta * r),
                     (1 - 9 * r / (32 * a)) / (6 * np.pi * eta * a))
        g = np.where(far, (1 - 2 * a * a / (r * r)) / (8 * np.pi * eta * r),
                     (3 * r / (32 * a)) / (6 * np.pi * eta * a))
    np.fill_diagonal(f, 1 / (6 * np.pi * eta * a))
    np.fill_diagonal(g, 0.0)
    blocks = f[..., None, None] * np.eye(3) + g[..., None, None] * rr
    return blocks.transpose(0, 2, 1, 3).reshape(3 * n, 3 * n)


def pystokes_matvec(x, f, eta):
    try:
        import pystokes
    except ImportError:
        return None
    n = x.shape[0]
    rbm = pystokes.unbounded.Rbm(radius=1.0, particles=n, viscosity=eta)
    r = np.ascontiguousarray(x.T.ravel())  # pystokes layout: all x, then all y, then all z
    force = np.ascontiguousarray(f.T.ravel())

    def run():
        v = np.zeros(3 * n)
        rbm.mobilityTT(v, r, force)
        return v.reshape(3, n).T

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    args = parser.parse_args()
    eta = 1.0
    rows, noise_rows = [], []
    sizes = (500, 1000) if args.quick else (1000, 2000, 4000)
    for n in sizes:
        x, a, f = configuration(n)
        mob = bd.mobility(x, a, eta)
        ours = best_time(lambda mob=mob, f=f: mob.apply(f), 10)
        u_ours = mob.apply(f)
        py = pystokes_matvec(x, f, eta)
        py_t, py_err = None, None
        if py is not None:
            py_t = best_time(py, 10)
            py_err = float(np.abs(py() - u_ours).max() / np.abs(u_ours).max())
        np_t = np_full = None
        if n <= 2000:
            m = numpy_rpy_matrix(x, 1.0, eta)
            np_t = best_time(lambda m=m, f=f: m @ f.ravel(), 5)
            np_full = best_time(lambda x=x, f=f: numpy_rpy_matrix(x, 1.0, eta) @ f.ravel(), 2)
            assert np.allclose(m @ f.ravel(), u_ours.ravel(), rtol=1e-10, atol=1e-12)
        rows.append({"n": n, "mesolith_s": ours, "pystokes_s": py_t, "pystokes_rel_diff": py_err,
                     "numpy_dense_matvec_s": np_t, "numpy_assembly_matvec_s": np_full})
        print(rows[-1], flush=True)
    for n in sizes[:2]:
        x, a, f = configuration(n)
        mob = bd.mobility(x, a, eta)
        w = _core.bd.standard_normals(3, 0, n)
        lan = best_time(lambda mob=mob, w=w: mob.sqrt_apply(w, "lanczos", 1e-4), 3)
        iterations = mob.sqrt_apply(w, "lanczos", 1e-4)[1]["iterations"]
        chol = best_time(lambda mob=mob, w=w: mob.sqrt_apply(w, "cholesky"), 2)

        def numpy_noise(x=x, w=w):
            m = numpy_rpy_matrix(x, 1.0, eta)
            return np.linalg.cholesky(m) @ w.ravel()

        npc = best_time(numpy_noise, 1)
        # one full Ermak-McCammon step with HI (forces, M F, Lanczos noise) from the engine
        cfg = {"species": [{"name": "S", "radius": 1e-6, "density": 1000.0, "count": n}],
               "dt": 1e-4, "dlvo": False, "noise": "lanczos", "save_every": 10**6}
        sim = bd.Simulation(cfg, positions=x * 1e-6, seed=1)
        step = best_time(lambda sim=sim: sim.run(1, progress=False), 3)
        noise_rows.append({"n": n, "mesolith_lanczos_s": lan, "lanczos_iterations": iterations,
                           "mesolith_cholesky_s": chol, "numpy_cholesky_s": npc,
                           "mesolith_full_step_s": step})
        print(noise_rows[-1], flush=True)
    scaling = step_scaling(args.quick)
    write_results(rows, noise_rows, scaling)


def step_scaling(quick: bool) -> list[dict]:
    """Seconds per full BD step vs N: with HI (RPY + Lanczos, O(N^2) per product) and
    free draining (cell-list forces only, O(N))."""
    out = []
    hi_sizes = (500, 1000) if quick else (1000, 2000, 4000, 8000)
    fd_sizes = (1000, 10000) if quick else (1000, 10000, 100000)
    for hydro, sizes, steps in (("rpy", hi_sizes, 1), ("none", fd_sizes, 5)):
        for n in sizes:
            # simple cubic lattice at volume fraction 0.05 (spacing 4.37 radii)
            per_side = int(np.ceil(n ** (1 / 3)))
            grid = np.stack(np.meshgrid(*[np.arange(per_side)] * 3, indexing="ij"), -1)
            x = grid.reshape(-1, 3)[:n] * (4.0 / 3.0 * np.pi / 0.05) ** (1 / 3) * 1e-6
            cfg = {"species": [{"name": "S", "radius": 1e-6, "density": 1000.0, "count": n}],
                   "dt": 1e-4, "dlvo": False, "noise": "lanczos", "hydrodynamics": hydro,
                   "save_every": 10**6}
            sim = bd.Simulation(cfg, positions=x, seed=2)
            t = best_time(lambda sim=sim, steps=steps: sim.run(steps, progress=False), 2) / steps
            out.append({"n": n, "hydrodynamics": hydro, "seconds_per_step": t,
                        "lanczos_iterations": sim.lanczos_iterations})
            print(out[-1], flush=True)
    return out


def _fmt(v, unit="s"):
    if v is None:
        return "n/a"
    return f"{v * 1e3:.1f} ms" if unit == "s" and v < 1 else f"{v:.2f} s"


def _ratio(a, b):
    return "n/a" if a is None or b is None else f"{a / b:.1f}x"


def write_results(rows, noise_rows, scaling) -> None:
    info = _core.build_info()
    lines = [
        "# Brownian dynamics benchmark (benchmarks/bench_bd.py)",
        "",
        f"Machine: {platform.processor() or platform.machine()}, "
        f"{_core.max_threads()} OpenMP threads; mesolith {info['version']} "
        f"({info['build_type']}, native={info['native']}); shared machine, so timings are the "
        "best of several runs and still rough.",
        "",
        "## RPY mobility matrix-vector product (monodisperse, volume fraction 0.1)",
        "",
        "| N | mesolith | pystokes | pystokes / mesolith | NumPy dense M @ F | "
        "NumPy assembly + M @ F | (assembly + M @ F) / mesolith | max rel. diff. to pystokes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        diff = r["pystokes_rel_diff"]
        lines.append(
            f"| {r['n']} | {_fmt(r['mesolith_s'])} | {_fmt(r['pystokes_s'])} | "
            f"{_ratio(r['pystokes_s'], r['mesolith_s'])} | {_fmt(r['numpy_dense_matvec_s'])} | "
            f"{_fmt(r['numpy_assembly_matvec_s'])} | "
            f"{_ratio(r['numpy_assembly_matvec_s'], r['mesolith_s'])} | "
            f"{'n/a' if diff is None else format(diff, '.1e')} |"
        )
    lines += [
        "",
        "\"NumPy dense M @ F\" times only the product with an already assembled matrix "
        "(memory-bound BLAS, O(N^2) memory); the next column includes building it from the "
        "positions, which is what a BD step needs.",
        "",
        "## Brownian noise B w, B B^T = M",
        "",
        "| N | mesolith Lanczos (tol 1e-4) | iterations | mesolith Cholesky | "
        "NumPy assembly + Cholesky + L w | NumPy / mesolith Lanczos | "
        "NumPy / mesolith Cholesky | mesolith full BD step (HI, Lanczos) | "
        "NumPy noise / mesolith full step |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in noise_rows:
        lines.append(
            f"| {r['n']} | {_fmt(r['mesolith_lanczos_s'])} | {r['lanczos_iterations']} | "
            f"{_fmt(r['mesolith_cholesky_s'])} | {_fmt(r['numpy_cholesky_s'])} | "
            f"{_ratio(r['numpy_cholesky_s'], r['mesolith_lanczos_s'])} | "
            f"{_ratio(r['numpy_cholesky_s'], r['mesolith_cholesky_s'])} | "
            f"{_fmt(r['mesolith_full_step_s'])} | "
            f"{_ratio(r['numpy_cholesky_s'], r['mesolith_full_step_s'])} |"
        )
    lines += [
        "",
        "## Cost of one full BD step vs N (volume fraction 0.05)",
        "",
        "| N | hydrodynamics | seconds per step | Lanczos iterations |",
        "|---|---|---|---|",
    ]
    for r in scaling:
        lines.append(f"| {r['n']} | {r['hydrodynamics']} | {r['seconds_per_step']:.3g} | "
                     f"{r['lanczos_iterations'] or '-'} |")
    lines += [
        "",
        "Notes: pystokes 2.3.2 was built from source with pip in the same environment; its "
        "RPY has no overlap correction, so the configurations are non-overlapping and the last "
        "column of the first table shows that both codes compute the same product. The NumPy "
        "reference builds the same overlap-corrected RPY matrix vectorised and calls "
        "numpy.linalg.cholesky (OpenBLAS/LAPACK). mesolith's Cholesky is its own C++ code "
        "(no BLAS). The full BD step includes forces, M F and the Lanczos noise. The machine "
        "was shared with other heavy jobs while this ran: ratios can move by 2x between runs.",
    ]
    # keep the section that bench_bd_pse.py appends after its marker line
    marker = "<!-- bench_bd_pse.py writes below this line -->"
    old = (HERE / "RESULTS_bd.md").read_text() if (HERE / "RESULTS_bd.md").exists() else ""
    tail = "\n" + marker + old.split(marker, 1)[1] if marker in old else ""
    (HERE / "RESULTS_bd.md").write_text("\n".join(lines) + "\n" + tail)
    (HERE / "RESULTS_bd.json").write_text(json.dumps(
        {"matvec": rows, "noise": noise_rows, "step_scaling": scaling}, indent=2))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
