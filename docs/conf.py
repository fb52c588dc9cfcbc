"""Sphinx configuration for the mesolith documentation."""

from importlib.metadata import version as _version

project = "mesolith"
author = "The mesolith developers"
copyright = "2026, The mesolith developers"
release = _version("mesolith")

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
napoleon_numpy_docstring = True
napoleon_google_docstring = False
autodoc_member_order = "bysource"
autodoc_typehints = "description"
html_theme = "alabaster"
html_title = f"mesolith {release}"
nitpicky = False
suppress_warnings = ["myst.header"]
