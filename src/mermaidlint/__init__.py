"""mermaidlint: a static-analysis linter for Mermaid diagrams embedded in Markdown."""

# The one place the version is written: pyproject.toml reads it from here (setuptools' `attr`,
# read without importing the package). Asking importlib.metadata instead cost every command
# that module's import, about 35 ms of a cold run's serial start (tests check the two agree).
__version__ = "0.1.0"

__all__ = ["__version__"]
