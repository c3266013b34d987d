"""Find the Mermaid diagrams in a file, with exact positions.

Markdown block structure comes from markdown-it-py (CommonMark, plus YAML front matter, which a
Markdown renderer does not read as Markdown). Only the block level is needed: which lines are
fenced code, and what each fence's content is once list and quote prefixes are taken off.

Doing that for a large documentation tree quickly (the 15 MB test corpus in about half a second)
takes four things, none of which changes what markdown-it decides:

* markdown-it's block parser is driven directly, without the core chain: inline parsing, most
  of markdown-it's work, never runs.
* Its per-line tables (:class:`_LineMarks`) are built with string operations instead of a loop
  over characters, and the block rules are tried through dispatchers (:func:`_dispatcher`) that
  skip a rule only when the line's first character proves the rule would decline it.
* A document is cut into chunks at lines where markdown-it's block state is known to start
  afresh, and only chunks that can hold something reported here are parsed (see the
  "Chunking" section below).
* A fence that opens at column 0 of such a fresh start is read directly: at the top level a
  fence is just its lines up to the first line that can close it.

The tests compare all of this with a plain ``MarkdownIt("commonmark")`` parse, on generated
documents and on the shared corpus, so that drift in markdown-it shows up there.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from markdown_it import MarkdownIt
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from mermaidlint.diagnostics import Diagnostic, Severity
from mermaidlint.document import Abbreviation, Diagram, DiagramLine, SourceFile
from mermaidlint.positions import LINE_BREAK, Span

MERMAID_FILE_SUFFIXES = (".mmd", ".mermaid")

# Blocks whose lines are not Markdown prose (an abbreviation definition there is just text).
_RAW_BLOCKS = frozenset({"fence", "code_block", "html_block", "front_matter"})

RuleFn = Callable[[StateBlock, int, int, bool], bool]


@dataclass(frozen=True, slots=True)
class Block:
    """A block markdown-it found: lines are 0-based lines of the whole document."""

    kind: str  # "fence", "code_block", "html_block" or "front_matter"
    start: int  # first line
    end: int  # one past the last line
    offset: int  # where the first line starts, in the normalised text (see _normalise)
    end_offset: int  # where the last line ends (before its line break), in the normalised text
    level: int  # nesting depth: 0 at the top level, more inside lists and quotes
    info: str = ""  # fence info string, as written
    markup: str = ""  # fence marker, e.g. "```" or "~~~~"
    content: str = ""  # fence content, container prefixes removed (markdown-it's token.content)
    closed: bool = True  # a fence that found its closing line


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------


def extract_diagrams(source: SourceFile) -> list[Diagnostic]:
    """Fill ``source.diagrams`` and ``source.abbreviations``; return extraction diagnostics."""
    source.diagrams = []
    source.abbreviations = []
    if source.path.lower().endswith(MERMAID_FILE_SUFFIXES):
        source.diagrams = [_whole_file_diagram(source.text)]
        return []
    text = source.text
    src = _normalise(text)
    blocks = parse_normalised(src)
    abbreviations = "*[" in src  # (one search, for both questions below)
    if not blocks and not abbreviations:
        return []
    lines = _Lines(text, src)
    diagnostics: list[Diagnostic] = []
    for block in blocks:
        if block.kind == "fence" and is_mermaid_info(block.info):
            diagram = _fence_diagram(block, lines, index=len(source.diagrams))
            source.diagrams.append(diagram)
            if not block.closed:
                diagnostics.append(_unclosed_fence(block, diagram, lines))
    if abbreviations:
        source.abbreviations = _abbreviations(blocks, lines)
    return diagnostics


def is_mermaid_info(info: str) -> bool:
    """Whether a fence's info string asks for Mermaid: its first word is ``mermaid``, any case.

    That is GitHub's rule: ``mermaid title="x"`` counts; ``mermaidjs`` and ``{mermaid}`` (MyST
    directive syntax) do not.
    """
    words = info.split(maxsplit=1)
    return bool(words) and words[0].isascii() and words[0].lower() == "mermaid"


def parse_blocks(text: str) -> list[Block]:
    """The fences, code blocks, raw HTML blocks and front matter of a Markdown text, in order.

    Only the parts of the text that can hold a Mermaid fence or an abbreviation definition are
    parsed (with whatever they need around them): blocks elsewhere may be left out.
    """
    return parse_normalised(_normalise(text))


def _normalise(text: str) -> str:
    """What markdown-it's "normalize" rule does: line breaks to \\n, NUL to U+FFFD.

    Lines stay 1:1 with the original's, and within a line every column stays the same.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    return text


# --------------------------------------------------------------------------------------------
# Lines of the original file
# --------------------------------------------------------------------------------------------


class _Lines:
    """Where lines lie in the original text, found from where they lie in the normalised one.

    Without a CR in the file the two texts have the same offsets; with one, a table of the
    original's line starts is built (line breaks \\r\\n, \\r or \\n, as positions.LINE_BREAK).
    """

    __slots__ = ("_ends", "_starts", "src", "text")

    def __init__(self, text: str, src: str) -> None:
        self.text, self.src = text, src
        self._starts: list[int] = []
        self._ends: list[int] = []
        if "\r" in text:
            breaks = [(m.start(), m.end()) for m in LINE_BREAK.finditer(text)]
            self._starts = [0, *(end for _, end in breaks)]
            self._ends = [*(start for start, _ in breaks), len(text)]

    def start(self, line: int, offset: int) -> int:
        """Start in the original text of 0-based ``line``, which starts at ``offset`` in the
        normalised text."""
        return self._starts[line] if self._starts else offset

    def spans(self, block: Block) -> tuple[list[int], list[int]]:
        """Starts and ends (before the line break) in the original text of a block's lines."""
        if self._starts:
            return self._starts[block.start : block.end], self._ends[block.start : block.end]
        lengths = [len(line) for line in self.src[block.offset : block.end_offset].split("\n")]
        starts = list(accumulate((n + 1 for n in lengths[:-1]), initial=block.offset))
        return starts, [start + n for start, n in zip(starts, lengths, strict=True)]


# --------------------------------------------------------------------------------------------
# Building diagrams
# --------------------------------------------------------------------------------------------


def _whole_file_diagram(text: str) -> Diagram:
    """A .mmd/.mermaid file: the whole text is one diagram."""
    if text and "\r" not in text:  # the text itself, but for a final line break
        body = text[:-1] if text.endswith("\n") else text
        return Diagram(text=body, mapped_lines=None, fence_span=Span(0, len(text)),
                       opening_line=1, closing_line=body.count("\n") + 1, closed=True,
                       info="mermaid", text_offset=0)
    return _whole_file_by_lines(text)


def _whole_file_by_lines(text: str) -> Diagram:
    """:func:`_whole_file_diagram` for any text: its lines mapped one by one (CR, CRLF)."""
    spans = _line_spans(text)
    if len(spans) > 1 and spans[-1][0] == len(text):
        spans.pop()  # a final line break ends the last line; it does not start another
    return Diagram(
        text="\n".join(text[start:end] for start, end in spans),
        mapped_lines=[DiagramLine(file_offset=start, length=end - start)
                      for start, end in spans],
        fence_span=Span(0, len(text)),
        opening_line=1,
        closing_line=max(1, len(spans)),
        closed=True,
        info="mermaid",
    )


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text``, line breaks left out; none for an empty text."""
    if not text:
        return []
    if "\r" not in text:  # the usual case: a split finds the lines faster than a pattern
        spans = []
        offset = 0
        for line in text.split("\n"):
            spans.append((offset, offset + len(line)))
            offset += len(line) + 1
        return spans
    spans = [(0, 0)]
    for m in LINE_BREAK.finditer(text):
        spans[-1] = (spans[-1][0], m.start())
        spans.append((m.end(), m.end()))
    spans[-1] = (spans[-1][0], len(text))
    return spans


def _fence_diagram(block: Block, lines: _Lines, index: int) -> Diagram:
    diagram = _slice_diagram(block, lines, index)
    if diagram is not None:
        return diagram
    contents = block.content.split("\n")
    if contents[-1] == "":
        contents.pop()  # markdown-it ends each content line with "\n", the last one too
    starts, ends = lines.spans(block)
    text = lines.text
    diagram_lines: list[DiagramLine] = []
    texts = contents  # copied only when a line's text differs from markdown-it's
    for k, content in enumerate(contents):
        start, end = starts[k + 1], ends[k + 1]
        first = end - len(content)
        if first >= start and text.startswith(content, first, end):  # the usual case
            diagram_lines.append(DiagramLine(first, len(content)))
            continue
        mapped, real = _locate_content_line(content, text, start, end)
        diagram_lines.append(mapped)
        if texts is contents:
            texts = contents[:]
        texts[k] = real
    marker = _marker_column(text[starts[0] : ends[0]], block)
    return Diagram(
        text="\n".join(texts),
        mapped_lines=diagram_lines,
        fence_span=Span(starts[0] + marker, ends[-1]),
        opening_line=block.start + 1,
        closing_line=block.end,
        closed=block.closed,
        info=block.info.strip(),
        index=index,
    )


def _slice_diagram(block: Block, lines: _Lines, index: int) -> Diagram | None:
    """The diagram of a fence whose content is the file's text as it is, from the line after
    the opening one (a fence at the margin, in a file without CR): made without mapping its
    lines one by one. None for any other fence."""
    if lines._starts or not block.content:  # a CR somewhere (the file's lines are not the
        return None  # normalised text's), or no content line at all
    text = lines.text
    body = block.content[:-1] if block.content.endswith("\n") else block.content
    opening_end = text.find("\n", block.offset)
    start = opening_end + 1
    end = start + len(body)
    # Every content line, the last one too, must be a whole line of the file: a line that only
    # ends with its content line has a prefix (a quote marker, an indent) before it.
    if (opening_end < 0 or not text.startswith(body, start)
            or (end < len(text) and text[end] != "\n")):
        return None
    marker = _marker_column(text[block.offset:opening_end], block)
    return Diagram(text=body, mapped_lines=None,
                   fence_span=Span(block.offset + marker, block.end_offset),
                   opening_line=block.start + 1, closing_line=block.end, closed=block.closed,
                   info=block.info.strip(), index=index, text_offset=start)


def _locate_content_line(content: str, text: str, start: int, end: int) -> tuple[DiagramLine, str]:
    """Where one fence content line lies in the file line ``text[start:end]``, and its text
    with the file's own characters.

    markdown-it takes the container prefixes off the front of a line and leaves the rest, so the
    content line is a suffix of the file's line. Two exceptions: a tab only partly used up by a
    list or quote indent comes back as spaces (*virtual*: they map onto the next real
    character), and NUL comes back as U+FFFD (the file's character is put back).
    """
    first = end - len(content)
    if first >= start and text.startswith(content, first, end):
        return DiagramLine(file_offset=first, length=len(content)), content
    original = text[start:end]
    normalised = original.replace("\0", "\ufffd")
    virtual = 0
    while virtual <= len(content):
        rest = content[virtual:]
        if normalised.endswith(rest):
            real = original[len(original) - len(rest) :]
            mapped = DiagramLine(end - len(rest), len(content), virtual_prefix=virtual)
            return mapped, content[:virtual] + real
        if virtual < len(content) and content[virtual] != " ":
            break
        virtual += 1
    # Not reachable under markdown-it's rules; degrade rather than fail a whole run.
    return DiagramLine(file_offset=end, length=len(content), virtual_prefix=len(content)), content


def _marker_column(opening: str, block: Block) -> int:
    """Column (0-based) of the opening fence marker on its line, after any container prefix.

    markdown-it's info string runs from the marker to the end of the line, so the marker is
    found from the end; the search is a fallback should that ever change.
    """
    column = len(opening) - len(block.info) - len(block.markup)
    if column >= 0 and opening.startswith(block.markup, column):
        return column
    return max(opening.find(block.markup), 0)


def _unclosed_fence(block: Block, diagram: Diagram, lines: _Lines) -> Diagnostic:
    start = diagram.fence_span.start
    starts, ends = lines.spans(block)
    end = starts[0] + len(lines.text[starts[0] : ends[0]].rstrip())
    where = "the end of the document" if block.level == 0 else "the end of its list item or quote"
    fence = block.markup + (block.info.split() or ["mermaid"])[0]
    return Diagnostic(
        code="MS101",
        name="unclosed-fence",
        severity=Severity.ERROR,
        span=Span(start, max(start, end)),
        message=(
            f"the {fence} fence opened here is never closed: it runs to {where}, swallowing "
            f"everything after it; add a closing {block.markup} line"
        ),
    )


# --------------------------------------------------------------------------------------------
# Abbreviation definitions
# --------------------------------------------------------------------------------------------

# `*[WAF]: Web Application Firewall` on a line of its own (Python-Markdown's abbr extension,
# markdown-it-abbr), possibly inside a quote or a list item.
_ABBREVIATION = re.compile(r"[ \t>]*(\*\[([^\]\n]*)\]:[ \t]*(.*?))[ \t]*\Z")


def _abbreviations(blocks: Sequence[Block], lines: _Lines) -> list[Abbreviation]:
    src, text = lines.src, lines.text
    raw = sorted((b.start, b.end) for b in blocks if b.kind in _RAW_BLOCKS)
    raw_starts = [start for start, _ in raw]
    counter = _LineCounter(src)
    found = []
    at = src.find("*[")
    while at >= 0:
        line_start = src.rfind("\n", 0, at) + 1
        line_end = src.find("\n", at)
        line_end = len(src) if line_end < 0 else line_end
        at = src.find("*[", line_end)
        match = _ABBREVIATION.match(src, line_start, line_end)
        if match is None or not match.group(2).strip():
            continue
        k = counter.line(line_start)
        i = bisect_right(raw_starts, k) - 1
        if i >= 0 and raw[i][1] > k:
            continue  # inside code, raw HTML or front matter
        start = lines.start(k, line_start)
        first, last = start + match.start(1) - line_start, start + match.end(1) - line_start
        definition = text[first:last]
        term, _, expansion = definition[2:].partition("]:")
        found.append(Abbreviation(term=term.strip(), expansion=expansion.strip(),
                                  span=Span(first, last)))
    return found


class _LineCounter:
    """0-based line numbers of offsets into a text, for offsets asked mostly in increasing order."""

    __slots__ = ("_line", "_offset", "_text")

    def __init__(self, text: str) -> None:
        self._text, self._offset, self._line = text, 0, 0

    def line(self, offset: int) -> int:
        if offset < self._offset:
            self._offset, self._line = 0, 0
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line


# --------------------------------------------------------------------------------------------
# markdown-it, block level only
# --------------------------------------------------------------------------------------------


class _LineMarks(StateBlock):
    """markdown-it's block state, its per-line tables built by string operations.

    StateBlock's own constructor walks every character of the document in Python; the tables
    it builds (line begin/end offsets, indent in characters and in columns) equal these, which
    a test checks against the original.
    """

    def __init__(self, src: str, md: MarkdownIt, tokens: list[Token]) -> None:
        super().__init__("", md, {}, tokens)  # every other field at its initial value
        self.src = src
        lines = src.split("\n")
        # A final "\n" ends the last line; a last line of only blanks and no "\n" gets no entry
        # either (markdown-it's own rule).
        if lines and not lines[-1].strip(" \t"):
            lines.pop()
        lengths = [len(line) for line in lines]
        shifts = [n - len(line.lstrip(" \t")) for line, n in zip(lines, lengths, strict=True)]
        begins = [0, *accumulate(n + 1 for n in lengths)]
        begins.pop()
        counts = shifts[:]
        if "\t" in src:
            for k, line in enumerate(lines):
                if shifts[k] and "\t" in line[: shifts[k]]:
                    counts[k] = _columns(line[: shifts[k]])
        size = len(src)
        self.bMarks = [*begins, size]
        self.eMarks = [*(b + n for b, n in zip(begins, lengths, strict=True)), size]
        self.tShift = [*shifts, 0]
        self.sCount = [*counts, 0]
        self.bsCount = [0] * (len(lines) + 1)
        self.lineMax = len(lines)
        # StateBlock asks the ruler whether the "code" rule is active, and in _MD it is not
        # by name (the dispatchers call it): answer for the rules behind the dispatchers.
        self._code_enabled = _CODE_RULE_ACTIVE


def _columns(indent: str) -> int:
    """Width of leading blanks, a tab advancing to the next multiple of 4 (CommonMark)."""
    column = 0
    for ch in indent:
        column = column + 4 - column % 4 if ch == "\t" else column + 1
    return column


# For each core block rule, the first characters of a line it can ever accept: the rule reads
# that character first and declines anything else. Rules not named here are always tried.
_FIRST_CHARS = {
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
}
# Rules that decline a line indented as code (4+ columns past the block's indent) at once.
_NOT_ON_CODE_LINES = frozenset({*_FIRST_CHARS, "lheading"})


def _dispatcher(rules: Sequence[tuple[str, RuleFn]]) -> RuleFn:
    """One rule trying ``rules`` in order, skipping those the line's first character rules out.

    A skipped rule would have returned False without touching the state, so the outcome is
    that of trying them all; what is saved is a Python call (with its debug logging) per rule
    per line, most of markdown-it's block-level time.
    """
    every = [fn for _, fn in rules]
    on_code_line = [fn for name, fn in rules if name not in _NOT_ON_CODE_LINES]
    others = [fn for name, fn in rules if name not in _FIRST_CHARS and name != "code"]
    by_char = {
        ch: [fn for name, fn in rules
             if name != "code" and (name not in _FIRST_CHARS or ch in _FIRST_CHARS[name])]
        for ch in set("".join(_FIRST_CHARS.values()))
    }
    pick = by_char.get

    def dispatch(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        if line == 0 or pos >= state.eMarks[line]:
            chain = every  # front matter looks at line 0; blank lines are rare here
        elif state.is_code_block(line):
            chain = on_code_line
        else:
            chain = pick(state.src[pos], others)
        for fn in chain:  # noqa: SIM110 -- a plain loop: any() and a generator cost more here
            if fn(state, line, end, silent):
                return True
        return False

    return dispatch


def _build_parser() -> MarkdownIt:
    """CommonMark plus front matter, its block rules replaced by dispatchers over the originals.

    The rule chains besides the main one (rules that may interrupt a paragraph, a list, ...)
    get dispatchers of their own, so the original rules still find their terminators through
    ``state.md.block.ruler``.
    """
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    ruler = md.block.ruler
    active = [rule for rule in ruler.__rules__ if rule.enabled]
    main = _dispatcher([(rule.name, rule.fn) for rule in active])
    terminators = {
        chain: _dispatcher([(rule.name, rule.fn) for rule in active if chain in rule.alt])
        for chain in sorted({alt for rule in active for alt in rule.alt})
    }
    ruler.disable([rule.name for rule in active])
    # The main dispatcher accepts every line (the paragraph rule does), so the terminator
    # dispatchers after it are only ever reached through their own chains.
    ruler.push("mermaidlint_blocks", main, {"alt": []})
    for chain, dispatch in terminators.items():
        ruler.push(f"mermaidlint_{chain}_terminators", dispatch, {"alt": [chain]})
    return md


_CODE_RULE_ACTIVE = "code" in MarkdownIt("commonmark").block.ruler.get_active_rules()
_MD = _build_parser()


def _tokenize(src: str) -> tuple[list[Token], _LineMarks]:
    """Block tokens of normalised, non-empty Markdown (no inline parsing), and the state."""
    tokens: list[Token] = []
    state = _LineMarks(src, _MD, tokens)
    _MD.block.tokenize(state, state.line, state.lineMax)
    return tokens, state


# --------------------------------------------------------------------------------------------
# Chunking: parse only the parts of a document that can matter
# --------------------------------------------------------------------------------------------
#
# A *fresh start* is a line where markdown-it begins a top-level block with nothing open: no
# container (list, quote), no paragraph that the line could continue, no fence, raw HTML block
# or front matter it could belong to. Text between two fresh starts parses the same on its own
# as within the whole document, so such text is parsed only when it holds something reported
# here (a Mermaid fence opener, an abbreviation definition), and top-level fences that open at a
# fresh start are read directly. The candidates below are fresh starts *unless* a top-level
# fence or raw HTML block runs on into them; that is checked at the end of every parsed region
# (and conservatively for skipped text), and a region grows until such a block really ends.

# A line after a blank line, at column 0, starting with none of - * + digit >: a blank line ends
# paragraphs, quotes and raw HTML of kinds 6-7, and a column-0 line that is not a list item
# or a quote ends every list. (Lines that could be list items are left out so that no list goes
# on past a cut.)
_BLANK_CUT = re.compile(r"\n[ \t]*\n(?=[^-*+0-9> \t\n])")
# Where a Mermaid fence may open: the first word of the info string is "mermaid", any case.
# (Patterns with a literal prefix search far faster than one alternation.)
_MERMAID_OPENERS = (re.compile(r"```\s*(?i:mermaid)"), re.compile(r"~~~\s*(?i:mermaid)"))
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _opener(src: str, at: int) -> tuple[str, str] | None:
    """(marker, info) when the line at ``at`` opens a fence at column 0 (markdown-it's rule:
    3+ backticks or tildes; a backtick fence's info may not hold a backtick)."""
    char = src[at : at + 1]
    if char not in ("`", "~") or not src.startswith(char * 3, at):
        return None
    run = at + 3
    while src.startswith(char, run):
        run += 1
    end = src.find("\n", run)
    info = src[run : len(src) if end < 0 else end]
    if char == "`" and "`" in info:
        return None
    return src[at:run], info


def _cuts(src: str) -> list[int]:
    """Offsets of candidate fresh starts (line starts), with 0 and len(src), sorted."""
    cuts = {0, len(src)}
    cuts.update(m.end() for m in _BLANK_CUT.finditer(src))
    # A column-0 line opening a fence with an info string: a fence interrupts a paragraph, is
    # never a lazy continuation, and at column 0 ends every list and quote. (A bare ``` line
    # could be a closing line instead, so only lines with an info string count.)
    for marker in ("\n```", "\n~~~"):
        at = src.find(marker)
        while at >= 0:
            opener = _opener(src, at + 1)
            if opener is not None and opener[1].strip():
                cuts.add(at + 1)
            at = src.find(marker, at + 4)
    return sorted(cuts)


def _interesting(src: str) -> list[int]:
    """Sorted offsets of what makes text worth parsing: Mermaid fence openers (or lines that
    look like them) and abbreviation definitions."""
    found = [m.start() for pattern in _MERMAID_OPENERS if pattern.pattern[:3] in src
             for m in pattern.finditer(src)]
    at = src.find("*[")
    while at >= 0:
        found.append(at)
        at = src.find("*[", at + 2)
    return sorted(found)


def _line_bounds(src: str, at: int, floor: int) -> tuple[int, int]:
    """Start and end (before "\\n") of the line holding ``at``; it starts no earlier than floor."""
    start = src.rfind("\n", floor, at) + 1 or floor
    end = src.find("\n", at)
    return start, len(src) if end < 0 else end


def _indent_at_most_3(src: str, start: int, at: int) -> bool:
    """Whether src[start:at] is at most 3 spaces (a tab makes 4 columns: an indented code line)."""
    return at - start <= 3 and src.count(" ", start, at) == at - start


def _fence_lines(src: str, a: int, b: int) -> list[tuple[int, str, int, bool, bool]]:
    """Lines in [a, b) that could open or close a top-level fence: (offset, char, length,
    opens, closes)."""
    found = []
    for marker in ("```", "~~~"):
        at = src.find(marker, a, b)
        while at >= 0:
            start, end = _line_bounds(src, at, a)
            if _indent_at_most_3(src, start, at):
                run = at
                while run < end and src[run] == marker[0]:
                    run += 1
                rest = src[run:end]
                opens = marker[0] == "~" or "`" not in rest
                found.append((start, marker[0], run - at, opens, not rest.strip(" \t")))
            at = src.find(marker, end, b)
    found.sort()
    return found


def _may_leave_open(src: str, a: int, b: int) -> bool:
    """Whether text [a, b) may leave a top-level fence or raw HTML block open at b.

    A top-level fence opened on line o runs to the first later line that can close it, whatever
    lies between; so if every line that could open one has such a line after it in [a, b), none
    is open at b. Lines that look like openers but sit in a list item only make this more
    cautious. Likewise each raw HTML start needs its end (a marker, or a blank line) before b.
    """
    if b >= len(src):
        return False  # nothing follows that it could change
    longest_closer = {"`": 0, "~": 0}
    for _, char, length, opens, closes in reversed(_fence_lines(src, a, b)):
        if opens and longest_closer[char] < length:
            return True
        if closes:
            longest_closer[char] = max(longest_closer[char], length)
    at = src.find("<", a, b)
    while at >= 0:
        start, end = _line_bounds(src, at, a)
        if _indent_at_most_3(src, start, at):
            closing = _html_end(src[at:end])
            if closing is not None and closing.search(src, at if closing is not _BLANK_LINE
                                                      else end, b) is None:
                return True
        at = src.find("<", end, b)
    return False


def _html_end(line_text: str) -> re.Pattern[str] | None:
    """What ends the raw HTML block this line (indent removed) starts, if it starts one: an end
    marker (markdown-it's kinds 1-5: script/pre/style/textarea, comment, <?, <!X, CDATA) or,
    for kinds 6-7, a blank line (``_BLANK_LINE``, searched from the end of the start line)."""
    for start, end, _ in HTML_SEQUENCES:
        if start.search(line_text):
            return _BLANK_LINE if end.pattern == "^$" else end
    return None


def _find_closer(src: str, marker: str, pos: int) -> int | None:
    """Offset of the first line from ``pos`` (a line start) that closes a top-level fence opened
    with ``marker``: at most 3 spaces, as many marker characters or more, then only blanks."""
    at = src.find(marker, pos)
    while at >= 0:
        start, end = _line_bounds(src, at, pos)
        if _indent_at_most_3(src, start, at):
            run = at + len(marker)
            while run < end and src[run] == marker[0]:
                run += 1
            if not src[run:end].strip(" \t"):
                return start
        at = src.find(marker, end)
    return None


def _front_matter_closer(src: str) -> int | None:
    """Offset of the line closing the front matter that line 0 opens (mdit-py-plugins' rules),
    or None when nothing closes it (markdown-it then reads it as ordinary Markdown)."""
    first_end = src.find("\n")
    if first_end < 0:
        return None
    opener = first_end - len(src[:first_end].lstrip("-"))
    start = first_end + 1
    while start < len(src):
        end = src.find("\n", start)
        end = len(src) if end < 0 else end
        line = src[start:end]
        if line.startswith("...") and not line[3:].strip(" \t"):
            return start
        rest = line.lstrip(" \t")
        if rest.startswith("-") and _columns(line[: len(line) - len(rest)]) < 4:
            run = len(rest) - len(rest.lstrip("-"))
            if run >= opener and not rest[run:].strip(" \t"):
                return start
        start = end + 1
    return None


def parse_normalised(src: str) -> list[Block]:
    """:func:`parse_blocks` for text already normalised."""
    interesting = _interesting(src)
    if not interesting:
        return []
    cuts = _cuts(src)
    front_matter = src.startswith("---")
    if front_matter:
        closer = _front_matter_closer(src)
        if closer is None:
            return _whole(src)  # rare; no cutting at all
        cuts = [cut for cut in cuts if cut == 0 or cut > closer]
    counter = _LineCounter(src)
    blocks: list[Block] = []
    # Most of a document is plain text between fresh starts: no fence opens there, nothing
    # wanted is there and nothing can run on past it (each needs a backtick or tilde run, or a
    # `<`, that _fence_at and _may_leave_open would find). From a fresh start, the walk jumps to
    # the last fresh start before the next such character (about 20,000 steps of the loop over
    # the Atlas corpus were spent on cuts it passes over).
    signals = _signals(src, interesting)
    a = 0
    while a < len(src):
        if a or not front_matter:
            k = bisect_left(signals, a)
            if k == len(signals):
                break  # nothing from here on is a fence, wanted, or can leave anything open
            skip_to = cuts[bisect_right(cuts, signals[k]) - 1]
            if skip_to > a:
                a = skip_to
                continue
        fence, after = (None, a) if front_matter and a == 0 else _fence_at(src, a, counter)
        if fence is not None:
            blocks.append(fence)
            a = after  # the line after a closed top-level fence is a fresh start
            continue
        b = cuts[bisect_right(cuts, a)]
        j = bisect_left(interesting, a)
        wanted = j < len(interesting) and interesting[j] < b
        if wanted or (a == 0 and front_matter) or _may_leave_open(src, a, b):
            found, b = _parse_region(src, cuts, a, b, counter)
            if a == 0 and front_matter and not (found and found[0].kind == "front_matter"):
                return _whole(src)  # the closer search and markdown-it disagree: play safe
            blocks.extend(found)
        a = b
    return blocks


def _signals(src: str, interesting: list[int]) -> list[int]:
    """Sorted offsets of everything that makes a region worth more than a pass: what
    :func:`_interesting` found, and the start of every line that opens with at most three
    spaces and then three backticks or tildes, or a ``<`` (the only lines on which
    :func:`_fence_at` and :func:`_may_leave_open` find anything)."""
    found = [m.start() + 1 for m in _SIGNAL_LINE.finditer(src)]
    if _SIGNAL_AT_START.match(src):
        found.append(0)
    found.extend(interesting)
    found.sort()
    return found


# (one pattern with a line break in front: the search skips in C from one line break to the next)
_SIGNAL_LINE = re.compile(r"\n {0,3}(?:```|~~~|<)")
_SIGNAL_AT_START = re.compile(r" {0,3}(?:```|~~~|<)")


def _fence_at(src: str, a: int, counter: _LineCounter) -> tuple[Block | None, int]:
    """A closed top-level fence opening at column 0 of the fresh start ``a``, read directly,
    and the offset of the line after it.

    This is markdown-it's fence rule at the top level: the fence runs to the first line that can
    close it, and as it opened at column 0 its content lines are the lines as they are."""
    opener = _opener(src, a)
    first_end = src.find("\n", a)
    if opener is None or first_end < 0:
        return None, a
    marker, info = opener
    closing = _find_closer(src, marker, first_end + 1)
    if closing is None:
        return None, a  # unclosed: leave the details (where it ends) to markdown-it
    after = src.find("\n", closing) + 1 or len(src)
    block = Block(kind="fence", start=counter.line(a), end=counter.line(closing) + 1,
                  offset=a, end_offset=after - 1 if after < len(src) else len(src),
                  level=0, info=info, markup=marker,
                  content=src[first_end + 1 : closing], closed=True)
    return block, after


def _whole(src: str) -> list[Block]:
    tokens, state = _tokenize(src)
    return _blocks_of(tokens, state, 0, 0)


def _blocks_of(tokens: list[Token], state: _LineMarks, line: int, offset: int) -> list[Block]:
    """Blocks from the tokens of text whose line 0 is ``line`` and offset 0 is ``offset`` of the
    document (either may be -1: see _parse_region)."""
    found = []
    for token in tokens:
        if token.type in _RAW_BLOCKS and token.map is not None:
            first, last = token.map
            content = token.content
            lines = content.count("\n") + (1 if content and content[-1] != "\n" else 0)
            found.append(Block(
                kind=token.type, start=first + line, end=last + line,
                offset=offset + state.bMarks[first],
                end_offset=offset + state.eMarks[last - 1], level=token.level, info=token.info,
                markup=token.markup, content=content,
                # A fence's lines are its opening line, its content lines and, when it was
                # closed, its closing line: markdown-it says no more than that.
                closed=token.type != "fence" or last - first - 1 - lines == 1,
            ))
    return found


def _parse_region(src: str, cuts: list[int], a: int, b: int, counter: _LineCounter
                  ) -> tuple[list[Block], int]:
    """Parse text [a, b) with markdown-it, growing it while a top-level block runs on past b.

    Returns the blocks and where the region finally ended (a cut). Past the start of the text,
    a blank line is put in front: that changes nothing in how the rest is read, and keeps the
    front matter rule (which looks at the first character it is given) out of the way."""
    kept: list[Block] = []
    while True:
        shift = 1 if a > 0 else 0
        tokens, state = _tokenize(("\n" if shift else "") + src[a:b])
        line = counter.line(a)
        found = _blocks_of(tokens, state, line - shift, a - shift)
        end_line = line + state.lineMax - shift
        running = None
        if b < len(src):
            running = next((block for block in found if block.level == 0
                            and block.end == end_line
                            and (block.kind == "html_block" or not block.closed)), None)
        if running is None:
            return kept + found, b
        # Everything before the running block is final. Start again from the block itself (a
        # top-level block start, where markdown-it's state is fresh) and run to the first cut
        # after its real end (max() guarantees progress should that search ever disagree).
        kept.extend(block for block in found if block.start < running.start)
        a = running.offset
        b = cuts[min(bisect_right(cuts, max(_real_end(src, running), b)), len(cuts) - 1)]


def _real_end(src: str, block: Block) -> int:
    """Offset in the last line of a top-level fence or raw HTML block in the whole text.

    At the top level nothing but its own closing line (or end marker, or blank line) ends one."""
    start, end = _line_bounds(src, block.offset, block.offset)
    if block.kind == "fence":
        closer = _find_closer(src, block.markup, end + 1) if end < len(src) else None
        return len(src) if closer is None else closer
    closing = _html_end(src[start:end].lstrip(" "))
    match = None if closing is None else closing.search(
        src, end if closing is _BLANK_LINE else start)
    return len(src) if match is None else match.start()
