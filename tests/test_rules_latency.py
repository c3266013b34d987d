"""ML rules: latency labels (fixtures/rules/latency.md), and the figure reader behind them."""

from __future__ import annotations

from pathlib import Path

import pytest
from mermaidlint.rules.latency._figures import all_measures, scan

from mermaidlint.config import Config, LatencyConfig
from mermaidlint.registry import get_registry
from rulekit import fence, run

FIXTURE = Path(__file__).parent.parent / "fixtures" / "rules" / "latency.md"


def positions(select: str, text: str, config: Config | None = None
              ) -> list[tuple[str, int, int, str]]:
    return [(f.code, f.line, f.column, f.text) for f in run(select, text, config)]


# ---- reading figures --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "nanoseconds"), [
    ("p99: 10ms", 10e6), ("P99 10 ms", 10e6), ("p99=1,500us", 1.5e6), ("p999: 2s", 2e9),
    ("p95: 2 seconds", 2e9), ("p50: 3 min", 180e9), ("p99: < 10ms", 10e6),
    ("p99 latency: 25ms", 25e6), ("Latency: 50ms p99", 50e6), ("Sub-10ms p99", 10e6),
])
def test_figures_in_the_spellings_the_corpus_uses(text: str, nanoseconds: float) -> None:
    [(_, value, negative)] = all_measures(text)
    assert value == pytest.approx(nanoseconds)
    assert not negative


@pytest.mark.parametrize("text", [
    "P1: 15 min response", "P19: Change Data Capture", "p3.2xlarge x 150", "P2P mesh",
    "720p HD", "50p coins", "p99 > 2x baseline", "p99: 99.9%", "P100 GPU",
    "https://example.com/p99/10ms", "p50, p95, p99", "p99 Latency<br/>Current: 12", "v1.p99",
    "#quot;p99#quot;", "api_p99: 10ms",
])
def test_look_alikes_are_no_figures(text: str) -> None:
    assert scan(text).figures == ()
    assert scan(text).problems == ()


def test_a_tag_does_not_join_a_number_to_the_next_line() -> None:
    [problem] = scan("p99: 250<br/>ms budget").problems
    assert "has no unit" in problem.message


# ---- the fixture ------------------------------------------------------------------------------


def test_fixture_findings_and_positions() -> None:
    assert positions("ML", FIXTURE.read_text()) == [
        ("ML001", 7, 16, "p99: 250"),  # no unit
        ("ML001", 7, 29, "p95: 3.2m"),  # `m` is no duration unit
        ("ML001", 7, 46, "p100"),  # not a percentile of the style guide
        ("ML001", 8, 12, "99p: 10ms"),  # the p after the number
        ("ML002", 8, 51, "p99: 20ms"),  # faster than p50: 45ms
        ("ML001", 9, 13, "p99:"),  # no value
        ("ML003", 16, 9, "==>"),  # thick link without a figure
        ("ML004", 19, 19, "P99 10 ms"),  # a subgraph title
        ("ML004", 20, 12, "p95: 2 seconds"),
        ("ML004", 20, 31, "p99.9: 5s"),
    ]


def test_safe_fixes_rewrite_in_the_canonical_form() -> None:
    fixed = {f.text: (f.fixed, f.applicability) for f in run("ML001,ML004", FIXTURE.read_text())
             if f.fixed is not None}
    assert set(fixed) == {"99p: 10ms", "P99 10 ms", "p95: 2 seconds", "p99.9: 5s"}
    assert all(applicability == "safe" for _, applicability in fixed.values())
    assert '    B -->|"p99: 10ms"| C' in (fixed["99p: 10ms"][0] or "")
    assert 'subgraph Hot["p99: 10ms"]' in (fixed["P99 10 ms"][0] or "")
    assert 'Q["p95: 2s<br/>p99.9: 5s"]' in (fixed["p95: 2 seconds"][0] or "")
    assert 'p999: 5s"]' in (fixed["p99.9: 5s"][0] or "")


def test_microseconds_keep_their_spelling() -> None:
    text = fence("flowchart LR", '    A -->|"p99 5 µs"| B')
    [finding] = run("ML004", text)
    assert finding.message == "write `p99 5 µs` as `p99: 5µs`"


# ---- the critical path ------------------------------------------------------------------------


PLANES = fence(
    "flowchart LR",
    "    subgraph EdgePlane[Edge Plane]",
    "        LB",
    "    end",
    "    subgraph ServicePlane[Service Plane]",
    "        API",
    "    end",
    "    subgraph StatePlane[State Plane]",
    "        DB",
    "    end",
    "    LB --> API",
    '    API -->|"p99: 4ms"| DB',
    "    DB --> API",
    "    API --> LB",
    "    LB <==> API",
)


def test_the_request_path_through_the_planes_is_opt_in() -> None:
    assert positions("ML003", PLANES) == [("ML003", 16, 8, "<==>")]
    config = Config(latency=LatencyConfig(critical_path="thick+planes"))
    findings = run("ML003", PLANES, config)
    # API -> DB has its figure; DB --> API and API --> LB run against the request; a thick
    # link is reported in either mode, as the thick link it is.
    assert [(f.line, f.column, f.text) for f in findings] == [(12, 8, "-->"), (16, 8, "<==>")]
    assert "Edge-to-Service" in findings[0].message


def test_declarations() -> None:
    registry = get_registry()
    for code in ("ML001", "ML002", "ML003", "ML004"):
        info = registry.lookup(code)
        assert info is not None and info.enabled_by_default
        assert info.origin.startswith("mermaidlint.rules.latency")


def test_a_thick_link_between_subgraphs_is_no_request_hop() -> None:
    text = fence("flowchart LR",
                 "    subgraph Normal", "        A --> B", "    end",
                 "    subgraph Surge", "        C --> D", "    end",
                 "    Normal ==> Surge",
                 "    B ==> C")
    assert positions("ML003", text) == [("ML003", 10, 7, "==>")]
