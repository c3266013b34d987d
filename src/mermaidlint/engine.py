"""The data path, in one straight line.

    file -> SourceFile (files.read_source) -> diagrams with exact positions (extract)
         -> AST (mermaid.parse_diagram) -> rules -> diagnostics -> (fixes) -> formatters

`lint_source` is the one entry point the command line, the cache and the tests use.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

from mermaidlint.diagnostics import Diagnostic, Severity
from mermaidlint.document import Diagram, SourceFile
from mermaidlint.flowchart.ast import Chain, Subgraph
from mermaidlint.positions import LineIndex

if TYPE_CHECKING:
    from collections.abc import Callable

    from mermaidlint.config import LoadedConfig
    from mermaidlint.flowchart.ast import Flowchart
    from mermaidlint.rule import Rule
    from mermaidlint.select import Selection


class ReportedEdit(NamedTuple):
    """One edit of a diagnostic's fix, resolved like the diagnostic: replace the text from
    ``line:column`` up to (not including) ``end_line:end_column`` with ``replacement``."""

    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str


class ReportedDiagnostic(NamedTuple):
    """A diagnostic as reported: positions resolved to 1-based lines and columns in its file.

    ``end_column`` is exclusive (one past the last character), as in SARIF and LSP.
    ``fix_edits`` and ``fix_description``: the diagnostic's fix, if it has one (for SARIF's
    ``fixes`` and the full text format), resolved to lines and columns of the same file.

    Immutable values, as named tuples: every finding of a run is made into one (3,500 on the
    Atlas corpus), and a frozen dataclass of 13 fields took six times as long to make (a frozen
    dataclass sets each field through ``object.__setattr__``).
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: str
    message: str
    fixable: bool = False
    notes: tuple[str, ...] = ()
    fix_edits: tuple[ReportedEdit, ...] = ()
    fix_description: str = ""


@dataclass(slots=True)
class FileResult:
    path: str
    diagrams: int = 0
    diagnostics: list[ReportedDiagnostic] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Settings:
    """What changes the outcome of a check (and so belongs in a cache key).

    Frozen and hashable: the selection a file is checked with is cached by it. The configuration
    travels as its JSON dump, so that its whole content is part of the key.
    """

    select: tuple[str, ...] = ()  # --select: replaces the configuration's `select` when given
    ignore: tuple[str, ...] = ()  # --ignore: added to the configuration's
    extend_select: tuple[str, ...] = ()  # --extend-select: added to the configuration's
    config_json: str = ""  # the resolved Config (Config.model_dump_json); "" = the defaults
    config_path: str = ""  # the file it came from ("" = none)
    plugins: tuple[str, ...] = ()  # "distribution==version" of rule plugins (their code matters)
    # Whether a refused flowchart gets its syntax repair, the fix of its MS001 errors. The repair
    # is a search that parses the diagram again and again (about a fifth of a check's time on
    # the Atlas corpus), so the command line turns it off when nothing would use it: neither
    # --fix nor --diff, and an output that shows no fix (`text`, `github`).
    syntax_repair: bool = True

    def with_config(self, loaded: LoadedConfig) -> Settings:
        """These settings, for files governed by ``loaded``."""
        config = loaded.config
        # The defaults travel as "": a file that changes nothing costs the workers nothing.
        default = config == type(config)()
        return replace(self, config_json="" if default else config.model_dump_json(),
                       config_path=str(loaded.path or ""))


# A severity as reported; a rule may also give a plain string, reported as it is.
_SEVERITY_TEXT: dict[object, str] = {severity: severity.value for severity in Severity}


def resolve(source: SourceFile, diagnostics: list[Diagnostic], index: LineIndex | None = None
            ) -> list[ReportedDiagnostic]:
    """Turn offset-based diagnostics into line/column ones, sorted by position."""
    index = index or LineIndex(source.text)
    # Every offset once, in increasing order: the index counts lines on from the offset it was
    # last asked for, and the rules report in their own order, each from the top of the
    # diagram again (counting back and forth cost more than the rest of this function).
    position = index.position
    offsets = sorted({offset for d in diagnostics for offset in (d.span.start, d.span.end)})
    at = {offset: position(offset) for offset in offsets}
    out = []
    path = source.path
    for d in diagnostics:
        start, end = at[d.span.start], at[d.span.end]
        fix = d.fix
        edits: list[ReportedEdit] = []
        for edit in (sorted(fix.edits, key=lambda e: (e.span.start, e.span.end))
                     if fix is not None else ()):
            a, b = position(edit.span.start), position(edit.span.end)
            edits.append(ReportedEdit(a.line, a.column, b.line, b.column, edit.replacement))
        # Positional, in ReportedDiagnostic's field order: every finding of a run is made here.
        out.append(ReportedDiagnostic(
            path, start.line, start.column, end.line, end.column, d.code, d.name,
            _SEVERITY_TEXT.get(d.severity) or str(d.severity), d.message, fix is not None,
            d.notes, tuple(edits), fix.description if fix is not None else ""))
    out.sort(key=lambda r: (r.line, r.column, r.code))
    return out


def lint_source(source: SourceFile, settings: Settings | None = None) -> FileResult:
    """Check every diagram in an already-read file, with the selection for its displayed path."""
    diagnostics = collect_diagnostics(source, settings)
    return FileResult(path=source.path, diagrams=len(source.diagrams),
                      diagnostics=resolve(source, diagnostics))


def collect_diagnostics(source: SourceFile, settings: Settings | None = None
                        ) -> list[Diagnostic]:
    """The selected, unsuppressed diagnostics of a file, by offset, with their fixes."""
    from mermaidlint import suppress
    from mermaidlint.check import check_diagram
    from mermaidlint.extract import extract_diagrams
    from mermaidlint.select import selection_for

    settings = settings or Settings()
    selection = selection_for(settings, source.path)
    problems = extract_diagrams(source)  # fills source.diagrams; returns extraction diagnostics
    diagnostics = [d for d in problems if selection.reports(d.code)]
    for diagram in source.diagrams:
        found = [d for d in check_diagram(source, diagram, settings, selection)
                 if selection.reports(d.code)]
        diagnostics.extend(suppress.in_diagram(diagram, found, selection))
    return suppress.in_document(source, diagnostics, selection)


# ---- the rules: one walk of the AST ------------------------------------------------------------

CRASH_CODE, CRASH_NAME = "MX002", "rule-crashed"


def run_rules(source: SourceFile, diagram: Diagram, chart: Flowchart, settings: Settings,
              selection: Selection | None = None) -> list[Diagnostic]:
    """Every enabled rule over one flowchart, in a single walk of its AST.

    ``selection``: the file's (its caller, checking a whole file, has it already); looked up
    from ``settings`` when not given."""
    if selection is None:
        from mermaidlint.select import selection_for

        selection = selection_for(settings, source.path)
    if not selection.rules:
        return []
    return _Walk(selection, source, diagram, chart).run()


def _skip(*args: object) -> None:
    """What a crashed rule's hooks become for the rest of the diagram."""


_Bound = dict[str, tuple[tuple[int, "Callable[..., None]"], ...]]


class _Walk:
    """Dispatches each statement, node and link to the rules that define that hook.

    A rule that raises is reported once for the diagram (MX002) and not called again on it;
    the other rules go on.
    """

    def __init__(self, selection: Selection, source: SourceFile, diagram: Diagram,
                 chart: Flowchart) -> None:
        from mermaidlint.rule import RuleContext

        self.chart = chart
        self.rules = selection.rules
        # One context for the diagram, pointed at each rule in turn (see RuleContext).
        self.context = RuleContext(self.rules[0], source, diagram, chart, selection.config)
        # hook -> ((index of the rule, bound hook), ...): the selection's, looked
        # up once per selection and shared by every diagram checked with it. A crash swaps in a
        # copy in which the crashed rule's hooks are no-ops, so the calls need no check.
        self.bound: _Bound = selection.bound
        self.crashed: list[Diagnostic] = []

    def run(self) -> list[Diagnostic]:
        self._call("begin")
        # Most rules only read the diagram in `begin`/`end`: without a statement, node or link
        # hook the walk itself is skipped.
        bound = self.bound
        if bound["statement"] or bound["node"] or bound["link"]:
            self._walk()
        self._call("end")
        return self.context.diagnostics + self.crashed

    def _walk(self) -> None:
        """Statements depth first, in order (the tree builder's index), each chain's nodes and
        links between them."""
        node_or_link = self.bound["node"] or self.bound["link"]
        for stmt, parents in self.chart.statements():
            self._call("statement", stmt, parents)
            if node_or_link and isinstance(stmt, Chain):
                self._chain(stmt, parents)

    def _chain(self, chain: Chain, parents: tuple[Subgraph, ...]) -> None:
        links = chain.links
        for k, group in enumerate(chain.groups):
            for item in group:
                self._call("node", item, parents)
            if k < len(links):
                self._call("link", links[k], parents)

    def _call(self, hook: str, *args: object) -> None:
        """Call ``hook`` of every rule defining it, with ``args`` and the context pointed at
        the rule. A bug in one rule must not cost the others' findings: it is reported (MX002)
        instead."""
        context, rules = self.context, self.rules
        for k, method in self.bound[hook]:
            context.rule = rules[k]
            try:
                method(*args, context)
            except Exception as exc:
                self._crash(k, hook, exc)

    def _crash(self, index: int, hook: str, exc: Exception) -> None:
        self.crashed.append(self._crash_diagnostic(self.rules[index], hook, exc))
        self.bound = {name: tuple((k, _skip if k == index else method) for k, method in calls)
                      for name, calls in self.bound.items()}

    def _crash_diagnostic(self, rule: Rule, hook: str, exc: Exception) -> Diagnostic:
        notes = ["Please report this with the diagram; the other rules still checked it."]
        if os.environ.get("MERMAIDLINT_DEBUG"):
            notes.append("".join(traceback.format_exception(exc)).rstrip())
        return Diagnostic(
            code=CRASH_CODE, name=CRASH_NAME, span=self.chart.header.span,
            message=(f"rule {rule.code} ({rule.name}) crashed in `{hook}` on this diagram: "
                     f"{type(exc).__name__}: {exc}"),
            severity=Severity.ERROR, notes=tuple(notes))
