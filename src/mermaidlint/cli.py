"""The command line: argument handling and wiring only.

Formatting lives in :mod:`mermaidlint.output`, running over files in :mod:`mermaidlint.runner`.
Everything heavy (the parser, Markdown, pydantic) is imported only once a command needs it, so
``mermaidlint --version`` stays quick.

Exit codes: 0 nothing found, 1 diagnostics reported (a file that cannot be read is one, MX001),
2 a usage or configuration error, a path given on the command line that does not exist, or an
internal error; 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from mermaidlint import __version__
from mermaidlint.output import FORMATS, FORMATS_WITH_FIXES, STATISTICS_FORMATS

if TYPE_CHECKING:
    from mermaidlint import runner
    from mermaidlint.engine import Settings
    from mermaidlint.registry import Registry

EXIT_CLEAN, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a program that Ctrl-C ended
STDIN = "-"


def _error(message: str) -> None:
    click.echo(f"mermaidlint: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mermaidlint",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """A linter for Mermaid diagrams in Markdown files and .mmd files."""


class Fatal(Exception):
    """A usage or configuration problem: the message is printed and the exit code is 2."""


def _selector_option(flag: str, text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(flag, multiple=True, metavar="CODES", help=text)


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATHS]...")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True,
              help="How to print the diagnostics: text (one line each), full (with the source "
                   "and carets), json, github (Actions annotations) or sarif (SARIF 2.1.0).")
@click.option("--output-file", "-o", metavar="PATH",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Write the output to PATH (atomically) instead of standard output.")
@click.option("--statistics", is_flag=True,
              help="Print how many diagnostics each rule reported instead of the diagnostics.")
@click.option("--exit-zero", is_flag=True,
              help="Exit with 0 even when diagnostics are reported (errors still exit with 2).")
@click.option("--color/--no-color", "color", default=None,
              help="Colour the full format [default: when writing to a terminal and NO_COLOR "
                   "is not set].")
@click.option("--stdin-filename", metavar="PATH",
              help="The name of the file read from standard input ('-'), used in the output and "
                   "for its kind (.mmd: one diagram; otherwise Markdown).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files and folders matching GLOB (repeatable).")
@_selector_option("--select", "Report only these codes, prefixes (MD, MS1) or rule names; "
                               "replaces the configuration's `select` (comma-separated, "
                               "repeatable).")
@_selector_option("--extend-select", "Report these too, on top of the selection.")
@_selector_option("--ignore", "Do not report these (added to the configuration's `ignore`).")
@click.option("--config", "config_path", metavar="PATH",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Use this configuration file for every file, instead of the nearest "
                   "pyproject.toml / .mermaidlint.toml / mermaidlint.toml above each one.")
@click.option("--fix", "fix", is_flag=True,
              help="Apply the safe fixes, then report what is left (exit 0 when nothing is).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, apply unsafe fixes too.")
@click.option("--diff", is_flag=True,
              help="Print a unified diff of what --fix would change; write nothing.")
@click.option("--show-fixes", is_flag=True, help="With --fix, list every fix applied.")
@click.option("--no-cache", is_flag=True, help="Check every file, and store nothing.")
@click.option("--cache-dir", envvar="MERMAIDLINT_CACHE_DIR", default=".mermaidlint_cache",
              show_default=True, metavar="DIR", show_envvar=True,
              help="Where results are cached.")
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], output_format: str,
          output_file: Path | None, statistics: bool, exit_zero: bool, color: bool | None,
          stdin_filename: str | None, exclude: tuple[str, ...], select: tuple[str, ...],
          extend_select: tuple[str, ...], ignore: tuple[str, ...], config_path: Path | None,
          fix: bool, unsafe_fixes: bool, diff: bool, show_fixes: bool, no_cache: bool,
          cache_dir: str) -> None:
    """Check the Mermaid diagrams in PATHS (files or folders; default: the current folder).

    '-' reads standard input.
    """
    try:
        fixing = _Fixing(fix=fix, unsafe=unsafe_fixes, diff=diff, show=show_fixes)
        out = _Output(output_format, output_file, statistics, color)
        options = _Options(select, extend_select, ignore, config_path,
                           syntax_repair=fixing.enabled or out.shows_fixes)
        code = _check(paths, out, stdin_filename, exclude, no_cache, cache_dir, options, fixing)
        if exit_zero and code == EXIT_FOUND:
            code = EXIT_CLEAN
    except Fatal as exc:
        _error(str(exc))
        code = EXIT_ERROR
    except Exception as exc:  # a bug must still end with a message and exit code 2
        _error(f"internal error: {type(exc).__name__}: {exc}")
        code = EXIT_ERROR
    except KeyboardInterrupt:
        # Not click's "Aborted!" with exit code 1, which a script would read as findings. The
        # worker processes are ended by then (see workers) and no report is printed; files that
        # --fix already wrote stay written (each write is whole: see fix.write_atomic).
        _error("interrupted")
        code = EXIT_INTERRUPTED
    ctx.exit(code)


class _Options:
    """The selection flags and --config, turned into per-file settings."""

    def __init__(self, select: Sequence[str], extend_select: Sequence[str],
                 ignore: Sequence[str], config_path: Path | None, *, syntax_repair: bool = True
                 ) -> None:
        from mermaidlint.engine import Settings
        from mermaidlint.registry import RegistryError, get_registry
        from mermaidlint.select import UnknownSelector, check_selectors, split_tokens

        try:
            self.registry = get_registry()
        except RegistryError as exc:
            raise Fatal(str(exc)) from None
        flags = {"--select": split_tokens(select), "--extend-select": split_tokens(extend_select),
                 "--ignore": split_tokens(ignore)}
        for flag, tokens in flags.items():
            try:
                check_selectors(tokens, self.registry)
            except UnknownSelector as exc:
                raise Fatal(f"{flag}: {exc}") from None
        if config_path is not None and not config_path.is_file():
            raise Fatal(f"--config: {config_path}: no such file")
        self.override = config_path
        self.base = Settings(select=flags["--select"], ignore=flags["--ignore"],
                             extend_select=flags["--extend-select"],
                             plugins=self.registry.plugins, syntax_repair=syntax_repair)
        self._by_file: dict[Path | None, Settings] = {}
        self._by_folder: dict[str, Settings] = {}

    def settings_of(self, fs_path: Path) -> Settings:
        """:meth:`settings_for` the folder of the file ``fs_path``, worked out once per folder
        (most folders hold several files)."""
        folder = os.path.dirname(fs_path)
        found = self._by_folder.get(folder)
        if found is None:
            found = self._by_folder[folder] = self.settings_for(Path(folder))
        return found

    def settings_for(self, folder: Path) -> Settings:
        """The settings of the files in ``folder`` (the nearest configuration file's)."""
        from mermaidlint.config import ConfigError, config_for
        from mermaidlint.select import validate_config

        try:
            loaded = config_for(folder, self.override)
            found = self._by_file.get(loaded.path)
            if found is None:
                validate_config(loaded, self.registry)
                found = self._by_file[loaded.path] = self.base.with_config(loaded)
        except ConfigError as exc:
            raise Fatal(f"configuration error: {exc}") from None
        return found

    def exclude(self) -> tuple[str, ...]:
        """`exclude` of the configuration that applies to the current folder."""
        from mermaidlint.select import config_of

        return tuple(config_of(self.settings_for(Path.cwd()).config_json).exclude)


@dataclass(frozen=True)
class _Output:
    """Where and how the report is written: --format, --output-file, --statistics, --color."""

    format: str = "text"
    file: Path | None = None
    statistics: bool = False
    color: bool | None = None  # None: when writing to a terminal, unless NO_COLOR is set

    def __post_init__(self) -> None:
        if self.statistics and self.format not in STATISTICS_FORMATS:
            raise Fatal(f"--statistics cannot be given with --format {self.format} (only with "
                        f"{', '.join(STATISTICS_FORMATS)})")

    @property
    def shows_fixes(self) -> bool:
        """Whether the output shows fixes (their edits, or a count of the fixable)."""
        return self.statistics or self.format in FORMATS_WITH_FIXES

    def colored(self) -> bool:
        if self.color is not None:
            return self.color
        if self.file is not None or os.environ.get("NO_COLOR"):
            return False
        return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()

    def emit(self, report: runner.Report) -> None:
        from mermaidlint import output

        colored = self.colored()
        text = output.render(report, self.format, color=colored, statistics=self.statistics)
        if self.file is None:
            click.echo(text, nl=False, color=True if colored else None)
            return
        try:
            output.write_atomic(self.file, text)
        except OSError as exc:
            raise Fatal(f"--output-file: {self.file}: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class _Fixing:
    fix: bool = False
    unsafe: bool = False
    diff: bool = False
    show: bool = False

    @property
    def enabled(self) -> bool:
        return self.fix or self.diff


def _fix(inputs: Sequence[runner.Input], missing: Sequence[str], out: _Output,
         options: _Options, fixing: _Fixing) -> int:
    """--fix / --diff: repair what can be repaired, then report what is left."""
    from mermaidlint import runner

    mode = runner.FixMode(unsafe=fixing.unsafe, diff_only=fixing.diff)
    done = runner.run_fix(inputs, options.base, mode)
    for message in missing:
        _error(message)
    changed = [d for d in done if d.diff]
    if fixing.diff:
        click.echo("".join(d.diff for d in changed), nl=False)
        return EXIT_FOUND if changed else EXIT_CLEAN
    applied = sum(len(d.applied) for d in done)
    for d in done:
        path = d.outcome.display_path
        if fixing.show:
            for line in d.applied:
                _note(f"fixed {path}:{line}")
        for line in d.dropped:
            _note(f"{path}: {line}")
        if d.not_written:
            _error(f"{path}: {d.not_written}")
    report = runner.build_report([d.outcome for d in done], inputs, missing)
    for message in report.problems:
        _error(message)
    _note(f"Fixed {applied} finding{'s' if applied != 1 else ''} in {len(changed)} "
          f"file{'s' if len(changed) != 1 else ''}.")
    out.emit(report)
    if missing or report.internal_errors or any(d.not_written for d in done):
        return EXIT_ERROR
    return EXIT_FOUND if report.diagnostics else EXIT_CLEAN


def _note(message: str) -> None:
    click.echo(message, err=True)


def _check(paths: Sequence[str], out: _Output, stdin_filename: str | None,
           exclude: Sequence[str], no_cache: bool, cache_dir: str, options: _Options,
           fixing: _Fixing = _Fixing()) -> int:
    from mermaidlint import files, runner
    from mermaidlint.cache import Cache

    read_stdin = STDIN in paths or (not paths and stdin_filename is not None)
    paths = [p for p in paths if p != STDIN]
    if not paths and not read_stdin:
        paths = ["."]

    inputs: list[runner.Input] = []
    missing: list[str] = []
    if paths:
        found, missing = files.discover(paths, (*exclude, *options.exclude()))
        inputs = [runner.Input(display, path=fs_path, settings=options.settings_of(fs_path))
                  for fs_path, display in found]
    if read_stdin:
        data = sys.stdin.buffer.read()
        stdin_folder = Path(stdin_filename).parent if stdin_filename else Path.cwd()
        inputs.append(runner.Input(stdin_filename or STDIN, data=data,
                                   settings=options.settings_for(stdin_folder)))

    if fixing.enabled:
        return _fix(inputs, missing, out, options, fixing)

    cache = None if no_cache else Cache(cache_dir)
    report = runner.build_report(runner.run(inputs, options.base, cache), inputs, missing)

    for message in missing:
        _error(message)
    for message in report.problems:
        _error(message)
    out.emit(report)

    if missing or report.internal_errors:
        return EXIT_ERROR
    return EXIT_FOUND if report.diagnostics else EXIT_CLEAN


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A table, or a JSON list for other tools.")
def rules_command(output_format: str) -> None:
    """List every rule and diagnostic code: code, name, severity, fixable, default, summary."""
    import json

    registry = _registry()
    infos = list(registry)
    if output_format == "json":
        click.echo(json.dumps([
            {"code": i.code, "name": i.name, "summary": i.summary, "severity": i.severity.value,
             "fixable": i.fixable, "enabled_by_default": i.enabled_by_default}
            for i in infos], indent=2))
        return
    width = max(len(i.name) for i in infos)
    for i in infos:
        flags = ("fix" if i.fixable else "   ") + ("      " if i.enabled_by_default else " opt-in")
        click.echo(f"{i.code:<6} {i.name:<{width}}  {i.severity.value:<7}  {flags}  {i.summary}")


@cli.command("rule")
@click.argument("code_or_name")
@click.pass_context
def rule_command(ctx: click.Context, code_or_name: str) -> None:
    """Explain one rule or diagnostic code (by code, e.g. MD001, or by name)."""
    import difflib

    registry = _registry()
    info = registry.lookup(code_or_name)
    if info is None:
        close = difflib.get_close_matches(code_or_name.lower(), list(registry.by_name), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        _error(f"unknown rule `{code_or_name}`{hint} (`mermaidlint rules` lists them all)")
        ctx.exit(EXIT_ERROR)
    default = "yes" if info.enabled_by_default else "no (select it to use it)"
    made_by = "reported by mermaidlint itself" if info.rule is None else f"rule in {info.origin}"
    click.echo(f"{info.code} {info.name}\n\n{info.summary}.\n\n"
               f"Severity: {info.severity.value}. Fixable: {'yes' if info.fixable else 'no'}. "
               f"Enabled by default: {default}. Source: {made_by}.\n\n{info.explanation}")


def _registry() -> Registry:
    from mermaidlint.registry import RegistryError, get_registry

    try:
        return get_registry()
    except RegistryError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)


# Allocations between two runs of Python's cycle collector on young objects (default: 700).
GC_YOUNG_THRESHOLD = 200_000


def tune_garbage_collector() -> None:
    """Make Python's cycle collector run far less often in this process.

    A check allocates many small objects (tokens, tree nodes, AST nodes) that reference counting
    frees on its own, yet with the default thresholds the collector walks the young objects every
    700 allocations: 7 to 9% of a corpus run (measured in one process over the corpus's
    flowcharts, best of 3: all rules 4.43 s -> 4.08 s, parse only 3.09 s -> 2.58 s). At 50,000
    the collector still ran 3 to 5 times per pass over the corpus, 0.05 to 0.09 s in all (timed
    with gc.callbacks); at 200,000, at most once (a young object left for it holds at most a
    few hundred bytes: tens of megabytes at worst, freed by the collection). Set by the
    program's entry point, so worker processes forked from it keep it; a library caller's
    process is left as it is.
    """
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def main(argv: Sequence[str] | None = None) -> None:
    """The console-script entry point (and ``python -m mermaidlint``'s). ``argv``: for a caller
    in Python, which gets the usual SystemExit; without it, the process ends at once (see
    :func:`exit_at_once`)."""
    tune_garbage_collector()
    if argv is not None:
        cli.main(args=list(argv), prog_name="mermaidlint")
        return
    try:
        cli.main(prog_name="mermaidlint")
    except SystemExit as done:
        exit_at_once(done)


def exit_at_once(done: SystemExit) -> NoReturn:
    """End the process with ``done``'s status once its output is flushed, without the
    interpreter's teardown.

    Tearing down (every module, every cached table and pattern freed one by one) took about
    50 ms after a one-file run, a sixth of it (an editor on save, a pre-commit hook), and about
    30 ms after a run over the Atlas corpus. Nothing is left to do by then: reports and fixed
    files are written and synced, the cache's transactions committed, the worker processes
    joined. The usual exit is kept where it does more: a status that is a message to print, an
    output that cannot be flushed (Python reports it), and a profiler or tracer that writes its
    data at exit (``python -m cProfile``, coverage)."""
    status = 0 if done.code is None else done.code
    if not isinstance(status, int) or sys.getprofile() is not None or sys.gettrace() is not None:
        raise done
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise done from None
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
