"""MD003: a link with heads at both ends (`<-->`) hides which way a request goes."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from mermaidlint.flowchart.ast import NO_HEAD, Link, Stroke
from mermaidlint.rule import Rule, RuleContext


class BidirectionalLink(Rule):
    code: ClassVar[str] = "MD003"
    name: ClassVar[str] = "bidirectional-link"
    summary: ClassVar[str] = "A two-headed link (`<-->`) hides which way a request flows"
    explanation: ClassVar[str] = """\
**What it does.** Reports a link with a head at both ends (`<-->`, `<==>`, `<-.->`, `o--o`,
`x--x`) between two nodes that have no other two-headed link.

**Why.** Gate 4 of the Atlas quality gates: data flow has a direction. A two-headed arrow
between a service and its cache, or a client and a server, says "they talk" without saying who
asks and who answers, which is what a reader needs (who depends on whom, where a timeout or a
retry happens).

**Not reported: peers.** When a node has two or more two-headed links, they draw a ring, a mesh
or a chain of peers (gossip between cluster nodes, multi-region replication, active-active
mirrors, a chain of proxies), where data really flows both ways and `<-->` is the honest
drawing. On the Atlas corpus that was 27 of the 31 two-headed links; the 4 left are the
request/answer pairs this rule is for (`GRAFANA <--> REDIS`, `ORDER_SVC <--> USER_SVC`, ...).

**Instead.** Draw the request as a solid arrow and the answer as a dashed one, or keep one arrow
in the direction of the request and label it.

Bad:
```mermaid
flowchart LR
    API <--> Cache
```
Good:
```mermaid
flowchart LR
    API -->|GET| Cache
    Cache -.->|hit| API
```
"""

    # The links are read in `end`, off the shared outline, rather than by a `link` hook: cheaper
    # than a call per link of every diagram (see mermaidlint.rule).
    def end(self, ctx: RuleContext) -> None:
        # Link.bidirectional, with the start's head looked at first (only two-headed links have
        # one) and without a property call: this runs over every link of every diagram.
        found = [link for link, _ in ctx.outline().links
                 if link.start_head is not NO_HEAD and link.end_head is not NO_HEAD
                 and link.stroke is not Stroke.INVISIBLE]
        if not found:
            return
        degree: Counter[str] = Counter()
        for link in found:
            for a, b in _pairs(link):
                degree[a] += 1
                degree[b] += 1
        for link in found:
            if all(degree[a] == 1 and degree[b] == 1 for a, b in _pairs(link)):
                ctx.report(link.span, f"`{link.arrow}` points both ways: draw the request and "
                           "the answer as two links (the answer dashed), or one arrow in the "
                           "direction of the request")


def _pairs(link: Link) -> list[tuple[str, str]]:
    return [(s.id.value, t.id.value) for s in link.source for t in link.target]
