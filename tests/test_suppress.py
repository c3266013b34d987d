"""Suppression comments in diagrams and in Markdown, and the unused ones (MX100)."""

from __future__ import annotations

from pathlib import Path

from mermaidlint import engine, files
from mermaidlint.engine import ReportedDiagnostic, Settings

# The codes these tests are about (other families' rules would add their own findings).
MINE = ("MD", "MS", "MX")


def lint(markdown: str, *, path: str = "doc.md", select: tuple[str, ...] = MINE,
         ignore: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    source = files.source_from_text(path, markdown)
    result = engine.lint_source(source, Settings(select=select, ignore=ignore))
    return [(d.line, d.code) for d in result.diagnostics]


def messages(markdown: str) -> list[ReportedDiagnostic]:
    source = files.source_from_text("doc.md", markdown)
    return engine.lint_source(source, Settings(select=MINE)).diagnostics


# ---- inside a diagram -------------------------------------------------------------------------


def test_disable_next_line() -> None:
    doc = """```mermaid
graph TD
    %% mermaidlint-disable-next-line MD003
    A <--> B

    %% an ordinary comment
    C <--> D
```
"""
    assert lint(doc) == [(7, "MD003")]


def test_disable_next_line_skips_blank_and_comment_lines() -> None:
    doc = """```mermaid
graph TD
    %% mermaidlint-disable-next-line bidirectional-link

    %% why: peers in a ring would not be reported; these two are a pair on purpose
    A <--> B
```
"""
    assert lint(doc) == []


def test_disable_next_line_several_codes_names_and_prefixes() -> None:
    doc = """```mermaid
graph TD
    %% mermaidlint-disable-next-line MD003, MS1
    A <--> B:::nope
    C <--> D:::nope
```
"""
    assert lint(doc) == [(5, "MD003"), (5, "MS103")]


def test_disable_enable_range() -> None:
    doc = """```mermaid
graph TD
    %% mermaidlint-disable MD003
    A <--> B
    C <--> D
    %% mermaidlint-enable MD003
    E <--> F
    %% mermaidlint-disable
    G <--> H
```
"""
    assert lint(doc) == [(7, "MD003")]


def test_enable_of_another_code_does_not_end_a_range() -> None:
    doc = """```mermaid
graph TD
    %% mermaidlint-disable MD003
    %% mermaidlint-enable MD001
    A <--> B
```
"""
    assert lint(doc, ignore=("MX100",)) == []


def test_a_diagram_that_does_not_parse() -> None:
    doc = """```mermaid
flowchart LR
    %% mermaidlint-disable-next-line MS001
    A[Cache (LRU)] --> B
```

```mermaid
flowchart LR
    A[Cache (LRU)] --> B
```
"""
    assert lint(doc) == [(9, "MS001")]


def test_directives_only_in_comments() -> None:
    """A label that mentions the directive is not one; `%%{init}%%` is not a comment."""
    doc = """```mermaid
%%{init: {"theme": "dark"}}%%
graph TD
    X["mermaidlint-disable MD003"]
    A <--> B
```
"""
    assert lint(doc) == [(5, "MD003")]


# ---- in Markdown --------------------------------------------------------------------------------


def test_markdown_range() -> None:
    doc = """<!-- mermaidlint-disable MD003 -->

```mermaid
graph TD
    A <--> B
```

<!-- mermaidlint-enable -->

```mermaid
graph TD
    A <--> B
```
"""
    assert lint(doc) == [(12, "MD003")]


def test_markdown_next_diagram() -> None:
    doc = """Some text.

<!-- mermaidlint-disable-next-diagram -->
```mermaid
graph
    A <--> B
```

<!-- mermaidlint-disable-next-diagram bidirectional-link -->

```mermaid
graph
    A <--> B
```
"""
    assert lint(doc) == [(12, "MD001")]


def test_markdown_directive_inside_a_code_block_is_text() -> None:
    doc = """To silence a rule, write:

```markdown
<!-- mermaidlint-disable MD003 -->
```

```mermaid
graph TD
    A <--> B
```
"""
    assert lint(doc) == [(9, "MD003")]


def test_mmd_files_have_diagram_directives_only() -> None:
    mmd = "graph TD\n%% mermaidlint-disable-next-line MD003\nA <--> B\nC <--> D\n"
    assert lint(mmd, path="x.mmd") == [(4, "MD003")]


# ---- unused suppressions (MX100) ----------------------------------------------------------------


def test_unused_suppressions_are_reported() -> None:
    doc = """<!-- mermaidlint-disable-next-diagram MD005 -->
```mermaid
graph TD
    %% mermaidlint-disable-next-line MD003, MD001
    A <--> B
    %% mermaidlint-disable-next-line
    C --> D
    %% mermaidlint-disable-next-line MZ42
    E --> F
    %% mermaidlint-disable-next-line MS105
    G --> H
```
"""
    assert (10, "MX100") in lint(doc, select=("MD", "MX"))  # MS105 not enabled: said so
    found = [(d.line, d.code, d.message) for d in messages(doc) if d.code == "MX100"]
    assert found == [
        (1, "MX100", "`<!-- mermaidlint-disable-next-diagram MD005 -->`: `MD005` suppresses "
                     "nothing"),
        (4, "MX100", "`%% mermaidlint-disable-next-line MD003, MD001`: `MD001` suppresses "
                     "nothing"),
        (6, "MX100", "`%% mermaidlint-disable-next-line` suppresses nothing"),
        (8, "MX100", "`%% mermaidlint-disable-next-line MZ42`: unknown rule code, prefix or "
                     "name `MZ42`"),
        (10, "MX100", "`%% mermaidlint-disable-next-line MS105`: `MS105` suppresses nothing"),
    ]


def test_unused_suppression_is_not_reported_when_mx100_is_ignored() -> None:
    doc = "```mermaid\ngraph TD\n    %% mermaidlint-disable-next-line MD003\n    A --> B\n```\n"
    assert lint(doc) == [(3, "MX100")]
    assert lint(doc, ignore=("MX100",)) == []
    assert lint(doc, select=("MD",)) == []


def test_an_unused_diagram_suppression_can_itself_be_suppressed_in_markdown() -> None:
    doc = """<!-- mermaidlint-disable MX100 -->
```mermaid
graph TD
    %% mermaidlint-disable-next-line MD003
    A --> B
```
"""
    assert lint(doc) == []


def test_a_suppression_for_a_rule_that_is_not_enabled_says_so() -> None:
    doc = "```mermaid\ngraph TD\n    %% mermaidlint-disable-next-line MS105\n    A --> B\n```\n"
    source = files.source_from_text("doc.md", doc)
    [found] = engine.lint_source(source, Settings(select=("MD", "MX"))).diagnostics
    assert found.message.endswith("`MS105` suppresses nothing (it is not enabled)")


def test_example_file() -> None:
    path = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / "suppression.md"
    source = files.source_from_text("suppression.md", path.read_text(encoding="utf-8"))
    result = engine.lint_source(source, Settings(select=MINE))
    assert [(d.line, d.column, d.code) for d in result.diagnostics] == [(22, 5, "MX100")]
