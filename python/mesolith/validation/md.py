"""Validation of the MD engine: OpenMM set up through mesolith against literature results."""

from __future__ import annotations

from mesolith.validation.registry import Row, validation_case

JZG_REF = "Johnson, Zollweg, Gubbins, Mol. Phys. 78, 591 (1993), MBWR EOS"

#: State point of the LJ check: a dense supercritical fluid inside the EOS fit range.
LJ_DENSITY = 0.7
LJ_TEMPERATURE = 2.0


@validation_case("md", "Lennard-Jones fluid vs the JZG equation of state", slow=True)
def lj_state_point(seed: int) -> list[Row]:
    """512 particles, r_c = 3 sigma with tail corrections, 40,000 production steps.

    Measured block-averaged standard errors at this size are about 0.1 % (energy) and
    0.6 % (pressure), so the 2 % tolerance the issue asks for is > 3 standard errors.
    """
    from mesolith.md.jzg import jzg_energy, jzg_pressure
    from mesolith.md.ljfluid import LJFluid

    fluid = LJFluid(8, LJ_DENSITY, LJ_TEMPERATURE, cutoff=3.0, seed=seed)
    res = fluid.run(equilibration=4000, production=40000, sample_every=20)
    u_ref = jzg_energy(LJ_DENSITY, LJ_TEMPERATURE)
    p_ref = jzg_pressure(LJ_DENSITY, LJ_TEMPERATURE)
    where = f"rho*={LJ_DENSITY}, T*={LJ_TEMPERATURE}: "
    return [
        Row("md", "LJ U/N (" + where.rstrip(": ") + ")", u_ref, res.energy_per_particle,
            0.02 * abs(u_ref), JZG_REF),
        Row("md", "LJ P* (" + where.rstrip(": ") + ")", p_ref, res.pressure,
            0.02 * abs(p_ref), JZG_REF),
    ]


#: System of the NMP-vs-water comparison (about 250 beads, 11,000 steps per run).
COMPARISON_SIZE = dict(n_am=40, box_xy=24e-6, steps=10_000, relax_steps=1_000,
                       trajectory_interval=2_000)
REVIEW_REF = "seed review, CGMD section (Yao et al. 2023): water-based lower"


@validation_case("md", "NMP vs water presets (review's comparison)", slow=True)
def nmp_vs_water(seed: int) -> list[Row]:
    """Sign of (water - NMP), paired over 6 seeds, where resolved beyond 2 standard errors.

    Expected -1 (water lower) for each quantity; measured is the resolved sign (0 if the
    difference is within 2 standard errors). The full table with error bars and the
    reasons for any disagreement is ``compare_presets(...).markdown()``.
    """
    from mesolith.md.compare import QUANTITIES, compare_presets

    cmp = compare_presets(seeds=range(seed, seed + 6), **COMPARISON_SIZE)
    rows = []
    for name, expected, _ in QUANTITIES:
        mean, se = cmp.paired(name)
        rows.append(Row("md", f"sign(water - NMP) {name} [{mean:+.3f} ± {se:.3f}]",
                        float(expected), float(cmp.verdict(name)), 0.0, REVIEW_REF))
    return rows
