"""Where a link's arrow token ends in the file (the label may follow it, or sit inside it)."""

from __future__ import annotations

from mermaidlint.flowchart.ast import Link


def arrow_end(link: Link, text: str) -> int:
    """Offset just after the arrow's last character (its head, when it has one).

    ``A -- text --> B``: the arrow ends the link's span. ``A -->|text| B``: the span runs on over
    the ``|text|`` label; neither an arrow nor an edge id holds a ``|``, so the arrow ends at the
    first one.
    """
    if link.span.end > link.span.start and text[link.span.end - 1] == "|":
        return text.find("|", link.span.start, link.span.end)
    return link.span.end
