"""Every code mermaidlint can report, and where it comes from.

Three sources, one table (:class:`Registry`), so that selection, suppression, the ``rules`` and
``rule`` commands, and SARIF metadata all read the same declarations:

* built-in rules: every :class:`~mermaidlint.rule.Rule` subclass with a ``code``, found by
  importing each module under ``mermaidlint.rules`` (the repository's ``rules/`` folder);
* third-party rules: the ``mermaidlint.rules`` entry-point group; an entry point loads a Rule
  subclass, or a module whose Rule subclasses are all taken;
* built-in diagnostics: codes mermaidlint reports itself rather than through a rule (syntax errors
  found while parsing, an unreadable file, a crashed rule, an unused suppression). They are
  declared below with the same metadata as a rule, but never run.

The registry is built once per process (:func:`get_registry`) and kept; a code or a name declared
twice is a :class:`RegistryError`, as a silent winner would make selection unpredictable.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import inspect
import os
import pkgutil
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType

from mermaidlint.diagnostics import Severity
from mermaidlint.rule import Rule

CODE = re.compile(r"[A-Z]+[0-9]+")
NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
ENTRY_POINT_GROUP = "mermaidlint.rules"
BUILTIN_ORIGIN = "mermaidlint"


class RegistryError(Exception):
    """Rules that cannot be registered: a clash, a bad declaration, a plugin that fails to load."""


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What the commands and the engine know about one code."""

    code: str
    name: str
    summary: str
    explanation: str
    severity: Severity
    fixable: bool = False
    enabled_by_default: bool = True
    rule: type[Rule] | None = None  # None: reported by mermaidlint itself, not by a rule
    origin: str = BUILTIN_ORIGIN  # the module, or "plugin <distribution>"
    # Reported whatever `select` says (only `ignore` hides it): an internal error must not be
    # lost because a user selected one family.
    always: bool = False

    @property
    def builtin_diagnostic(self) -> bool:
        return self.rule is None


@dataclass(slots=True)
class Registry:
    by_code: dict[str, RuleInfo] = field(default_factory=dict)
    by_name: dict[str, RuleInfo] = field(default_factory=dict)
    # "distribution==version" of every plugin that added rules: part of the cache key.
    plugins: tuple[str, ...] = ()

    def add(self, info: RuleInfo) -> None:
        for key, table, what in ((info.code, self.by_code, "code"),
                                 (info.name, self.by_name, "name")):
            other = table.get(key)
            if other is not None:
                raise RegistryError(
                    f"rule {what} `{key}` is declared twice: by {other.origin} and by "
                    f"{info.origin}; codes and names must be unique")
        self.by_code[info.code] = info
        self.by_name[info.name] = info

    def __iter__(self) -> Iterator[RuleInfo]:
        return iter(sorted(self.by_code.values(), key=lambda i: i.code))

    def lookup(self, token: str) -> RuleInfo | None:
        """A rule by its code or its name (``MD001`` or ``missing-direction``)."""
        return self.by_code.get(token.upper()) or self.by_name.get(token.lower())


def rule_info(cls: type[Rule], origin: str) -> RuleInfo:
    """The declaration of a rule class, checked."""
    where = f"{cls.__module__}.{cls.__qualname__}"
    for attr in ("code", "name", "summary", "explanation"):
        if not isinstance(getattr(cls, attr, None), str):
            raise RegistryError(f"rule {where} does not declare `{attr}` as a string")
    if not CODE.fullmatch(cls.code):
        raise RegistryError(f"rule {where}: code `{cls.code}` is not capitals then digits")
    if not NAME.fullmatch(cls.name):
        raise RegistryError(f"rule {where}: name `{cls.name}` is not kebab-case")
    if not cls.defined_hooks():
        raise RegistryError(f"rule {where} defines none of the hooks {', '.join(Rule.HOOKS)}")
    return RuleInfo(
        code=cls.code, name=cls.name, summary=cls.summary,
        explanation=inspect.cleandoc(cls.explanation), severity=Severity(cls.severity),
        fixable=cls.fixable, enabled_by_default=cls.enabled_by_default, rule=cls, origin=origin,
    )


def rules_in_module(module: ModuleType) -> list[type[Rule]]:
    """The rule classes a module defines (not those it merely imports)."""
    return [
        obj for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule
        and obj.__module__ == module.__name__ and isinstance(getattr(obj, "code", None), str)
    ]


def _builtin_rule_modules() -> Iterator[ModuleType]:
    package = importlib.import_module("mermaidlint.rules")

    for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
        yield importlib.import_module(info.name)


def _plugin_rules() -> Iterator[tuple[type[Rule], str, str]]:
    """(rule class, origin, distribution==version) for every entry point of the group."""
    if not may_declare_plugins(sys.path, sys.meta_path):
        return
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist
        label = f"{dist.name}=={dist.version}" if dist is not None else ep.value
        origin = f"plugin {label} (entry point `{ep.name} = {ep.value}`)"
        try:
            loaded = ep.load()
        except Exception as exc:
            raise RegistryError(f"{origin} cannot be loaded: {type(exc).__name__}: {exc}"
                                ) from exc
        if isinstance(loaded, ModuleType):
            classes = rules_in_module(loaded)
        elif isinstance(loaded, type) and issubclass(loaded, Rule):
            classes = [loaded]
        else:
            raise RegistryError(f"{origin} is neither a Rule subclass nor a module of rules")
        if not classes:
            raise RegistryError(f"{origin} holds no Rule subclass with a code")
        for cls in classes:
            yield cls, origin, label


def may_declare_plugins(path: Sequence[str], finders: Sequence[object]) -> bool:
    """Whether an installed distribution may declare an entry point of the plugins' group.

    importlib.metadata finds the entry points, but importing it costs about 35 ms (it brings in
    the email package, zipfile, csv...), which every cold run paid before handing out its first
    file, almost always to learn that no plugin is installed. This looks, far more cheaply, for
    the group's name in the ``entry_points.txt`` of the distributions importlib.metadata would
    find on ``path`` (the ``*.dist-info`` and ``*.egg-info`` folders of its folders), and
    answers yes whenever it cannot tell: a path entry that is a file (a zip or an egg), an egg
    folder, or a meta-path finder of another kind that may find distributions of its own. A yes
    only means importlib.metadata is asked."""
    for finder in finders:
        if hasattr(finder, "find_distributions") and finder is not importlib.machinery.PathFinder:
            return True
    needle = ENTRY_POINT_GROUP.encode()
    for entry in path:
        if not isinstance(entry, str):
            continue  # importlib's path finder passes over anything but strings, too
        folder = entry or "."
        if folder.lower().endswith(".egg"):
            return True
        try:
            children = os.scandir(folder)
        except NotADirectoryError:
            return True
        except OSError:
            continue  # missing or unreadable: importlib.metadata finds nothing there either
        with children:
            for child in children:
                if child.name.lower().endswith((".dist-info", ".egg-info")) and _declares(
                        os.path.join(child.path, "entry_points.txt"), needle):
                    return True
    return False


def _declares(entry_points_file: str, needle: bytes) -> bool:
    try:
        with open(entry_points_file, "rb") as handle:
            return needle in handle.read()
    except OSError:
        return False  # no entry points (or an egg-info file, which holds none)


def build_registry(include_plugins: bool = True) -> Registry:
    registry = Registry()
    for info in BUILTIN_DIAGNOSTICS:
        registry.add(info)
    for module in _builtin_rule_modules():
        for cls in rules_in_module(module):
            registry.add(rule_info(cls, module.__name__))
    if include_plugins:
        labels: list[str] = []
        for cls, origin, label in _plugin_rules():
            registry.add(rule_info(cls, origin))
            labels.append(label)
        registry.plugins = tuple(sorted(set(labels)))
    return registry


_REGISTRY: Registry | None = None


def get_registry() -> Registry:
    """The registry of this process, built on first use."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = build_registry()
    return _REGISTRY


# ---- diagnostics mermaidlint reports itself --------------------------------------------------

_MS001 = """
Mermaid's parser refuses the diagram: nothing is drawn, and readers see "Syntax error in text"
where the diagram should be. mermaidlint parses flowcharts with a grammar that follows Mermaid's
own, and reports where Mermaid stops and what it expected there.

The usual causes in real documentation:

* **Punctuation inside an unquoted label.** Inside `[...]`, `(...)`, `{...}` a label ends at the
  first character that closes a shape: `A[Cache (LRU)]` ends the label at `(`. Quote the label:
  `A["Cache (LRU)"]`. The same goes for `|...|` edge labels holding `|`, and for labels holding
  `"` (write `#quot;`).
* **`end` as a node id.** `end` closes a subgraph wherever it appears, so `A --> end` fails.
  Use another id (`End`, `done`) and put "end" in the label: `done[end]`.
* **A subgraph without its `end`,** or one `end` too many.
* **An arrow that points nowhere:** a line that ends with `-->`.
* **Another diagram type's syntax** in a flowchart: `A ->> B` (sequence diagrams), `A : text`.

Bad:

```mermaid
flowchart LR
    A[Cache (LRU)] --> B
```

Good:

```mermaid
flowchart LR
    A["Cache (LRU)"] --> B
```
"""

_MS002 = """
Mermaid decides what kind of diagram it is given from the first line (after front matter and
`%%` comments). A first line it does not recognise, or an empty diagram, is refused outright.

Bad: `graphTD`, `flowchart-TD`, `Flowchart LR` (keywords are case-sensitive), an empty fence.

Good: `flowchart TD`, `graph LR`, `sequenceDiagram`, `classDiagram`, `stateDiagram-v2`,
`erDiagram`, `gantt`, `pie`, `mindmap`, `timeline`.
"""

_MS003 = """
A diagram that starts with `---` begins YAML front matter (a title, a configuration), which must
end with another `---` line. Without it Mermaid cannot find where the diagram starts.

Bad:

```mermaid
---
title: Request path
flowchart LR
    A --> B
```

Good: close the front matter with `---` before `flowchart LR`.
"""

_MS004 = """
`A@{ shape: ... }` gives a node one of Mermaid's named shapes. A name Mermaid does not know makes
it refuse the whole diagram.

Bad: `A@{ shape: database }`. Good: `A@{ shape: cyl }` (see Mermaid's list of shapes: `rect`,
`rounded`, `stadium`, `cyl`, `diam`, `hex`, `circle`, `doc`, ...).
"""

_MS005 = """
`linkStyle N` styles the link numbered N, counting every link from 0 in the order written (a
chain `A --> B --> C` is two links; `A & B --> C` is two). Naming a link that does not exist (yet)
makes Mermaid refuse the diagram.

Bad: `A --> B` then `linkStyle 1 stroke:red`. Good: `linkStyle 0 stroke:red`.
"""

_MS006 = """
Mermaid 11 parses a `subgraph` line with nothing after it, then fails while building the
diagram ("Cannot read properties of undefined"), so the whole diagram is refused.

Bad: `subgraph` alone. Good: `subgraph EdgePlane` or `subgraph edge["Edge Plane"]`.
"""

_MS101 = """
A Markdown code fence that is never closed runs to the end of the file (or of its list item or
block quote): everything after it becomes part of the diagram, and the rest of the document is
not rendered as Markdown at all.

Close the fence with the same marker (three or more backticks or tildes, at least as many as the
opening one).
"""

_MX001 = """
The file could not be read as UTF-8 text (wrong encoding, permission denied, a folder removed
while the run went on). Nothing in it was checked. The message says why; fix the file's encoding
or permissions. The problem is also printed on standard error.
"""

_MX002 = """
A rule raised an exception while checking a diagram: a bug in mermaidlint or in a plugin. The
rest of the run goes on (the other rules still checked the diagram), but the crashed rule's
findings for that diagram are missing. The message names the rule and the exception; set
`MERMAIDLINT_DEBUG=1` and report it with the diagram that caused it.
"""

_MX100 = """
A suppression comment (`%% mermaidlint-disable-next-line CODE`, `%% mermaidlint-disable CODE`,
`<!-- mermaidlint-disable CODE -->`, `<!-- mermaidlint-disable-next-diagram -->`) that
suppressed nothing: the problem was fixed, the code is wrong or unknown, or the rule is not
enabled. A stale suppression would silently hide the next real problem there; remove it.

Ignore `MX100` to keep suppressions that are meant for other configurations.
"""


def _builtin(code: str, name: str, summary: str, explanation: str,
             severity: Severity = Severity.ERROR, always: bool = False,
             fixable: bool = False) -> RuleInfo:
    return RuleInfo(code, name, summary, inspect.cleandoc(explanation), severity,
                    fixable=fixable, always=always)


BUILTIN_DIAGNOSTICS = (
    _builtin("MS001", "syntax-error", "Mermaid's parser refuses the diagram", _MS001,
             fixable=True),
    _builtin("MS002", "unknown-diagram-type",
             "The first line is not a diagram type Mermaid knows", _MS002),
    _builtin("MS003", "unclosed-front-matter",
             "Front matter opened with `---` is never closed", _MS003),
    _builtin("MS004", "unknown-shape", "A node's `@{ shape: ... }` names no Mermaid shape",
             _MS004),
    _builtin("MS005", "link-style-out-of-range", "`linkStyle` names a link that does not exist",
             _MS005),
    _builtin("MS006", "anonymous-subgraph", "A `subgraph` line gives neither an id nor a title",
             _MS006),
    _builtin("MS101", "unclosed-fence", "A mermaid code fence is never closed", _MS101),
    _builtin("MX001", "unreadable-file", "A file could not be read", _MX001, always=True),
    _builtin("MX002", "rule-crashed", "A rule raised an exception (a bug)", _MX002, always=True),
    _builtin("MX100", "unused-suppression", "A suppression comment suppresses nothing", _MX100,
             Severity.WARNING),
)
