"""The ``mesolith`` command line: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mesolith import progress as _progress
from mesolith.reliability.faults import NumericalFault

app = typer.Typer(
    help="mesolith: mesoscale simulation of battery-electrode manufacturing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Redirected output (logs, CI) gets wide tables instead of rich's 80-column default.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)

_state = {"debug": False}

# Errors a user can cause and fix: reported in one line, exit status 2.
_USER_ERRORS = (
    ValueError, FileNotFoundError, PermissionError, IsADirectoryError, ImportError, MemoryError,
    NumericalFault,
)


class _Fail(Exception):
    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


@app.callback()
def _global(
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or chatter."),
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
) -> None:
    _state["debug"] = debug
    _progress.set_quiet(quiet)


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


@app.command()
def info(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Version, build, OpenMP threads, optional extras and OpenMM platforms."""
    from mesolith.info import environment_info

    data = environment_info()
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    table = Table(title="mesolith", show_header=False)
    table.add_row("version", f"{data['version']} (git {data['git_hash']})")
    table.add_row("build type", data["build_type"])
    table.add_row("compiler", data["compiler"])
    table.add_row("OpenMP", f"{_yes_no(data['openmp'])} (version {data['openmp_version']})")
    table.add_row("OpenMP threads", str(data["openmp_threads"]))
    table.add_row("-march=native", _yes_no(data["march_native"]))
    table.add_row("sanitizers", _yes_no(data["sanitizers"]))
    for extra, modules in data["extras"].items():
        parts = [f"{m} {v}" if v else f"{m} missing" for m, v in modules.items()]
        table.add_row(f"extra: {extra}", ", ".join(parts))
    platforms = data["openmm_platforms"]
    table.add_row("OpenMM platforms", ", ".join(platforms) if platforms else "OpenMM not installed")
    console.print(table)


@app.command()
def run(
    recipe: Path = typer.Argument(..., help="TOML recipe file."),
    threads: int = typer.Option(0, "--threads", "-j", min=0, help="OpenMP threads (0 = recipe)."),
    check: bool = typer.Option(False, "--check", help="Only validate the recipe."),
    resume: bool = typer.Option(
        False, "--resume", help="Continue from the checkpoints of an interrupted run "
        "(written every [run] checkpoint_interval seconds)."),
) -> None:
    """Run a recipe's stages, in pipeline order.

    Stages this version cannot run are listed; the command then exits with status 3.
    """
    from mesolith.config import load_recipe
    from mesolith.pipeline import available_stages, run_recipe

    parsed, unavailable = load_recipe(recipe)
    if threads:
        parsed.run.threads = threads
    runnable = [s for s in parsed.stages if s in available_stages()]
    blocked = unavailable + [s for s in parsed.stages if s not in runnable]
    console.print(f"recipe {recipe.name}: valid; stages: {', '.join(runnable) or 'none'}")
    if blocked:
        err_console.print(
            f"[yellow]not available in mesolith {_version()}: {', '.join(blocked)}[/yellow]; "
            f"(available: {', '.join(available_stages()) or 'none yet'})"
        )
    if check:
        if blocked:
            raise _Fail("recipe requests stages this version cannot run", code=3)
        return
    if runnable:
        try:
            results = run_recipe(parsed, progress=True, resume=resume)
        except KeyboardInterrupt as exc:  # typer would turn it into a silent exit status
            raise _Fail(str(exc) or "interrupted", code=130) from None
        for res in results:
            console.print(f"[green]{res.stage}[/green] done")
            for key, value in res.summary.items():
                console.print(f"  {escape(key)}: {escape(value)}")
            for path in res.files:
                console.print(f"  wrote {escape(str(path))}")
        console.print(f"results in {escape(str(parsed.run.output_dir))}")
    if blocked:
        raise _Fail("some requested stages are not available in this version", code=3)


@app.command()
def validate(
    engine: list[str] = typer.Option(None, "--engine", "-e", help="Only these engines."),
    fast: bool = typer.Option(False, "--fast", help="Skip the slow cases."),
    seed: int = typer.Option(2024, "--seed", min=0, help="Seed for the stochastic checks."),
    output: Path = typer.Option(None, "--json", help="Also write the table as JSON."),
    reliability: bool = typer.Option(
        False, "--reliability", help="Instead: try to break every engine (mutated recipes, "
        "malformed files, SIGKILL + resume, 1 vs 2 threads) and count crashes and silent "
        "wrong answers."),
    cases: int = typer.Option(500, "--cases", min=0, help="Mutated recipes for --reliability."),
) -> None:
    """Validate the engines against analytical and literature results."""
    from mesolith.io import atomic_output
    from mesolith.validation import load_all_cases, run_cases

    if reliability:
        _reliability(engine, cases, seed, fast, output)
        return

    known = sorted({c.engine for c in load_all_cases()})
    for name in engine or []:
        if name not in known:
            raise _Fail(f"--engine {name}: unknown engine; choose from {', '.join(known)}")
    rows = run_cases(engine or None, include_slow=not fast, seed=seed)
    table = Table(title="mesolith validation")
    for column in ("engine", "quantity", "expected", "measured", "tolerance", "ok", "reference"):
        table.add_column(column)
    for row in rows:
        ok = "[green]pass[/green]" if row.passed else "[red]FAIL[/red]"
        table.add_row(row.engine, row.quantity, f"{row.expected:.6g}", f"{row.measured:.6g}",
                      f"{row.tolerance:.3g}", ok, row.reference)
    console.print(table)
    if output:
        with atomic_output(output) as tmp:
            tmp.write_text(json.dumps([dict(vars(r), passed=r.passed) for r in rows], indent=2,
                                      default=float))
    failed = sum(not r.passed for r in rows)
    console.print(f"{len(rows) - failed}/{len(rows)} checks passed")
    if failed:
        raise _Fail(f"{failed} validation check(s) failed", code=1)


def _reliability(engines, cases, seed, fast, output) -> None:
    from mesolith.io import atomic_output
    from mesolith.reliability.report import ENGINES, reliability_report

    for name in engines or []:
        if name not in ENGINES:
            raise _Fail(f"--engine {name}: unknown engine; choose from {', '.join(ENGINES)}")
    tallies = reliability_report(n_recipes=cases, seed=seed, engines=engines or None,
                                 kill_resume=not fast,
                                 log=lambda m: err_console.print(f"[dim]{escape(m)}[/dim]"))
    table = Table(title="mesolith reliability")
    for column in ("engine", "cases tried", "crashes", "silent wrong answers",
                   "resumed identical", "1 vs 2 threads identical", "ok"):
        table.add_column(column)
    for t in tallies:
        table.add_row(t.engine, str(t.tried), str(t.crashes), str(t.silent),
                      f"{t.resumed[0]}/{t.resumed[1]}" if t.resumed[1] else "-",
                      f"{t.threads[0]}/{t.threads[1]}" if t.threads[1] else (t.threads_note
                                                                             or "-"),
                      "[green]pass[/green]" if t.ok else "[red]FAIL[/red]")
    console.print(table)
    for t in tallies:
        for line in t.findings:
            err_console.print(f"[red]{t.engine}[/red]: {escape(line)}", highlight=False)
    if output:
        with atomic_output(output) as tmp:
            tmp.write_text(json.dumps([vars(t) for t in tallies], indent=2))
    bad = sum(t.crashes + t.silent for t in tallies)
    if bad:
        raise _Fail(f"{bad} reliability finding(s)", code=1)


@app.command()
def render(
    files: list[Path] = typer.Argument(..., help=".vti volumes or .vtp particle files."),
    size: str = typer.Option("900x700", help="Picture size WIDTHxHEIGHT in pixels."),
) -> None:
    """Draw result files as PNG pictures (needs the viz extra)."""
    from mesolith.viz import render as render_file

    try:
        width, height = (int(v) for v in size.lower().split("x"))
    except ValueError:
        raise _Fail(f"--size {size}: must look like 900x700") from None
    if width < 16 or height < 16:
        raise _Fail(f"--size {size}: width and height must be >= 16 pixels")
    for path in files:
        console.print(f"wrote {render_file(path, size=(width, height))}")


def _version() -> str:
    from mesolith import __version__

    return __version__


def _print_error(message: str, label: str = "error") -> None:
    err_console.print(f"[red]{label}:[/red] {escape(message)}", highlight=False)


def main(argv: list[str] | None = None) -> int:
    """Entry point: user errors print one line (a traceback only with --debug)."""
    args = sys.argv[1:] if argv is None else argv
    _state["debug"] = "--debug" in args
    try:
        status = app(args=args, standalone_mode=False)
    except _Fail as exc:
        _print_error(str(exc))
        return exc.code
    except KeyboardInterrupt as exc:
        err_console.print(f"interrupted: {exc}" if str(exc) else "interrupted", highlight=False)
        return 130
    except _USER_ERRORS as exc:
        if _state["debug"]:
            traceback.print_exc()
        _print_error(str(exc))
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        return 130
    except typer.TyperException as exc:  # usage errors: unknown command, bad option value
        exc.show()
        return exc.exit_code
    except Exception as exc:  # anything unexpected
        if _state["debug"]:
            traceback.print_exc()
        else:
            _print_error(
                f"{type(exc).__name__}: {exc} (run again with --debug for a traceback)",
                label="internal error",
            )
        return 1
    # typer returns the status of a typer.Exit (130 after a Ctrl-C it caught itself)
    if isinstance(status, int) and not isinstance(status, bool) and status:
        if status == 130:
            err_console.print("interrupted")
        return status
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
