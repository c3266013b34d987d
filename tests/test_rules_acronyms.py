"""MA001: undefined acronyms (fixtures/rules/acronyms.md), and how definitions are recognised."""

from __future__ import annotations

from pathlib import Path

import pytest
from mermaidlint.rules.acronyms._expansions import defines
from mermaidlint.rules.acronyms._tokens import tokens
from mermaidlint.rules.acronyms.ma001_undefined_acronym import UndefinedAcronym

from mermaidlint.config import AcronymsConfig, Config
from mermaidlint.registry import get_registry
from rulekit import fence, run, run_direct

FIXTURE = Path(__file__).parent.parent / "fixtures" / "rules" / "acronyms.md"


def positions(text: str, config: Config | None = None) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.text) for f in run("MA", text, config)]


# ---- the fixture ------------------------------------------------------------------------------


def test_fixture_findings_and_positions() -> None:
    assert positions(FIXTURE.read_text()) == [
        (11, 13, "JWT"),  # an edge label; its second use (line 13) is not reported again
        (11, 52, "RBAC"),  # between entity codes: `#quot;RBAC#quot;` reads as "RBAC"
        (13, 21, "LB"),
        (14, 18, "K8S"),  # a subgraph title (the id `K8S` is not looked at)
        (25, 7, "JWT"),  # once per diagram: the second diagram has its own first use
    ]
    # Not reported: HTTP and API (ubiquitous), CDN (a Markdown abbreviation), WAF (spelt out
    # in the prose), TTL (spelt out in the second diagram), HEALTHY/FAILED/RESTARTING (words),
    # ACME/XYZ (in a URL), HSM (a comment and an id), BIGCLASS (a class), #3B82F6 (a colour).


def test_configured_definitions() -> None:
    text = FIXTURE.read_text()
    config = Config(acronyms=AcronymsConfig(glossary={"JWT": "JSON Web Token"},
                                            allow=["RBAC", "LB", "K8S"]))
    assert positions(text, config) == []


def test_glossary_files_are_read_relative_to_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "glossary.md").write_text(
        "*[JWT]: JSON Web Token\n*[RBAC]: Role-Based Access Control\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = Config(acronyms=AcronymsConfig(glossary_files=["glossary.md", "missing.md"]))
    assert positions(FIXTURE.read_text(), config) == [(13, 21, "LB"), (14, 18, "K8S")]


def test_unsafe_fix_spells_out_from_the_glossary_when_definitions_must_be_in_the_document(
        ) -> None:
    text = fence("flowchart LR", "    A[JWT issuer] --> B[WAF]")
    # Glossaries stop counting as definitions.
    config = Config(acronyms=AcronymsConfig(glossary={"JWT": "JSON Web Token"},
                                            require_in_document=True))
    jwt, waf = run_direct(UndefinedAcronym, text, config)
    assert (jwt.line, jwt.column, jwt.applicability) == (3, 7, "unsafe")
    assert jwt.fixed is not None and "A[JSON Web Token (JWT) issuer]" in jwt.fixed
    assert "`JSON Web Token (JWT)`" in jwt.message
    assert waf.fixed is None  # nothing to spell it out from


# ---- what is an acronym -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "found"), [
    ("WAF rules", ["WAF"]), ("SLAs met", ["SLA"]), ("P2P and EC2", ["P2P", "EC2"]),
    ("Multi-AZ", ["AZ"]), ("TCP/IP", ["TCP", "IP"]), ("<b>WAF</b>", ["WAF"]),
    ("fill #3B82F6", []), ("https://ACME.example/XYZ", []), ("GraphQL, iOS, OAuth", []),
    ("MAX_CONNECTIONS", []), ("README.md", []), ("Phase II", []), ("100TB, 64GB", []),
    ("P99 latency", []), ("#quot;", []),
])
def test_tokens(text: str, found: list[str]) -> None:
    assert [t.acronym for t in tokens(text)] == found


@pytest.mark.parametrize(("text", "acronym"), [
    ("We run a Web Application Firewall (WAF).", "WAF"),
    ("WAF (Web Application Firewall) blocks bots.", "WAF"),
    ("WAF (the Web Application Firewall; L7)", "WAF"),
    ("Amazon Elastic Compute Cloud (EC2)", "EC2"),
    ("peer-to-peer (P2P) links", "P2P"),
    ("Service-Level Agreements (SLAs)", "SLA"),
    ("HyperText Transfer Protocol (HTTP)", "HTTP"),
    ("| **CQRS** | Command Query Responsibility Segregation |", "CQRS"),
    ("- **TTL**: Time to live", "TTL"),
    ("ALB[Application Load Balancer<br/>AWS ALB]", "ALB"),
    ("LB[AWS ALB<br/>Application Load Balancer]", "ALB"),
])
def test_definitions(text: str, acronym: str) -> None:
    assert defines(text, acronym)


@pytest.mark.parametrize(("text", "acronym"), [
    ("We also deploy a firewall (WAF).", "WAF"),  # the initials do not spell it
    ("the cache (LRU) evicts", "LRU"),
    ("LB[Load Balancer<br/>AWS ALB]", "ALB"),
    ("WAFX (Web Application Firewall)", "WAF"),  # another token
    ("x" * 200 + " TTL: time to live", "TTL"),  # not a glossary line
])
def test_not_definitions(text: str, acronym: str) -> None:
    assert not defines(text, acronym)


def test_look_alikes_do_not_trigger() -> None:
    text = fence(
        "flowchart LR",
        "    WAF_NODE[Firewall] --> API_GW[Gateway]:::CDNSTYLE",
        "    %% WAF JWT in a comment",
        '    API_GW --> C["Phase II<br/>fill #3B82F6<br/>see https://x.io/JWT"]',
        "    classDef CDNSTYLE fill:#F59E0B",
        "    click C href \"https://x.io/RBAC\" \"RBAC docs\"",
        "    C --> D[Reads at QUORUM, writes at ALL]",
    )
    assert run("MA", text) == []


def test_declaration() -> None:
    info = get_registry().lookup("MA001")
    assert info is not None and info.enabled_by_default and info.fixable
    assert "API, CPU" in info.explanation  # the built-in list is documented
