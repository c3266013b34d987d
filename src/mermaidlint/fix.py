"""Apply fixes without losing a byte.

``fix_source`` runs passes until nothing more changes (at most ``MAX_PASSES``). Each pass lints
the current text, applies the fixes it is allowed to (safe ones; unsafe ones too with
``--unsafe-fixes``) that do not overlap, and lints again: a fix that leaves its diagnostic in
place, or that makes Mermaid refuse more of its diagram than before, is taken back and reported.

Edits only replace the spans their diagnostics name, on the file's own text (line breaks, the
byte-order mark, indentation inside lists and quotes are never rewritten), and ``write_atomic``
replaces the file in one step, keeping its mode, and only if nobody changed it meanwhile.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mermaidlint.diagnostics import Applicability, Diagnostic, Edit
from mermaidlint.document import SourceFile
from mermaidlint.engine import Settings, collect_diagnostics

MAX_PASSES = 10


@dataclass(frozen=True, slots=True)
class AppliedFix:
    code: str
    name: str
    description: str
    offset: int  # where, in the text the pass started from


@dataclass(slots=True)
class FixResult:
    original: str
    fixed: str
    applied: list[AppliedFix] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # why a fix was taken back
    passes: int = 0

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def _allowed(diagnostic: Diagnostic, unsafe: bool) -> bool:
    fix = diagnostic.fix
    return fix is not None and bool(fix.edits) and (
        fix.applicability is Applicability.SAFE or unsafe)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Splice non-overlapping edits (sorted by position) into ``text``."""
    out: list[str] = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        out.append(text[cursor:edit.span.start])
        out.append(edit.replacement)
        cursor = edit.span.end
    out.append(text[cursor:])
    return "".join(out)


def _choose(diagnostics: list[Diagnostic], unsafe: bool, refused: set[tuple[str, str]]
            ) -> list[Diagnostic]:
    """The fixable diagnostics of one pass whose edits do not overlap an earlier choice."""
    chosen: list[Diagnostic] = []
    taken: list[tuple[int, int]] = []
    seen_edits: set[tuple[int, int, str]] = set()
    for d in sorted(diagnostics, key=lambda d: d.span.start):
        if not _allowed(d, unsafe) or _key(d) in refused:
            continue
        assert d.fix is not None
        spans = [(e.span.start, e.span.end, e.replacement) for e in d.fix.edits]
        if all(s in seen_edits for s in spans):  # the same fix offered by several diagnostics
            chosen.append(d)
            continue
        if any((a < end and start < b) or (a == b == start) for a, b, _ in spans
               for start, end in taken):
            continue
        chosen.append(d)
        taken.extend((a, b) for a, b, _ in spans)
        seen_edits.update(spans)
    return chosen


def _key(d: Diagnostic) -> tuple[str, str]:
    assert d.fix is not None
    return d.code, "|".join(f"{e.span.start}:{e.span.end}:{e.replacement}" for e in d.fix.edits)


def _diagram_of(source: SourceFile, offset: int) -> int:
    for diagram in source.diagrams:
        if diagram.fence_span.start <= offset <= diagram.fence_span.end:
            return diagram.index
    return -1


def _counts(source: SourceFile, diagnostics: list[Diagnostic]) -> Counter[tuple[int, str]]:
    """(diagram index, code) -> how many; code "MS0" counts every refusal together."""
    counts: Counter[tuple[int, str]] = Counter()
    for d in diagnostics:
        where = _diagram_of(source, d.span.start)
        counts[(where, d.code)] += 1
        if d.refuses_render:
            counts[(where, "MS0")] += 1
    return counts


def fix_source(source: SourceFile, settings: Settings | None = None, *, unsafe: bool = False
               ) -> FixResult:
    """Fix what can be fixed in ``source``; the result holds the new text and what changed."""

    result = FixResult(original=source.text, fixed=source.text)
    refused: set[tuple[str, str]] = set()
    current = _reread(source, source.text)
    before = collect_diagnostics(current, settings)
    for _ in range(MAX_PASSES):
        chosen = _choose(before, unsafe, refused)
        if not chosen:
            break
        result.passes += 1
        attempt = _attempt(current, before, chosen, settings)
        if attempt is None:  # something went wrong: try the fixes one at a time
            attempt = _one_by_one(current, before, chosen, settings, refused, result)
            if attempt is None:
                break
        text, after, applied = attempt
        result.applied.extend(applied)
        current = _reread(source, text)
        before = after
    result.fixed = current.text
    return result


def _reread(source: SourceFile, text: str) -> SourceFile:
    return SourceFile(path=source.path, text=text, has_bom=source.has_bom)


def _attempt(current: SourceFile, before: list[Diagnostic], chosen: list[Diagnostic],
             settings: Settings | None
             ) -> tuple[str, list[Diagnostic], list[AppliedFix]] | None:
    """Apply ``chosen`` together; None when any of them failed its check."""
    edits = {(e.span.start, e.span.end, e.replacement): e
             for d in chosen if d.fix for e in d.fix.edits}
    text = apply_edits(current.text, list(edits.values()))
    if text == current.text:
        return None
    fixed = _reread(current, text)
    after = collect_diagnostics(fixed, settings)
    old, new = _counts(current, before), _counts(fixed, after)
    for d in chosen:
        where = _diagram_of(current, d.span.start)
        if new[(where, "MS0")] > old[(where, "MS0")] or new[(where, d.code)] >= old[(where,
                                                                                      d.code)]:
            return None
    applied = [AppliedFix(d.code, d.name, d.fix.description if d.fix else "", d.span.start)
               for d in chosen]
    return text, after, applied


def _one_by_one(current: SourceFile, before: list[Diagnostic], chosen: list[Diagnostic],
                settings: Settings | None, refused: set[tuple[str, str]], result: FixResult
                ) -> tuple[str, list[Diagnostic], list[AppliedFix]] | None:
    for d in chosen:
        attempt = _attempt(current, before, [d], settings)
        if attempt is not None:
            return attempt
        refused.add(_key(d))
        result.dropped.append(f"{d.code} {d.name}: the fix did not remove the finding or made "
                              "the diagram worse; left as it was")
    return None


def unified_diff(path: str, result: FixResult) -> str:
    """What --diff prints for one file."""
    return "".join(difflib.unified_diff(
        result.original.splitlines(keepends=True), result.fixed.splitlines(keepends=True),
        fromfile=f"a/{path}", tofile=f"b/{path}",
    ))


class ChangedOnDisk(Exception):
    """The file is not what was read: someone else wrote it meanwhile."""


def encode(source: SourceFile, text: str) -> bytes:
    return ("\ufeff" if source.has_bom else "").encode("utf-8") + text.encode("utf-8")


def write_atomic(path: Path, data: bytes, expected: bytes) -> None:
    """Replace ``path`` with ``data`` in one step, keeping its mode, if it still holds
    ``expected``; otherwise raise :class:`ChangedOnDisk` and leave it alone."""
    if path.read_bytes() != expected:
        raise ChangedOnDisk(str(path))
    mode = os.stat(path).st_mode
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".mermaidlint-tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode & 0o7777)
        if path.read_bytes() != expected:  # last look before the swap
            raise ChangedOnDisk(str(path))
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
