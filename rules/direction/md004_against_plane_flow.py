"""MD004: an answer drawn as a solid arrow against the plane order (State -> Service -> Edge)."""

from __future__ import annotations

import re
from typing import ClassVar

from mermaidlint.flowchart.ast import NO_HEAD, Link, Stroke
from mermaidlint.rule import Rule, RuleContext

from ..planes_common import names_a_plane, node_planes

# Requests flow down this order; an answer flows back up, drawn dashed. Control is outside it.
ORDER = {"edge": 0, "service": 1, "state": 2}
# A node that hands data on by design: what leaves it is a message, not the answer to a request.
_STREAM = re.compile(r"kafka|sqs|sns|kinesis|queue|stream|topic|pub.?sub|event|\bbus\b|cdc|"
                     r"outbox|\bmq\b|rabbit|nats|pulsar|\blog\b", re.IGNORECASE)

_SOLID = (Stroke.NORMAL, Stroke.THICK)
_Arrow = tuple[str, str, Link]  # (from id, to id, link) for each node pair of a solid arrow


class AgainstPlaneFlow(Rule):
    code: ClassVar[str] = "MD004"
    name: ClassVar[str] = "against-plane-flow"
    summary: ClassVar[str] = "An answer is drawn as a solid arrow against the plane order"
    explanation: ClassVar[str] = """\
**What it does.** Reports a solid arrow (`-->`, `==>`) from a later plane to an earlier one
(State to Service, State to Edge, Service to Edge) that answers a request: the diagram also has
a solid arrow the other way between the same two nodes. A node's plane comes from its classes
(`planes.class-names`, e.g. `:::stateStyle`) or else from the subgraph it is in
(`subgraph StatePlane`, `subgraph "Service Plane"`); see `rules/planes_common.py`.

**Why.** Gate 4 of the Atlas quality gates: in the four-plane diagrams requests flow from the
Edge through the Services to the State, and answers come back dashed, so that the request path
reads at a glance. `API --> DB` with `DB --> API` draws two requests; the second is the rows
coming back.

**Not reported.** Solid arrows out of the State plane that carry data on their own account: a
queue or a stream feeding its consumers (Kafka, SQS, event logs, CDC), storage feeding a CDN or
a batch job. On the Atlas corpus, 213 solid arrows run against the plane order, and nearly all
are of that kind (or are decision flowcharts coloured by plane); the 5 that answer a request
drawn the other way (`LEADER -->|ACK| CLIENT`, a cache hit returned to its caller) are what this
rule reports. Dashed arrows, the Control plane and nodes with no plane are never reported; nor
is a node whose id or label names a queue, stream, topic or log.

Bad:
```mermaid
flowchart LR
    subgraph ServicePlane[Service Plane]
        API
    end
    subgraph StatePlane[State Plane]
        DB[(Orders DB)]
    end
    API -->|query| DB
    DB -->|rows| API
```
Good:
```mermaid
flowchart LR
    subgraph ServicePlane[Service Plane]
        API
    end
    subgraph StatePlane[State Plane]
        DB[(Orders DB)]
    end
    API -->|query| DB
    DB -.->|rows| API
```
"""

    # The links are read in `end`, off the shared outline, rather than by a `link` hook: cheaper
    # than a call per link of every diagram (see mermaidlint.rule).
    def end(self, ctx: RuleContext) -> None:
        if not names_a_plane(ctx):
            return  # no node is in a plane: no arrow can run against their order
        arrows = _solid_arrows(ctx)
        pairs = {(a, b) for a, b, _ in arrows}
        answers = [(a, b, link) for a, b, link in arrows if (b, a) in pairs and a != b]
        if not answers:
            return  # most diagrams: no need to work out the planes
        planes = node_planes(ctx)
        labels = _labels(ctx)
        reported: set[int] = set()
        for a, b, link in answers:
            src, dst = planes.get(a), planes.get(b)
            if src not in ORDER or dst not in ORDER or ORDER[src] <= ORDER[dst]:
                continue
            if id(link) in reported or _STREAM.search(f"{a} {labels.get(a, '')}"):
                continue
            reported.add(id(link))
            ctx.report(link.span, (
                f"`{a}` ({src.title()} plane) answers `{b}` ({dst.title()} plane) with a solid "
                f"arrow: requests flow Edge -> Service -> State, answers go back dashed "
                f"(`-.->`)"))


def _solid_arrows(ctx: RuleContext) -> list[_Arrow]:
    """Every node pair of the solid one-way arrows, in the direction they point."""
    arrows: list[_Arrow] = []
    for link, _ in ctx.outline().links:
        # One head exactly (directed, not both ways), read off the heads rather than through
        # the `directed`/`bidirectional` properties: this runs for every link of every diagram.
        forward = link.end_head is not NO_HEAD
        if forward is (link.start_head is not NO_HEAD) or link.stroke not in _SOLID:
            continue
        sources, targets = (link.source, link.target) if forward else (link.target, link.source)
        if len(sources) == 1 == len(targets):  # most links: one node to one node
            arrows.append((sources[0].id.value, targets[0].id.value, link))
        else:
            arrows.extend((s.id.value, t.id.value, link) for s in sources for t in targets)
    return arrows


def _labels(ctx: RuleContext) -> dict[str, str]:
    """Node id -> its first label (to tell a queue or a log by its name)."""
    out: dict[str, str] = {}
    for node, _ in ctx.outline().nodes:
        if node.label is not None:
            out.setdefault(node.id.value, node.label.text)
    return out
