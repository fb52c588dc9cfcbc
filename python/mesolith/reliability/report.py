"""``mesolith validate --reliability``: try to break every engine, count what happened.

Four kinds of cases, all run for real:

* recipes: :func:`mesolith.reliability.recipes.try_recipes` (mutated engine sections);
* files: :data:`mesolith.reliability.malformed.CASES` (truncated, foreign, wrong shape...);
* kill/resume: :func:`mesolith.reliability.killresume.kill_and_resume` (SIGKILL + resume);
* threads: :data:`mesolith.reliability.threads.THREAD_CHECKS` (1 vs 2 OpenMP threads).

A crash is an exception the CLI would report as an internal error (or a failed
subprocess); a silent wrong answer is a bad input accepted without an error, a file
read without complaint, a resumed run that differs, or results that change with
the thread count.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["EngineTally", "reliability_report"]

ENGINES = ("io", "micro", "bd", "md", "kmc")


@dataclass
class EngineTally:
    engine: str
    tried: int = 0
    crashes: int = 0
    silent: int = 0
    resumed: list[int] = field(default_factory=lambda: [0, 0])  # identical, tried
    threads: list[int] = field(default_factory=lambda: [0, 0])
    findings: list[str] = field(default_factory=list)
    #: what the threads column says when the engine has no 1-vs-2-thread check
    threads_note: str = ""

    @property
    def ok(self) -> bool:
        return not (self.crashes or self.silent)


def reliability_report(n_recipes: int = 500, seed: int = 2024, engines: list[str] | None = None,
                       kill_resume: bool = True, workdir: Path | None = None,
                       log=print) -> list[EngineTally]:
    """Run every reliability case; returns one tally per engine (see module docstring)."""
    from mesolith.reliability import killresume, malformed, recipes, threads

    wanted = [e for e in ENGINES if not engines or e in engines]
    tally = {e: EngineTally(e) for e in wanted}
    with tempfile.TemporaryDirectory(prefix="mesolith-reliability-") as tmp:
        work = Path(workdir or tmp)
        fuzz_engines = [e for e in wanted if e in recipes.BASE_SECTIONS]
        if fuzz_engines and n_recipes:
            log(f"recipes: {n_recipes} mutated recipes")
            for r in recipes.try_recipes(n_recipes, seed=seed, engines=fuzz_engines):
                t = tally[r.engine]
                t.tried += 1
                if r.outcome in ("crash", "silent"):
                    t.crashes += r.outcome == "crash"
                    t.silent += r.outcome == "silent"
                    t.findings.append(f"recipe {r.where} ({r.mutation}): {r.outcome}: "
                                      f"{r.message}")
        cases = [c for c in malformed.CASES if c.engine in tally]
        log(f"files: {len(cases)} malformed files")
        for case, outcome, message in malformed.run_cases(work / "files", cases):
            t = tally[case.engine]
            t.tried += 1
            if outcome != "clear":
                t.crashes += outcome == "crash"
                t.silent += outcome in ("silent", "unclear")
                t.findings.append(f"file '{case.name}': {outcome}: {message}")
        if "bd" in tally:
            from mesolith.reliability.faults import provoke_bd_faults

            log("faults: BD steps that must be stopped")
            t = tally["bd"]
            for name, message in provoke_bd_faults():
                t.tried += 1
                if message is None:
                    t.silent += 1
                    t.findings.append(f"fault '{name}' went unreported")
        if "md" in tally and _has_openmm():
            _md_cases(tally["md"], log)
        if kill_resume:
            for engine, text in (("micro", killresume.MICRO_RECIPE),
                                 ("kmc", killresume.KMC_RECIPE), ("bd", killresume.BD_RECIPE),
                                 ("md", killresume.MD_RECIPE)):
                if engine not in tally or (engine == "md" and not _has_openmm()):
                    continue
                log(f"kill/resume: {engine} (SIGKILL at a random moment, then --resume)")
                t = tally[engine]
                t.tried += 1
                t.resumed[1] += 1
                try:
                    out = killresume.kill_and_resume(text, [engine], work / f"kill-{engine}",
                                                     kills=1, seed=seed)
                except Exception as exc:  # noqa: BLE001 - a failed resume is a crash
                    t.crashes += 1
                    t.findings.append(f"kill/resume: {type(exc).__name__}: {exc}")
                    continue
                if out.identical:
                    t.resumed[0] += 1
                else:
                    t.silent += 1
                    t.findings.append(f"kill/resume: differs in {out.differences}")
        log("threads: 1 vs 2 OpenMP threads")
        for check, diffs in _thread_checks(threads, wanted, tally):
            t = tally[check.engine]
            t.tried += 1
            t.threads[1] += 1
            if diffs:
                t.silent += 1
                t.findings.append(f"threads '{check.name}': 1 vs 2 threads differ in {diffs}")
            else:
                t.threads[0] += 1
    return list(tally.values())


def _has_openmm() -> bool:
    import importlib.util

    return importlib.util.find_spec("openmm") is not None


def _md_cases(t: EngineTally, log) -> None:
    """MD faults that must be stopped, and the reruns that must repeat (one CPU thread)."""
    from mesolith.md.faults import provoke_md_faults, rerun_identical

    log("faults: MD steps that must be stopped")
    for name, message in provoke_md_faults():
        t.tried += 1
        if message is None:
            t.silent += 1
            t.findings.append(f"fault '{name}' went unreported")
    # OpenMM's CPU platform draws the Langevin noise per thread: runs with 1 and 2 threads
    # differ by design, so md is held to bit-identical reruns with md.threads = 1
    log("threads: md reruns with md.threads = 1")
    t.tried += 1
    try:
        same = rerun_identical()
    except Exception as exc:  # noqa: BLE001 - a failed rerun is a crash
        t.crashes += 1
        t.findings.append(f"rerun: {type(exc).__name__}: {exc}")
        return
    if not same:
        t.silent += 1
        t.findings.append("rerun: two runs with md.threads = 1 differ")
    t.threads_note = f"no (OpenMM); 1-thread reruns {'identical' if same else 'DIFFER'}"


def _thread_checks(threads, wanted, tally):
    for check in threads.THREAD_CHECKS:
        if check.engine not in wanted:
            continue
        try:
            yield from threads.run_thread_checks_for([check])
        except Exception as exc:  # noqa: BLE001
            t = tally[check.engine]
            t.tried += 1
            t.crashes += 1
            t.findings.append(f"threads '{check.name}': {type(exc).__name__}: {exc}")
