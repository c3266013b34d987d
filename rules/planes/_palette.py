"""Which palette a diagram's plane colours are held to.

A palette the configuration names (other than the default) is used as is. Left at the default,
a diagram is held to the known palette (built-in, then custom ``palettes``) its own plane fills
follow most; a diagram with no plane fill in any known palette follows its document's other
diagrams, and only then the default. The Atlas corpus moved from the seed colours to the
Tailwind ones, and a diagram or document consistently in either is not wrong: switching
``palette`` in the configuration is what asks for a migration.

The default is recognised by value, not by "was it set": the engine hands rules a configuration
re-read from its JSON dump, in which every field looks set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from mermaidlint.config import DEFAULT_PALETTE, PALETTES, PLANES, PlanesConfig

from ..planes_common import plane_of_class
from ._colour import Colour, parse_colour

if TYPE_CHECKING:
    from mermaidlint.config import Config

AUTO = "auto"

# A `classDef` line anywhere in the document, and the fill it sets: enough to see which palette
# the document's other diagrams use without parsing them.
# (The pattern starts with its literal, which the regex engine finds fast; what comes before it
# on its line is checked afterwards.)
_CLASSDEF_LINE = re.compile(r"classDef[ \t]+([\w,-]+)[ \t]+(.*)$", re.MULTILINE)
_LINE_PREFIX = re.compile(r"[ \t>]*")
_FILL = re.compile(r"(?:^|[,;])\s*fill\s*:\s*([^,;]+)")


@dataclass(slots=True)
class Palette:
    name: str
    hexes: dict[str, str]  # plane -> colour as configured ("#3B82F6")
    colours: dict[str, Colour]  # plane -> parsed colour
    explicit: bool  # named by the configuration rather than chosen from the diagram

    def plane_of_colour(self, colour: Colour | None) -> str | None:
        for plane, own in self.colours.items():
            if own == colour:
                return plane
        return None


Evidence = list[tuple[str, Colour]]  # (plane, colour written for it)


def choose_palette(config: Config, evidence: Evidence, document_text: str) -> Palette:
    planes = config.planes
    name = planes.palette
    explicit = name not in (AUTO, DEFAULT_PALETTE)
    if not explicit:
        palettes = _palettes(planes)
        name = (_best(palettes.candidates, evidence)
                or _best(palettes.candidates, _document_evidence(document_text, config))
                or palettes.default)
    return _palette_named(planes, name, explicit)


def configured_palette(config: Config) -> Palette:
    """The palette the configuration names (its default when it names none): what every
    diagram that names no plane (six in ten) is held to."""
    default = _palettes(config.planes).default
    return _palette_named(config.planes, default, default != DEFAULT_PALETTE)


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A known palette as :func:`_best` compares evidence with it."""

    name: str
    colours: dict[str, Colour]  # plane -> its colour
    own: frozenset[Colour]  # the palette's colours, whatever the plane


@dataclass(slots=True)
class _Palettes:
    """The palettes of one configuration, worked out once rather than for every diagram. Read
    only, as every analysis result."""

    planes: PlanesConfig
    known: dict[str, dict[str, str]]  # name -> plane colours: the built-in, then custom ones
    default: str  # the palette the configuration names ("auto": the default one)
    candidates: tuple[_Candidate, ...]  # the palettes a diagram may be held to, in the order
    # tried: the default first, then the known ones
    made: dict[tuple[str, bool], Palette]  # by name and whether the configuration names it


# The last configuration's palettes: a run mostly has one configuration.
_last: _Palettes | None = None


def _palettes(planes: PlanesConfig) -> _Palettes:
    global _last
    if _last is None or _last.planes is not planes:
        known = {**PALETTES, **planes.palettes}
        default = planes.palette if planes.palette != AUTO else DEFAULT_PALETTE
        candidates = []
        for name in (default, *known):
            colours = parsed(known.get(name, {}))
            candidates.append(_Candidate(name, colours, frozenset(colours.values())))
        _last = _Palettes(planes, known, default, tuple(candidates), {})
    return _last


def _palette_named(planes: PlanesConfig, name: str, explicit: bool) -> Palette:
    palettes = _palettes(planes)
    palette = palettes.made.get((name, explicit))
    if palette is None:
        hexes = palettes.known.get(name, PALETTES[DEFAULT_PALETTE])
        palette = palettes.made[(name, explicit)] = Palette(name, hexes, parsed(hexes), explicit)
    return palette


def _best(candidates: tuple[_Candidate, ...], evidence: Evidence) -> str | None:
    """The palette whose colours the evidence uses most: first on the right plane, then on any
    plane (a diagram that swapped two Tailwind colours is still a Tailwind diagram). None when
    no colour of the evidence is in any palette."""
    best, best_score = None, (0, 0)
    for candidate in candidates:
        colours, own = candidate.colours, candidate.own
        score = (sum(1 for plane, c in evidence if colours.get(plane) == c),
                 sum(1 for _, c in evidence if c in own))
        if score > best_score:  # ties keep the earlier: the default, then built-ins
            best, best_score = candidate.name, score
    return best


def parsed(hexes: dict[str, str]) -> dict[str, Colour]:
    return dict(_parsed(tuple(sorted(hexes.items()))))


@lru_cache(maxsize=64)
def _parsed(hexes: tuple[tuple[str, str], ...]) -> tuple[tuple[str, Colour], ...]:
    given = dict(hexes)
    out = []
    for plane in PLANES:
        colour = parse_colour(given.get(plane, ""))
        if colour is not None:
            out.append((plane, colour))
    return tuple(out)


# The document's evidence, for its diagrams one after another (keyed by the text's identity).
_document_cache: list[tuple[str, Config, Evidence]] = []


def _document_evidence(text: str, config: Config) -> Evidence:
    if _document_cache and _document_cache[0][0] is text and _document_cache[0][1] is config:
        return _document_cache[0][2]
    evidence = list(_scan(text, config))
    _document_cache[:] = [(text, config, evidence)]
    return evidence


def _scan(text: str, config: Config) -> Iterable[tuple[str, Colour]]:
    for match in _CLASSDEF_LINE.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not _LINE_PREFIX.fullmatch(text, line_start, match.start()):
            continue
        fill = _FILL.search(match.group(2))
        colour = parse_colour(fill.group(1)) if fill else None
        if colour is None:
            continue
        for name in match.group(1).split(","):
            plane = plane_of_class(name, config)
            if plane is not None:
                yield plane, colour
