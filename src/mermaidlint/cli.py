"""The command line: argument handling and wiring only.

Formatting lives in :mod:`mermaidlint.output`, running over files in :mod:`mermaidlint.runner`.
Everything heavy (the parser, Markdown, pydantic) is imported only once a command needs it, so
``mermaidlint --version`` stays quick.

Exit codes: 0 nothing found, 1 diagnostics reported (a file that cannot be read is one, MX001),
2 a usage error, a path given on the command line that does not exist, or an internal error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from mermaidlint import __version__

EXIT_CLEAN, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
STDIN = "-"


def _error(message: str) -> None:
    click.echo(f"mermaidlint: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mermaidlint",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """A linter for Mermaid diagrams in Markdown files and .mmd files."""


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATHS]...")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the diagnostics.")
@click.option("--stdin-filename", metavar="PATH",
              help="The name of the file read from standard input ('-'), used in the output and "
                   "for its kind (.mmd: one diagram; otherwise Markdown).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files and folders matching GLOB (repeatable).")
@click.option("--no-cache", is_flag=True, help="Check every file, and store nothing.")
@click.option("--cache-dir", envvar="MERMAIDLINT_CACHE_DIR", default=".mermaidlint_cache",
              show_default=True, metavar="DIR", show_envvar=True,
              help="Where results are cached.")
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], output_format: str,
          stdin_filename: str | None, exclude: tuple[str, ...], no_cache: bool,
          cache_dir: str) -> None:
    """Check the Mermaid diagrams in PATHS (files or folders; default: the current folder).

    '-' reads standard input.
    """
    try:
        code = _check(paths, output_format, stdin_filename, exclude, no_cache, cache_dir)
    except Exception as exc:  # a bug must still end with a message and exit code 2
        _error(f"internal error: {type(exc).__name__}: {exc}")
        code = EXIT_ERROR
    ctx.exit(code)


def _check(paths: Sequence[str], output_format: str, stdin_filename: str | None,
           exclude: Sequence[str], no_cache: bool, cache_dir: str) -> int:
    from mermaidlint import files, output, runner
    from mermaidlint.cache import Cache
    from mermaidlint.engine import Settings

    read_stdin = STDIN in paths or (not paths and stdin_filename is not None)
    paths = [p for p in paths if p != STDIN]
    if not paths and not read_stdin:
        paths = ["."]

    inputs: list[runner.Input] = []
    missing: list[str] = []
    if paths:
        found, missing = files.discover(paths, exclude)
        inputs = [runner.Input(display, path=fs_path) for fs_path, display in found]
    if read_stdin:
        data = sys.stdin.buffer.read()
        inputs.append(runner.Input(stdin_filename or STDIN, data=data))

    cache = None if no_cache else Cache(cache_dir)
    report = runner.build_report(runner.run(inputs, Settings(), cache))

    for message in missing:
        _error(message)
    for message in report.problems:
        _error(message)
    click.echo(output.render(report, output_format), nl=False)

    if missing or report.internal_errors:
        return EXIT_ERROR
    return EXIT_FOUND if report.diagnostics else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> None:
    """The console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="mermaidlint")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
