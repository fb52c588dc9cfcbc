"""Validation of the Brownian dynamics engine against analytical results.

- two spheres: the mobility matrix vs the formulas of Zuk, Wajnryb, Mizerski,
  Szymczak (J. Fluid Mech. 741, R5, 2014), overlapping to far apart, equal and
  unequal radii, and the contact values 0.625 / 0.4375;
- one sphere: MSD gives the Stokes-Einstein D0 = kT / (6 pi eta a);
- fluctuation-dissipation: displacement covariance = 2 kT M dt (Cholesky, Lanczos);
- Lanczos M^(1/2) w vs the exact matrix square root at its tolerance;
- non-interacting spheres under gravity above a wall: barometric profile;
- periodic box, unequal radii (polydisperse Ewald RPY): each self block vs Hasimoto
  with its own radius, equal radii vs the equal-sphere sum, split independence, pair
  blocks tending to the free-space RPY as O(L^-3); Ewald dynamics of a two-radius
  mixture: per-species D(L)/D0 vs Hasimoto (slow).
"""

from __future__ import annotations

import numpy as np

from mesolith.validation.registry import Row, validation_case

__all__ = ["zuk_pair_block"]

ZUK = "Zuk et al., J. Fluid Mech. 741, R5 (2014)"


def zuk_pair_block(r_vec, ai: float, aj: float, eta: float) -> np.ndarray:
    """3x3 mobility block of two spheres, written directly from Zuk et al. (2014).

    An independent NumPy transcription of the three branches, used to check the
    compiled kernel.
    """
    r = float(np.linalg.norm(r_vec))
    eye = np.eye(3)
    if r <= abs(ai - aj):
        return eye / (6 * np.pi * eta * max(ai, aj))
    rr = np.outer(r_vec, r_vec) / r**2
    if r > ai + aj:
        s = (ai**2 + aj**2) / r**2
        return ((1 + s / 3) * eye + (1 - s) * rr) / (8 * np.pi * eta * r)
    d2 = (ai - aj) ** 2
    iso = 16 * r**3 * (ai + aj) - (d2 + 3 * r**2) ** 2
    aniso = 3 * (d2 - r**2) ** 2
    return (iso * eye + aniso * rr) / (6 * np.pi * eta * ai * aj * 32 * r**3)


# ---- measurements shared by the tests and the validation table -----------------------------

def _kT(temperature: float = 298.15) -> float:
    from mesolith.bd.units import BOLTZMANN

    return BOLTZMANN * temperature


def measure_single_sphere_diffusion(seed: int, steps: int = 20_000) -> tuple[float, float, float]:
    """One sphere (a = 1 um, water, 298.15 K): D from the mean squared displacement per
    step, D = <|dr|^2> / (6 dt). Returns (D_measured, D0, relative standard error)."""
    from mesolith import bd

    cfg = {"species": [{"name": "S", "radius": 1e-6, "density": 1000.0, "count": 1}],
           "dt": 1e-3, "dlvo": False, "save_every": 1}
    sim = bd.Simulation(cfg, seed=seed, positions=[[0.0, 0.0, 0.0]])
    sim.run(steps, progress=False)
    steps_sq = np.sum(np.diff(sim.trajectory[:, 0, :], axis=0) ** 2, axis=1)
    d_measured = float(steps_sq.mean() / (6 * cfg["dt"]))
    # each step gives three independent Gaussian components: var(dx^2) = 2 <dx^2>^2
    return d_measured, float(sim.diffusion_coefficients()[0]), float(np.sqrt(2 / (3 * steps)))


def displacement_covariance_error(seed: int, method: str, samples: int = 6000) -> float:
    """|| C - 2 kT M dt ||_F / || 2 kT M dt ||_F for sampled Brownian displacements of a
    five-sphere polydisperse cluster with overlapping and touching pairs."""
    from mesolith import _core, bd

    x = np.array([[0, 0, 0], [1.8, 0, 0], [0.5, 1.2, 0.2], [0, 0, 2.6], [3.5, 1.0, 1.0]]) * 1e-6
    radii = np.array([1.0, 0.9, 0.4, 0.6, 1.2]) * 1e-6
    kT, dt = _kT(), 1e-4
    m = bd.mobility(x, radii, 1e-3)
    target = 2 * kT * dt * m.matrix()
    disp = np.empty((samples, 15))
    for step in range(samples):
        w = _core.bd.standard_normals(seed, step, 5)
        bw, _ = m.sqrt_apply(w, method=method, tolerance=1e-8)
        disp[step] = np.sqrt(2 * kT * dt) * bw.ravel()
    cov = disp.T @ disp / samples
    return float(np.linalg.norm(cov - target) / np.linalg.norm(target))


def lanczos_error(seed: int, tolerance: float, n: int = 200) -> tuple[float, int]:
    """Relative error of Lanczos M^(1/2) w against the exact matrix square root, and the
    iterations used, for n random polydisperse spheres (many overlapping)."""
    from mesolith import _core, bd

    u = _core.rng.uniform(seed, 0, 4 * n).reshape(n, 4)
    m = bd.mobility(u[:, :3] * 6e-6 * (n / 200) ** (1 / 3), (0.3 + 0.7 * u[:, 3]) * 1e-6, 1e-3)
    w = _core.bd.standard_normals(seed, 0, n)
    y, info = m.sqrt_apply(w, method="lanczos", tolerance=tolerance)
    evals, evecs = np.linalg.eigh(m.matrix())  # symmetric: M^(1/2) = V diag(sqrt l) V^T
    ref = evecs @ (np.sqrt(evals) * (evecs.T @ w.ravel()))
    return float(np.linalg.norm(y.ravel() - ref) / np.linalg.norm(ref)), int(info["iterations"])


def _wall_energy_kT(gap: np.ndarray, epsilon_kT: float, d: float) -> np.ndarray:
    """The shifted WCA wall energy (see docs/theory/bd.md), in kT, for gaps z - a."""
    rho = gap + d
    out = np.zeros_like(gap)
    inside = rho < 2 ** (1 / 6) * d
    s6 = (d / rho[inside]) ** 6
    out[inside] = 4 * epsilon_kT * (s6 * s6 - s6) + epsilon_kT
    return out


def measure_sedimentation_length(seed: int, n: int = 1000, steps: int = 6000):
    """Non-interacting spheres (a = 1 um, 1200 kg/m^3, in water: l_g = 0.49 um) above a
    wall under gravity, started in equilibrium and run for ``steps`` x 0.5 ms (about
    three relaxation times l_g^2 / D0 for 6000 steps).

    Returns (measured mean height above contact, expected mean height, l_g, l_g from the
    slope of ln n(z), standard error of the mean). The expected mean follows from the
    Boltzmann distribution with the exact wall potential (l_g plus a shift of the order
    of the repulsion range); the slope is fitted where the wall no longer acts."""
    from mesolith import _core, bd
    from mesolith.bd.analysis import sedimentation_profile
    from mesolith.bd.units import BOLTZMANN

    a, rho_p, g, temperature = 1e-6, 1200.0, 9.81, 298.15
    cfg = bd.BDConfig(
        species=[{"name": "PS", "radius": a, "density": rho_p, "count": n}],
        hydrodynamics="none", dlvo=False, gravity=g, wall=True, repulsion_range=0.5,
        repulsion_energy_kT=2.0, temperature=temperature, dt=5e-4, save_every=50, max_drift=0.0)
    fluid = cfg.solvent_properties()["density"]
    kT = BOLTZMANN * temperature
    l_g = kT / ((rho_p - fluid) * 4 / 3 * np.pi * a**3 * g)
    # start in equilibrium: heights from the barometric law, on a wide lateral grid
    side = int(np.ceil(np.sqrt(n)))
    grid = np.stack(np.meshgrid(np.arange(side), np.arange(side)), -1).reshape(-1, 2)[:n]
    z0 = a + l_g * _core.rng.exponential(seed, 7, n)
    # 20 um apart laterally (area fraction 0.8 %): collisions, which would lift the layer,
    # stay rare over the run
    x0 = np.column_stack([grid * 20e-6, z0])
    sim = bd.Simulation(cfg, positions=x0, seed=seed)
    sim.run(steps, progress=False)
    if not np.isfinite(sim.positions).all() or sim.positions[:, 2].max() > 100 * l_g:
        raise RuntimeError("the barometric run went unstable; reduce dt")
    traj = sim.trajectory[1:]
    heights = traj[:, :, 2] - a
    # expected <z - a> under exp(-U_wall/kT - (z - a)/l_g)
    d = cfg.repulsion_range * a
    h = np.linspace(-0.8 * d, 30 * l_g, 400_001)  # below -0.8 d the weight is < e^-200
    weight = np.exp(-_wall_energy_kT(h, cfg.repulsion_energy_kT, d) - h / l_g)
    expected = float(np.trapezoid(h * weight, h) / np.trapezoid(weight, h))
    # frames are correlated over ~ l_g^2 / D0; count independent samples per particle
    d0 = sim.diffusion_coefficients()[0]
    independent = max(1.0, sim.time / (l_g**2 / d0))
    se = l_g / np.sqrt(n * independent)
    # slope of ln n(z) beyond the wall's reach (gap > 0.12 d), over three decades of n
    edges = np.linspace(0.2 * d, 0.2 * d + 5 * l_g, 26)
    lx, ly, _ = cfg.box
    _, density = sedimentation_profile(traj - np.array([0.0, 0.0, a]), np.zeros(n, int),
                                       lx * ly, bins=edges)
    counts = density[0] * (len(heights) * lx * ly * np.diff(edges))  # back to counts
    centres = 0.5 * (edges[1:] + edges[:-1])
    ok = counts > 20
    slope = np.polyfit(centres[ok], np.log(counts[ok]), 1, w=np.sqrt(counts[ok]))[0]
    return float(heights.mean()), expected, float(l_g), float(-1 / slope), float(se)


# ---- the validation table ------------------------------------------------------------------

@validation_case("bd", "two-sphere polydisperse RPY mobility")
def two_sphere_rows(seed: int) -> list[Row]:
    from mesolith import bd

    eta = 1e-3
    rows = []
    a = 1e-6
    m = bd.mobility([[0, 0, 0], [0, 0, 2 * a]], [a, a], eta).matrix() * 6 * np.pi * eta * a
    rows.append(Row("bd", "contact mobility parallel [1/(6 pi eta a)]", 0.625, m[2, 5], 1e-12,
                    ZUK))
    rows.append(Row("bd", "contact mobility perpendicular [1/(6 pi eta a)]", 0.4375, m[0, 3],
                    1e-12, ZUK))
    for ai, aj in [(1e-6, 1e-6), (1e-6, 0.3e-6)]:
        worst = 0.0
        for r in np.geomspace(0.05, 30, 200) * ai:
            x = np.array([[0, 0, 0], [r, 0.3 * r, -0.2 * r]]) / np.sqrt(1.13)
            block = bd.mobility(x, [ai, aj], eta).matrix()[0:3, 3:6]
            ref = zuk_pair_block(x[1] - x[0], ai, aj, eta)
            worst = max(worst, float(np.abs(block - ref).max() * 6 * np.pi * eta * aj))
        rows.append(Row("bd", f"max |M_12 - Zuk| [1/(6 pi eta a_j)], a_j/a_i = {aj / ai:g}",
                        0.0, worst, 1e-12, ZUK))
    return rows


@validation_case("bd", "Stokes-Einstein diffusion of one sphere")
def stokes_einstein_rows(seed: int) -> list[Row]:
    d, d0, se = measure_single_sphere_diffusion(seed, steps=50_000)
    return [Row("bd", "D / D0 (one sphere, MSD)", 1.0, d / d0, 4 * se,
                "Stokes-Einstein D0 = kT/(6 pi eta a); tolerance 4 standard errors")]


@validation_case("bd", "fluctuation-dissipation: covariance = 2 kT M dt", slow=True)
def fdt_rows(seed: int) -> list[Row]:
    k = 20_000
    return [Row("bd", f"||C - 2kT M dt|| / ||2kT M dt|| ({method}, K = {k})", 0.0,
                displacement_covariance_error(seed, method, k), 4 * np.sqrt(2 / k),
                "sampling error ~ sqrt(2/K); tolerance 4 sqrt(2/K)")
            for method in ("cholesky", "lanczos")]


@validation_case("bd", "Lanczos square root vs exact")
def lanczos_rows(seed: int) -> list[Row]:
    rows = []
    for tol in (1e-2, 1e-3, 1e-4, 1e-6):
        err, its = lanczos_error(seed, tol)
        rows.append(Row("bd", f"Lanczos rel. error at tol {tol:g} ({its} iterations)", 0.0, err,
                        5 * tol, "Ando, Chow, Saad, Skolnick, J. Chem. Phys. 137, 064106 (2012); "
                        "stopping rule bounds the last change, true error within 5x"))
    return rows


@validation_case("bd", "barometric sedimentation profile above a wall", slow=True)
def barometric_rows(seed: int) -> list[Row]:
    mean, expected, l_g, l_fit, se = measure_sedimentation_length(seed, n=2000, steps=20_000)
    ref = "n(z) ~ exp(-z/l_g), l_g = kT/(drho (4/3) pi a^3 g); 4 standard errors"
    return [Row("bd", "mean height above contact [m]", expected, mean, 4 * se, ref),
            Row("bd", "sedimentation length from ln n(z) slope [m]", l_g, l_fit,
                0.1 * l_g, ref + "; 10 % for the fit")]


@validation_case("bd", "periodic box: Hasimoto finite-size correction")
def hasimoto_rows(seed: int) -> list[Row]:
    from mesolith import bd

    a, eta = 1e-6, 1e-3
    rows = []
    for box_over_a in (5.0, 10.0, 20.0):
        m = bd.mobility([[0, 0, 0]], [a], eta, box=box_over_a * a).matrix()
        x = 1 / box_over_a
        rows.append(Row("bd", f"D(L)/D0 at L = {box_over_a:g} a (Ewald RPY)",
                        1 - 2.837297 * x + 4 * np.pi / 3 * x**3,
                        float(m[0, 0] * 6 * np.pi * eta * a), 1e-6,
                        "Hasimoto, J. Fluid Mech. 5, 317 (1959); Beenakker (1986) Ewald sum"))
    return rows


#: Hasimoto's cubic-lattice constant (J. Fluid Mech. 5, 317, 1959, which prints 2.837297),
#: to 15 digits; the periodic RPY self-mobility is 1 - XI_H a/L + (4 pi/3)(a/L)^3 exactly
#: for L > 2a (no higher terms for the RPY tensor).
XI_HASIMOTO = 2.837297479480620
BEENAKKER = "Beenakker, J. Chem. Phys. 85, 1581 (1986), with a^2 -> (a_i^2 + a_j^2)/2"


def hasimoto(a_over_l):
    """Periodic RPY self-mobility / Stokes mobility of a sphere of radius a in a box L."""
    return 1 - XI_HASIMOTO * a_over_l + 4 * np.pi / 3 * a_over_l**3


@validation_case("bd", "periodic box, unequal radii: polydisperse Ewald RPY")
def polydisperse_ewald_rows(seed: int) -> list[Row]:
    from mesolith import _core, bd

    eta, box = 1e-3, 10e-6
    rng = np.random.default_rng(seed)
    rows = []
    # self blocks of a polydisperse cloud (overlapping pairs included): Hasimoto per radius
    radii = np.array([0.5, 1.0, 2.0, 4.0]) * 1e-6
    x = rng.uniform(0, box, (4, 3))
    m = bd.PeriodicMobility(x, radii, eta, box, tolerance=1e-15).matrix()
    for i, a in enumerate(radii):
        rows.append(Row("bd", f"self D(L)/D0 at a/L = {a / box:g}, 4 unequal spheres",
                        float(hasimoto(a / box)),
                        float(m[3 * i, 3 * i] * 6 * np.pi * eta * a), 1e-10,
                        "Hasimoto (1959), each sphere's own radius; " + BEENAKKER))
    # equal radii: the equal-sphere Beenakker sum (same split, both converged), no overlaps
    xs = rng.uniform(0, 4 * box, (20, 3))
    xi = np.sqrt(np.pi) / (4 * box)
    ref = _core.bd.ewald_mobility_matrix(xs, 1e-7, eta, 4 * box, xi, 1e-16)
    poly = bd.PeriodicMobility(xs, np.full(20, 1e-7), eta, 4 * box, xi=xi,
                               tolerance=1e-16).matrix()
    rows.append(Row("bd", "equal radii: max |M - M_equal| / max |M|", 0.0,
                    float(np.abs(poly - ref).max() / np.abs(ref).max()), 1e-14,
                    "Beenakker (1986) equal-sphere sum"))
    # independence of the split parameter, unequal overlapping spheres
    xp, ap = rng.uniform(0, box, (16, 3)), rng.uniform(0.3, 2.2, 16) * 1e-6
    mats = [bd.PeriodicMobility(xp, ap, eta, box, xi=f * 3 / box, tolerance=1e-15).matrix()
            for f in (1.0, 0.4, 2.0)]
    spread = max(np.abs(mm - mats[0]).max() for mm in mats[1:]) / np.abs(mats[0]).max()
    rows.append(Row("bd", "split xi x0.4 ... x2: max relative change", 0.0, float(spread),
                    1e-10, "an Ewald sum does not depend on its split"))
    # pair block -> free-space polydisperse RPY: the remainder after Hasimoto's -XI_H / L
    # falls as L^-3
    xq = np.array([[0.0, 0.0, 0.0], [1.5e-6, 0.3e-6, 0.2e-6]])
    aq = np.array([0.5e-6, 1.5e-6])  # partly overlapping
    free = bd.mobility(xq, aq, eta).matrix()[:3, 3:]
    rest = []
    for box_over_a in (80, 160):
        big = box_over_a * 1e-6
        mq = bd.PeriodicMobility(xq, aq, eta, big, tolerance=1e-15).matrix()[:3, 3:]
        rest.append(np.abs(mq - free + XI_HASIMOTO / (6 * np.pi * eta * big) * np.eye(3)).max())
    rows.append(Row("bd", "pair block vs free-space Zuk RPY: remainder(L) / remainder(2L)",
                    8.0, float(rest[0] / rest[1]), 0.08,
                    "O(L^-3) after the -2.837297 / (6 pi eta L) backflow term; " + ZUK))
    return rows


def measure_ewald_mixture_diffusion(seed: int, steps: int, hydrodynamics: str = "ewald"
                                    ) -> list[tuple]:
    """Short-time self-diffusion per species of a dilute two-radius mixture (radii 1 and
    2 um, 6 + 3 spheres, cubic periodic box of 16 um, hydrodynamics = 'ewald' or 'pse').

    Returns, per species, (radius [m], expected D/D0 (Hasimoto), measured D/D0, standard
    error, steps used). Only steps that start with every force exactly zero count (DLVO
    off; the contact repulsion acts on touching spheres only): their displacement is pure
    noise, of covariance 2 kT dt M, whose self block is Hasimoto's with the particle's own
    radius whatever the other particles do. The standard error is that of the mean of the
    per-step species averages (the steps are independent draws).
    """
    from mesolith import bd

    a, box, dt = 1e-6, 16e-6, 0.02
    cfg = {"species": [{"name": "small", "radius": a, "density": 1000.0, "count": 6},
                       {"name": "large", "radius": 2 * a, "density": 1000.0, "count": 3}],
           "viscosity": 1e-3, "dt": dt, "dlvo": False, "hydrodynamics": hydrodynamics,
           "box": (box,) * 3, "save_every": max(steps, 1)}
    if hydrodynamics == "pse":
        cfg["pse_tolerance"] = 1e-5
    sim = bd.Simulation(cfg, seed=seed).run(steps, progress=False, record_every=1)
    frames = sim.trajectory
    engine = sim._engine
    free = np.array([not np.any(engine.forces(f / sim.units.length)[0]) for f in frames[:-1]])
    dx = np.diff(frames, axis=0)[free]
    d0 = sim.diffusion_coefficients()
    y = np.sum(dx**2, axis=2) / (6 * dt * d0[None, :])
    out = []
    for s, radius in enumerate((a, 2 * a)):
        ys = y[:, sim.species == s].mean(axis=1)
        out.append((radius, float(hasimoto(radius / box)), float(ys.mean()),
                    float(ys.std(ddof=1) / np.sqrt(ys.size)), int(ys.size)))
    return out


@validation_case("bd", "Ewald dynamics: a two-radius mixture diffuses at Hasimoto's D(L) "
                 "per species", slow=True)
def ewald_mixture_rows(seed: int, steps: int = 20_000) -> list[Row]:
    rows = []
    for radius, expected, measured, se, used in measure_ewald_mixture_diffusion(seed, steps):
        rows.append(Row("bd", f"Ewald BD: D(L)/D0 of a = {radius * 1e6:g} um spheres in a "
                        f"mixture, L = 16 um ({used} steps)", expected, measured,
                        4 * se, "Hasimoto (1959) per radius; 4 standard errors"))
    return rows


@validation_case("bd", "PSE dynamics: a two-radius mixture diffuses at Hasimoto's D(L) "
                 "per species", slow=True)
def pse_mixture_rows(seed: int, steps: int = 20_000) -> list[Row]:
    rows = []
    for radius, expected, measured, se, used in measure_ewald_mixture_diffusion(
            seed, steps, hydrodynamics="pse"):
        rows.append(Row("bd", f"PSE BD: D(L)/D0 of a = {radius * 1e6:g} um spheres in a "
                        f"mixture, L = 16 um ({used} steps)", expected, measured,
                        4 * se, "Hasimoto (1959) per radius; 4 standard errors"))
    return rows


@validation_case("bd", "reactive deposition vs Damkohler number")
def deposition_rows(seed: int) -> list[Row]:
    from mesolith.bd.deposition import deposition

    deposits = {da: deposition(da, walkers=400, cell_radii=12.0, seed=seed)
                for da in (3.9, 0.4, 0.04)}
    rows: list[Row] = []
    por = [deposits[da].porosity for da in (3.9, 0.4, 0.04)]
    ref = "Jacobson & Miller, arXiv 2204.01173: dendritic at high Da, compact at low"
    rows.append(Row("bd", "porosity falls with Da: "
                    + ", ".join(f"Da {da:g}: {p:.3f}" for da, p in zip((3.9, 0.4, 0.04), por,
                                                                       strict=True)),
                    1.0, float(por[0] > por[1] > por[2]), 0.0, ref))
    rough = [deposits[da].roughness / deposits[da].radius for da in (3.9, 0.4, 0.04)]
    # roughness of a single small deposit fluctuates (a tall dendrite or not), so only the
    # two ends of the range are compared
    rows.append(Row("bd", "roughness [a] higher at Da 3.9 than 0.04: "
                    + ", ".join(f"{r:.1f}" for r in rough), 1.0,
                    float(rough[0] > rough[2]), 0.0, ref))
    return rows


# ---- rigid-cluster aggregation, percolation, wall mobility ---------------------------------

DLCA_REF = ("Meakin, Phys. Rev. Lett. 51, 1119 (1983); Jullien & Kolb, J. Phys. A 17, L639 "
            "(1984): off-lattice DLCA d_f = 1.78")


def measure_dlca_fractal_dimension(seed: int, n: int, volume_fraction: float,
                                   runs: int) -> tuple[float, float, float]:
    """Pooled ``(d_f, k0, standard error of d_f)`` from ``Rg ~ N^(1/d_f)`` over ``runs``
    rigid-cluster DLCA runs (every cluster formed, Rg below a fifth of the box); the
    standard error is the spread of the per-run fits over sqrt(runs)."""
    from mesolith.bd.aggregation import aggregate, fit_fractal_dimension

    sizes, rgs, per_run = [], [], []
    for k in range(runs):
        res = aggregate(n, 1.0, volume_fraction, seed=seed * 1000 + k)
        keep = res.merges["radius_of_gyration"] < 0.2 * res.box
        sizes.append(res.merges["size"][keep])
        rgs.append(res.merges["radius_of_gyration"][keep])
        per_run.append(res.fractal_dimension()[0])
    d_f, k0 = fit_fractal_dimension(np.concatenate(sizes), np.concatenate(rgs))
    se = float(np.std(per_run, ddof=1) / np.sqrt(runs)) if runs > 1 else float("nan")
    return d_f, k0, se


@validation_case("bd", "DLCA fractal dimension (rigid clusters, N = 4000)", slow=True)
def dlca_rows(seed: int) -> list[Row]:
    # phi = 0.003: dilute enough that d_f is the phi -> 0 value; 3 runs x 4000 spheres give
    # a per-run SD of ~0.03, so +-0.1 is several standard errors.
    d_f, k0, _ = measure_dlca_fractal_dimension(seed, 4000, 0.003, 3)
    return [Row("bd", "DLCA fractal dimension d_f (Rg ~ N^(1/d_f), 3 x 4000 spheres)", 1.78,
                d_f, 0.1, DLCA_REF),
            Row("bd", "DLCA prefactor k0 (N = k0 (Rg/a)^d_f)", 1.3, k0, 0.3,
                "Sorensen, Aerosol Sci. Technol. 35, 648 (2001): k0 ~ 1.3 for DLCA")]


@validation_case("bd", "DLCA fractal dimension (rigid clusters, N = 600)")
def dlca_fast_rows(seed: int) -> list[Row]:
    d_f, _, se = measure_dlca_fractal_dimension(seed, 600, 0.005, 4)
    # per-run SD ~0.10 at this size: the pooled value is good to ~0.05 (3 SE = 0.15)
    return [Row("bd", f"DLCA d_f, 4 x 600 spheres (SE {se:.2f})", 1.78, d_f, 0.15, DLCA_REF)]


RT_REF = "Rintoul & Torquato, J. Phys. A 30, L585 (1997): overlapping spheres eta_c = 0.3418"


@validation_case("bd", "percolation threshold of overlapping spheres (periodic wrapping)")
def overlapping_sphere_rows(seed: int) -> list[Row]:
    from mesolith.bd.percolation import ETA_C_OVERLAPPING_SPHERES, overlapping_sphere_threshold

    # 20 realisations in a cube of 20 radii: SE ~0.007; measured finite-size shift of the
    # first-wrapping density < 0.01 from L = 20 on, so 0.025 is ~3 SE plus the shift.
    eta, se = overlapping_sphere_threshold(20.0, 20, seed=seed, axis=None)
    return [Row("bd", f"eta_c of overlapping spheres, L = 20 a (SE {se:.3f})",
                ETA_C_OVERLAPPING_SPHERES, eta, 0.025, RT_REF),
            Row("bd", "phi_c = 1 - exp(-eta_c)", 0.2895, float(1 - np.exp(-eta)), 0.02, RT_REF)]


@validation_case("bd", "carbon-black aggregate percolation vs aggregate size", slow=True)
def aggregate_percolation_rows(seed: int) -> list[Row]:
    from mesolith.bd.percolation import aggregate_percolation_threshold

    # A trend, not a literature number: DLCA aggregates (penetrable, contact within 0.05 a)
    # span the box at lower loading the more primaries they hold (higher CB "structure").
    res = [aggregate_percolation_threshold(n0, box, 8, seed=seed)
           for n0, box in ((1, 30.0), (8, 40.0), (32, 72.0))]
    etas = [r["eta"] for r in res]
    text = ", ".join(f"{r['primaries']}: {r['eta']:.3f}+-{r['eta_se']:.3f}" for r in res)
    return [Row("bd", f"eta_c falls with primaries per aggregate ({text})", 1.0,
                float(etas[0] > etas[1] > etas[2]), 0.0,
                "Balberg, Carbon 40, 139 (2002): higher-structure carbon blacks percolate at "
                "lower loading")]


WALL_REF = ("Ermak & McCammon (1978) drift kT div M; Brenner, Chem. Eng. Sci. 16, 242 (1961) "
            "/ Bevan & Prieve (2000) wall mobility")


def measure_wall_boltzmann(seed: int, n: int = 256, sample_time: float = 3.0,
                           dt: float = 2e-3, drift: bool = True) -> dict:
    """Non-interacting spheres (reduced units: a = 1, kT = 1, mu_0 = 1, so time in
    a^2/D0) above a no-slip wall with the wall-corrected mobility, under a weight of
    kT/a (sedimentation length l_g = a), started near equilibrium and run 1 + sample_time
    time units. Returns the fraction of time spent within half a radius of contact (gap
    h < 0.5 a) and the mean gap, each with the Boltzmann expectation
    exp(-U_wall/kT - h/l_g); standard errors over the independent particles."""
    from mesolith import _core

    side = int(np.ceil(np.sqrt(n)))
    grid = np.stack(np.meshgrid(np.arange(side), np.arange(side)), -1).reshape(-1, 2)[:n]
    # 20 radii apart laterally: over the run (lateral rms ~4 a) no two particles meet
    x0 = np.column_stack([grid * 20.0, 1.05 + _core.rng.exponential(seed, 7, n)])
    p = _core.bd.ForceParams()
    p.repulsion_energy, p.repulsion_range, p.wall = 2.0, 0.5, True
    weight = np.zeros((n, 3))
    weight[:, 2] = -1.0
    it = _core.bd.Integrator(x0, np.ones(n), np.zeros(n, dtype=np.int32), weight, p, kT=1.0,
                             viscosity=1.0 / (6.0 * np.pi), dt=dt, shear_rate=0.0,
                             hydrodynamics="none", noise="cholesky", tolerance=1e-4,
                             max_iterations=50, seed=seed, max_drift=0.0)
    it.set_wall_mobility(True, drift)
    it.run(int(round(1.0 / dt)))  # relax: l_g^2 / D0 = 1
    every = max(1, int(round(0.05 / dt)))
    frames = []
    for _ in range(int(round(sample_time / dt)) // every):
        it.run(every)
        frames.append(it.positions[:, 2] - 1.0)
    h = np.array(frames)
    if not np.isfinite(h).all():
        raise RuntimeError("the wall run went unstable; reduce dt")
    near = (h < 0.5).mean(axis=0)  # per particle: independent samples
    mean = h.mean(axis=0)
    g = np.linspace(-0.4, 40.0, 400_001)
    w = np.exp(-_wall_energy_kT(g, 2.0, 0.5) - g)
    z = np.trapezoid(w, g)
    return {"near": float(near.mean()), "near_se": float(near.std(ddof=1) / np.sqrt(n)),
            "near_expected": float(np.trapezoid(w * (g < 0.5), g) / z),
            "mean": float(mean.mean()), "mean_se": float(mean.std(ddof=1) / np.sqrt(n)),
            "mean_expected": float(np.trapezoid(w * g, g) / z)}


@validation_case("bd", "Boltzmann distribution near a no-slip wall needs kT div M")
def wall_drift_rows(seed: int) -> list[Row]:
    with_drift = measure_wall_boltzmann(seed, n=400, sample_time=4.0)
    without = measure_wall_boltzmann(seed, n=400, sample_time=4.0, drift=False)
    return [
        Row("bd", f"time within 0.5 a of the wall, with drift (SE {with_drift['near_se']:.3f})",
            with_drift["near_expected"], with_drift["near"], 4 * with_drift["near_se"], WALL_REF),
        Row("bd", f"mean gap / a, with drift (SE {with_drift['mean_se']:.3f})",
            with_drift["mean_expected"], with_drift["mean"], 4 * with_drift["mean_se"], WALL_REF),
        Row("bd", "time within 0.5 a, WITHOUT drift: exceeds Boltzmann by > 10 SE (1 = yes; "
            f"measured {without['near']:.3f})", 1.0,
            float(without["near"] - without["near_expected"] > 10 * without["near_se"]), 0.0,
            WALL_REF),
    ]


@validation_case("bd", "periodic RPY by positively split Ewald (PSE)")
def pse_rows(seed: int) -> list[Row]:
    from mesolith import _core, bd
    from mesolith.bd.pse import PseMobility

    a, eta = 1e-6, 1e-3
    rows = []
    ref_fiore = "Fiore, Balboa Usabiaga, Donev, Swan, J. Chem. Phys. 146, 124116 (2017)"
    # M F against the dense Beenakker Ewald sum (converged to 1e-12), random overlapping
    # cloud of 200 spheres in a 20 a box; error bounded by the requested tolerance
    n, box = 200, 20 * a
    x = _core.rng.uniform(seed, 0, 3 * n).reshape(n, 3) * box
    f = _core.bd.standard_normals(seed, 0, n)
    ref = bd.mobility(x, np.full(n, a), eta, box=box).apply(f)
    for tol in (1e-3, 1e-4, 1e-6):
        u = PseMobility(x, np.full(n, a), eta, box, tolerance=tol).apply(f)
        err = float(np.linalg.norm(u - ref) / np.linalg.norm(ref))
        rows.append(Row("bd", f"PSE M F rel. error vs dense Ewald at tol {tol:g}", 0.0, err,
                        tol, ref_fiore + "; Beenakker (1986)"))
    for box_over_a in (5.0, 10.0, 20.0):
        m = PseMobility([[0.0, 0.0, 0.0]], [a], eta, box_over_a * a, tolerance=1e-6)
        s = 1 / box_over_a
        rows.append(Row("bd", f"D(L)/D0 at L = {box_over_a:g} a (PSE, tol 1e-6)",
                        1 - 2.837297 * s + 4 * np.pi / 3 * s**3,
                        float(m.apply([[1.0, 0, 0]])[0, 0] * 6 * np.pi * eta * a), 1e-6,
                        "Hasimoto, J. Fluid Mech. 5, 317 (1959)"))
    # fluctuation-dissipation of the PSE noise: sample covariance of K draws vs M
    xs = np.array([[1.0, 1.0, 1.0], [3.1, 1.2, 0.8], [1.5, 3.0, 1.4], [6.0, 6.0, 6.0]]) * a
    m = PseMobility(xs, np.full(4, a), eta, 8 * a, tolerance=1e-5, lanczos_tolerance=1e-8)
    target = m.matrix()
    k = 4000
    samples = np.array([m.brownian(seed=seed, step=s).ravel() for s in range(k)])
    cov = samples.T @ samples / k
    rel = float(np.linalg.norm(cov - target) / np.linalg.norm(target))
    rows.append(Row("bd", f"PSE noise covariance vs M, rel. error ({k} samples)", 0.0, rel,
                    float(4 * np.sqrt(2 / k)), ref_fiore + "; FDT, sampling error ~ sqrt(2/K)"))
    return rows


def polydisperse_cloud(seed: int, n: int, ratio: float, box: float, a: float = 1e-6):
    """Random (overlapping) cloud in a box of edge ``box``: 15 % of the spheres of radius
    ratio * a, the rest a, all radii spread by a factor up to 1.3 (deterministic per seed)."""
    from mesolith import _core

    x = _core.rng.uniform(seed, 0, 3 * n).reshape(n, 3) * box
    u = _core.rng.uniform(seed, 1, 2 * n)
    radii = a * np.where(u[:n] < 0.15, ratio, 1.0) * (1.0 + 0.3 * u[n:])
    return x, radii


def pse_polydisperse_self_blocks(seed: int) -> list[tuple[float, float]]:
    """(a/L, 6 pi eta a M_ii) of every sphere of a 12-sphere cloud with radii 0.5 to 6 um
    in a 40 um box (overlaps included), PSE at tolerance 1e-6."""
    from mesolith import _core
    from mesolith.bd.pse import PseMobility

    n, box, eta = 12, 40e-6, 1e-3
    x = _core.rng.uniform(seed, 0, 3 * n).reshape(n, 3) * box
    radii = np.linspace(0.5e-6, 6e-6, n)
    m = PseMobility(x, radii, eta, box, tolerance=1e-6).matrix()
    return [(float(a / box), float(m[3 * i, 3 * i] * 6 * np.pi * eta * a))
            for i, a in enumerate(radii)]


@validation_case("bd", "periodic RPY of unequal spheres by PSE")
def pse_polydisperse_rows(seed: int) -> list[Row]:
    from mesolith import _core, bd
    from mesolith.bd.pse import PseMobility

    eta = 1e-3
    rows = []
    ref = "Fiore et al. (2017) split with t_i(k) = 1 - k^2 a_i^2 / 6; dense Ewald (Beenakker 1986)"
    # M F against the dense polydisperse Ewald sum for radius ratios 3, 10 and 20
    for ratio in (3.0, 10.0, 20.0):
        box = (3 * ratio + 20) * 1e-6
        x, radii = polydisperse_cloud(seed, 120, ratio, box)
        f = _core.bd.standard_normals(seed, 0, 120)
        dense = bd.mobility(x, radii, eta, box=box).apply(f)
        for tol in (1e-4, 1e-6):
            u = PseMobility(x, radii, eta, box, tolerance=tol).apply(f)
            err = float(np.linalg.norm(u - dense) / np.linalg.norm(dense))
            rows.append(Row("bd", f"PSE M F rel. error vs dense Ewald, radius ratio {ratio:g}, "
                            f"tol {tol:g}", 0.0, err, tol, ref))
    # self blocks: Hasimoto per radius whatever the neighbours (ratio 12, overlaps included);
    # tolerance 10 x the requested 1e-6, which bounds the norm of M F, not single entries
    for a_over_l, measured in pse_polydisperse_self_blocks(seed):
        rows.append(Row("bd", f"PSE self mobility / Stokes at a/L = {a_over_l:.3f} (unequal "
                        "radii, tol 1e-6)", float(hasimoto(a_over_l)), measured, 1e-5,
                        "Hasimoto (1959), each sphere's own radius; " + ref))
    # noise covariance of a close two-size cluster vs its PSE matrix
    xs = np.array([[1.0, 1.0, 1.0], [4.2, 1.2, 0.8], [1.5, 3.1, 1.4], [7.0, 7.0, 7.0]]) * 1e-6
    rs = np.array([1.0, 2.0, 1.0, 2.5]) * 1e-6
    m = PseMobility(xs, rs, eta, 12e-6, tolerance=1e-5, lanczos_tolerance=1e-8)
    target = m.matrix()
    k = 4000
    samples = np.array([m.brownian(seed=seed, step=s).ravel() for s in range(k)])
    cov = samples.T @ samples / k
    rel = float(np.linalg.norm(cov - target) / np.linalg.norm(target))
    rows.append(Row("bd", f"PSE (unequal radii) noise covariance vs M, rel. error ({k} "
                    "samples)", 0.0, rel, float(4 * np.sqrt(2 / k)),
                    ref + "; FDT, sampling error ~ sqrt(2/K)"))
    return rows



@validation_case("bd", "PSE dynamics: one sphere in a periodic box diffuses at Hasimoto's D(L)",
                 slow=True)
def pse_dynamics_rows(seed: int, steps: int = 20_000) -> list[Row]:
    from mesolith import bd

    a, box_over_a = 1e-6, 5.0
    cfg = {"species": [{"name": "S", "radius": a, "density": 1000.0, "count": 1}],
           "dt": 1e-3, "dlvo": False, "hydrodynamics": "pse", "pse_tolerance": 1e-5,
           "box": (box_over_a * a,) * 3, "save_every": 1}
    sim = bd.Simulation(cfg, positions=[[a, a, a]], seed=seed).run(steps, progress=False)
    # Steps are independent Gaussians: D = <|dx|^2> / (6 dt), relative standard error
    # sqrt(2 / (3 K)) for K steps of 3 components.
    dx = np.diff(sim.trajectory[:, 0, :], axis=0)
    d = float(np.mean(np.sum(dx**2, axis=1)) / (6 * cfg["dt"]))
    d0 = float(sim.diffusion_coefficients()[0])
    s = 1 / box_over_a
    expected = 1 - 2.837297 * s + 4 * np.pi / 3 * s**3
    se = expected * np.sqrt(2 / (3 * steps))
    return [Row("bd", f"PSE BD: D(L)/D0 of one sphere at L = {box_over_a:g} a ({steps} steps)",
                expected, d / d0, float(4 * se),
                "Hasimoto, J. Fluid Mech. 5, 317 (1959); 4 standard errors")]
