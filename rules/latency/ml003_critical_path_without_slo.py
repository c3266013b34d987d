"""ML003: a link on the critical path with no SLO figure."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from mermaidlint.flowchart.ast import ArrowHead, Stroke
from mermaidlint.rule import Rule, RuleContext

from ..planes_common import node_planes
from ._figures import all_measures

if TYPE_CHECKING:
    from mermaidlint.flowchart.ast import Link

# The request path through the planes, hop by hop (critical-path = "thick+planes").
_REQUEST_PATH = frozenset({("edge", "service"), ("service", "state")})
_PLANES_KEY = "planes"
_SUBGRAPHS_KEY = "subgraph-ids"
_THICK = Stroke.THICK  # (read for every link: see ast.NO_HEAD)


class CriticalPathWithoutSlo(Rule):
    code: ClassVar[str] = "ML003"
    name: ClassVar[str] = "critical-path-without-slo"
    summary: ClassVar[str] = "A link on the critical path has no SLO latency figure"
    explanation: ClassVar[str] = """\
**What it does.** Finds links on the critical path whose label gives no latency figure (a
percentile with a duration: `p99: 10ms`, `p99 < 10ms`, `10ms p99`). The critical path is:

* `latency.critical-path = "thick"` (the default): the thick links, `==>`, the way the Atlas
  diagrams mark the request's golden path;
* `"thick+planes"`: also every link of the request path through the planes, from an Edge node to
  a Service node and from a Service node to a State node (planes as the MP rules read them).

**Why.** Gate 3: SLO labels on critical paths (p50, p99, p999). A thick arrow says "this is
the hot path" and should say how hot.

A link between two subgraphs (`Normal ==> Surge`) orders phases or groups rather than carrying
a request, and is left alone: the only two thick links of the Atlas corpus are of that kind.
`"thick+planes"` would find some 3,100 of its 3,200 plane-to-plane hops unlabelled, which is why
it is not the default.

Bad:
```mermaid
flowchart LR
    CDN ==> API
```
Good:
```mermaid
flowchart LR
    CDN ==>|"p99: 12ms"| API
```
"""

    # The links are read in `end`, off the shared outline, rather than by a `link` hook: cheaper
    # than a call per link of every diagram (see mermaidlint.rule).
    def end(self, ctx: RuleContext) -> None:
        planes = ctx.config.latency.critical_path == "thick+planes"
        if planes:
            ctx.state[_PLANES_KEY] = node_planes(ctx)
        for link, _ in ctx.outline().links:
            if planes or link.stroke is _THICK:  # by default, only thick links are critical
                self._link(link, ctx)

    def _link(self, link: Link, ctx: RuleContext) -> None:
        why = self._critical(link, ctx)
        if why is None or _between_subgraphs(link, ctx):
            return
        if link.label is not None and all_measures(link.label.text):
            return
        ctx.report(link.span, f"{why} has no SLO figure: label it with the latency it must "
                              "meet, e.g. `p99: 10ms`")

    def _critical(self, link: Link, ctx: RuleContext) -> str | None:
        """Why the link is on the critical path ("this thick link"), or None."""
        if link.stroke is Stroke.THICK:
            return "this thick link (the critical path)"
        planes = ctx.state.get(_PLANES_KEY)
        if not isinstance(planes, dict):
            return None
        for hop in _hops(link):
            pair = (planes.get(hop[0]), planes.get(hop[1]))
            if pair in _REQUEST_PATH:
                return (f"this {pair[0].capitalize()}-to-{pair[1].capitalize()} link "
                        "(the request path)")
        return None


def _between_subgraphs(link: Link, ctx: RuleContext) -> bool:
    """A link from subgraph to subgraph (`Normal ==> Surge`) orders phases or groups; it is no
    hop of a request, and has no latency of its own."""
    ids = ctx.state.get(_SUBGRAPHS_KEY)
    if not isinstance(ids, frozenset):
        ids = ctx.state[_SUBGRAPHS_KEY] = frozenset(
            sub.id.value for sub, _ in ctx.outline().subgraphs if sub.id is not None)
    return all(node.id.value in ids for node in (*link.source, *link.target))


def _hops(link: Link) -> list[tuple[str, str]]:
    """(from, to) node ids of every edge the link draws, in the direction it points."""
    forward = [(a.id.value, b.id.value) for a in link.source for b in link.target]
    backward = [(b, a) for a, b in forward]
    if link.end_head is not ArrowHead.NONE and link.start_head is ArrowHead.NONE:
        return forward
    if link.start_head is not ArrowHead.NONE and link.end_head is ArrowHead.NONE:
        return backward
    return forward + backward  # both ways, or no way: either direction is the path
