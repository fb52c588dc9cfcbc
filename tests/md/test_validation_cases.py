"""The MD validation cases are registered for `mesolith validate`."""

from mesolith.validation.registry import load_all_cases


def test_md_cases_registered_as_slow():
    cases = {c.name: c for c in load_all_cases() if c.engine == "md"}
    assert "Lennard-Jones fluid vs the JZG equation of state" in cases
    assert "NMP vs water presets (review's comparison)" in cases
    assert all(c.slow for c in cases.values())
