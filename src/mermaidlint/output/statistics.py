"""``--statistics``: how many diagnostics each rule reported, instead of the diagnostics::

    3  MS001  syntax-error
    1  MX100  unused-suppression

Most frequent first, then by code. Nothing is printed when nothing was found. With
``--format json``, a list of ``{"code", "name", "count", "fixable"}`` (``fixable``: how many of
them carry a fix).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mermaidlint.runner import Report


@dataclass(frozen=True, slots=True)
class Row:
    code: str
    name: str
    count: int
    fixable: int


def rows(report: Report) -> list[Row]:
    counts: Counter[tuple[str, str]] = Counter()
    fixable: Counter[tuple[str, str]] = Counter()
    for d in report.diagnostics:
        counts[(d.code, d.name)] += 1
        fixable[(d.code, d.name)] += d.fixable
    return sorted((Row(code, name, n, fixable[(code, name)])
                   for (code, name), n in counts.items()),
                  key=lambda r: (-r.count, r.code, r.name))


def render(report: Report) -> str:
    table = rows(report)
    if not table:
        return ""
    count_width = len(str(table[0].count))
    code_width = max(len(r.code) for r in table)
    return "".join(f"{r.count:>{count_width}}  {r.code:<{code_width}}  {r.name}\n"
                   for r in table)


def render_json(report: Report) -> str:
    data = [{"code": r.code, "name": r.name, "count": r.count, "fixable": r.fixable}
            for r in rows(report)]
    return json.dumps(data, indent=2) + "\n"
