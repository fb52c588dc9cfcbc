"""``mesolith validate --reliability`` runs real cases and prints its table."""

import pytest

from mesolith.cli import main
from mesolith.reliability.recipes import try_recipes


def test_mutated_recipes_never_crash_or_pass_silently():
    # 400 cases: every mutation kind on every engine section several times
    outcomes = try_recipes(400, seed=3)
    bad = [o for o in outcomes if o.outcome in ("crash", "silent")]
    assert not bad, bad[:5]
    assert {o.outcome for o in outcomes} >= {"refused", "accepted"}


def test_inconsistent_micro_fractions_are_refused():
    from mesolith.config.base import ConfigError
    from mesolith.config.recipe import parse_recipe

    data = {"micro": {"packing": {"am_fraction": 0.65}, "cbd": {"fraction": 0.5}}}
    try:
        parse_recipe(data, source="r.toml")
    except ConfigError as err:
        assert "must be < 1" in str(err)
    else:
        raise AssertionError("AM + CBD fractions above 1 were accepted")


def test_validate_reliability_prints_the_table(capsys):
    code = main(["validate", "--reliability", "--fast", "--cases", "40", "-e", "kmc",
                 "-e", "io"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "silent wrong answers" in out and "kmc" in out
    assert main(["validate", "--reliability", "-e", "nope"]) == 2


@pytest.mark.slow
def test_validate_reliability_md_row(capsys):
    pytest.importorskip("openmm")
    code = main(["validate", "--reliability", "--fast", "--cases", "10", "-e", "md"])
    out = capsys.readouterr().out
    assert code == 0, out
    # provoked blow-ups were reported, and 1-thread reruns matched
    assert "1-thread reruns identical" in out


@pytest.mark.slow
def test_validate_reliability_micro_kill_resume_row(capsys):
    # not --fast: the micro stage is killed with SIGKILL, resumed and compared
    code = main(["validate", "--reliability", "--cases", "10", "-e", "micro"])
    captured = capsys.readouterr()
    out = captured.out
    assert code == 0, out
    assert "kill/resume: micro" in captured.err
    row = next(line for line in out.splitlines() if line.lstrip("│| ").startswith("micro"))
    assert row.split("│")[5].strip() == "1/1", row  # the "resumed identical" column
