"""Parse flowchart text into the typed AST, or say exactly why Mermaid would refuse it.

The lexer (:mod:`.lexer`) turns the cleaned-up text into Mermaid's tokens; Lark's LALR(1) parser,
driven by ``grammar/flowchart.lark``, checks them against Mermaid's grammar; :mod:`.build` turns
the parse tree into :mod:`.ast` objects.

When the parser fails, the error is Mermaid's first error. Later independent errors are found by
dropping the failing statement (up to the next line break the lexer saw in its initial state, so
nothing of a broken label leaks into the next line) and parsing again; a statement that opens or
closes a subgraph stops the search, since dropping it would make its partner look wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from mermaidlint.flowchart.lalr import APPEND, EXPAND1, SPLICE, TREE, UNITS
from mermaidlint.flowchart.lalr import tables as lalr_tables
from mermaidlint.flowchart.lexer import (
    LexError,
    RawTok,
    Tok,
    as_lexed,
    tokenize_merged,
    tokenize_raw,
)

MAX_ERRORS = 10


class CST(NamedTuple):
    """A node of the concrete syntax tree: the grammar rule (or its alias) and its children."""

    name: str
    children: list[Any]  # CST | RawTok: typed loosely, the builder knows each rule's shape


class _Failure(Exception):
    def __init__(self, index: int, expected: frozenset[str]) -> None:
        super().__init__(index)
        self.index = index
        self.expected = expected


_END: RawTok = ("$END", "", -1, -1)  # fed after the last token
_NEVER: RawTok = ("$NEVER", "", -1, -1)  # after the end: no state takes it


def _drive(tokens: Sequence[RawTok], quick: bool = False) -> CST:
    """Run the LALR(1) automaton over ``tokens``; raise :class:`_Failure` where it stops.

    Lark's own loop is general (callbacks, interactive parsing); this one does only what the
    linter needs, several times faster. It builds the same tree Lark would: rules whose name
    starts with ``_`` are spliced into their parent and ``?rules`` with one child collapse.
    A blank run is fed one blank at a time, as Mermaid's lexer makes one token of each, until
    a blank leaves the parser's stack as it found it: the rest would too, so they are skipped
    (the tree then holds the run fewer times, which nothing reads).

    ``quick``: skip the blanks that follow a line break (indentation). Wherever the grammar
    has a line break, a blank may follow as a line of its own (or, before the header, as part
    of it), so they change no verdict and nothing in the tree that is read; but where the
    parser stops, and what it says it expected, may differ: a failed quick parse must be redone.

    One loop takes every action; a shift moves on to the next token there and then (a loop
    per token and another per action cost more than the actions of most tokens).
    """
    tables = lalr_tables()
    actions = tables.drive
    end_state = tables.end
    state = tables.start
    states = [state]
    values: list[Any] = []
    push_state, push_value, pop_value = states.append, values.append, values.pop
    new_tree = tuple.__new__
    feed = [*tokens, _END, _NEVER]
    types = [tok[0] for tok in feed]
    # Where the next statement starts, whose moves may be known already (see _replay): after
    # the first line break (statements that end with `;` are rare: a text with one is parsed
    # move by move).
    replay_at = -1 if "SEMI" in types else _after_line_break(types, 0, quick)
    replays = _REPLAYS
    index = 0
    tok = feed[0]
    ttype = tok[0]
    blanks = len(tok[1]) - 1 if ttype == "SPACE" else 0  # blanks of the run still to feed
    snapshot: list[int] | None = None
    while True:
        action = actions[state].get(ttype)
        if action.__class__ is int:
            items = None
            if index == replay_at:
                start, replay_at = index, _after_line_break(types, index, quick)
                if replay_at > 0 and values[-1].__class__ is list and ttype != "SPACE":
                    key = (states[-2], state, *types[start:replay_at + 1])
                    replay = replays.get(key, _UNKNOWN)
                    if replay is _UNKNOWN:
                        replay = _learn(key, feed, start, replay_at)
                    if replay is not None:
                        items = replay(feed, start)
            if items is not None:  # the statement's trees made: on to the token after it
                values[-1].extend(items)
                index = replay_at
            else:
                state = action
                push_state(state)
                push_value(tok)
                if blanks:
                    # The same run again, unless its last blank left the stack as it found it.
                    if snapshot is None or states != snapshot:
                        snapshot = states[:]
                        blanks -= 1
                        continue
                    blanks = 0
                index += 1
            tok = feed[index]
            ttype = tok[0]
            if ttype == "SPACE":
                if quick and feed[index - 1][0] == "NEWLINE":  # indentation
                    index += 1
                    tok = feed[index]
                    ttype = tok[0]
                if ttype == "SPACE":
                    blanks = len(tok[1]) - 1
                    snapshot = None
            continue
        if action is None:
            if ttype == "$NEVER":
                raise AssertionError("the parser neither accepted nor failed")  # pragma: no cover
            raise _Failure(index, frozenset(actions[state]) - _HIDDEN)
        how, length, name, kind, goto = action
        # (the kinds in order of frequency; the one-child ones come as UNITS only)
        if how == UNITS:
            state, wraps = goto[states[-2]]
            states[-1] = state
            for wrap in wraps:
                value = values[-1]
                if wrap:
                    values[-1] = new_tree(CST, (wrap, [value]))
                elif value.__class__ is not list:
                    values[-1] = [value]
        elif how == TREE:
            tree = new_tree(CST, (name, values[-length:]))
            del values[1 - length:]
            values[-1] = tree
            del states[1 - length:]
            state = states[-1] = goto[states[-2]]
            if state == end_state:  # only `start` leads there, at the end
                result: CST = values[-1]
                return result
        elif how == APPEND:
            value = pop_value()
            if value.__class__ is list:
                values[-1].extend(value)
            else:
                values[-1].append(value)
            del states[-1]
            state = states[-1] = goto[states[-2]]
        else:
            if length:
                popped = values[-length:]
                del values[-length:]
                del states[-length:]
            else:
                popped = []
            push_value(_reduced(popped, name, kind))
            state = goto[states[-1]]
            push_state(state)
            if state == end_state:
                result = values[-1]
                return result


# ---- statements replayed -------------------------------------------------------------------------
# A diagram is mostly statements of a few shapes: over the Atlas corpus's flowcharts, 56,000
# statements (up to and including their separator) have 200 sequences of token types between
# them. The automaton makes the same moves over every statement of a shape, and they depend on
# nothing else than the two states on top of its stack when the statement starts (the state that
# takes a statement, and the one below it, to which the reductions that add the statement to the
# document return) and the type of the token after it (which decides the last reductions). So
# the moves are worked out once per process for each such key, by running the automaton on the
# statement alone (_record); when they come back to where they started, having added items to
# the document list on top of the value stack, the statement's trees are kept as a function that
# makes them from its tokens, and _drive calls it instead of moving through them again. A
# statement whose moves do anything else (open or close a subgraph, end the diagram, fail) is
# noted as such and always parsed move by move.

_Replay = Callable[[Sequence[Any], int], "list[Any] | None"]
# By (the two states on top, then the types of the statement's tokens and of the token after).
_REPLAYS: dict[tuple[Any, ...], _Replay | None] = {}
_MAX_REPLAYS = 4096  # keys kept per process (the corpus needs about 300)
_MAX_TOKENS = 48  # longer statements are rare, and not worth a function each
_UNKNOWN: Any = object()
_COMPILE_AFTER = 8  # uses of a replay before it is compiled (see _replay_of)


def _after_line_break(types: list[str], index: int, quick: bool) -> int:
    """The index of the token the parser takes after the first line break at or after
    ``index`` (past the indentation in a quick parse), or -1 when there is none."""
    try:
        after = types.index("NEWLINE", index) + 1
    except ValueError:
        return -1
    if quick and types[after] == "SPACE":
        after += 1
    return after


def _learn(key: tuple[Any, ...], feed: list[Any], start: int, after: int) -> _Replay | None:
    """The replay of the statement ``feed[start:]`` that ``key`` stands for (see _record),
    kept under the key; None (also kept) when it must be parsed move by move."""
    end = after - 1
    while feed[end][0] != "NEWLINE":
        end -= 1  # (past the blanks a quick parse skips)
    items = _record(key[0], key[1], feed, start, end, after) if end - start < _MAX_TOKENS \
        else None
    replay = None if items is None else _replay_of(key, items, feed, start, end)
    if len(_REPLAYS) < _MAX_REPLAYS:
        _REPLAYS[key] = replay
    return replay


def _record(below: int, state: int, feed: list[Any], start: int, end: int, after: int
            ) -> list[Any] | None:
    """Run the automaton on the statement from a stack of ``below`` and ``state`` (over the
    tables as Lark makes them, one reduction at a time) up to where it shifts the token after
    it, or is back on those two states before that; what it added to the list on top of the
    value stack, if it is back on them having done nothing else."""
    tables = lalr_tables()
    actions = tables.actions
    states = [below, state]
    values: list[Any] = [None, []]  # (the document's list: only what the statement adds)
    for index in (*range(start, end + 1), after):
        ttype = feed[index][0]
        while True:
            action = actions[states[-1]].get(ttype)
            if action is None:
                return None
            if isinstance(action, int):
                shift = action
                break
            _how, length, name, kind, goto = action
            if length >= len(states):
                return None  # it would take what lies below: moves of another kind
            popped = values[-length:] if length else []
            if length:
                del values[-length:]
                del states[-length:]
            values.append(_reduced(popped, name, kind))
            states.append(goto[states[-1]])
            if states[-1] == tables.end:
                return None
            if index == after and len(states) == 2 and states[1] == state:
                break  # back where it started, the statement added: the rest is the next one's
        if index == after:
            break
        states.append(shift)
        values.append(feed[index])
    if states != [below, state] or values[0] is not None or values[1].__class__ is not list:
        return None
    return values[1]


def _replay_of(key: tuple[Any, ...], items: list[Any], feed: list[Any], start: int, end: int
               ) -> _Replay | None:
    """The replay that makes ``items`` of the tokens of a statement like ``feed[start:end + 1]``
    (None when they hold anything else). It returns None instead when a blank of the statement
    is a run of several: the automaton is fed such a run blank by blank, moves of another kind.

    For its first uses it follows a program, the tokens to take and the trees to make of them
    in order; then it is compiled into a function, ``lambda f, i: [items]`` with each token as
    ``f[i + k]``, as namedtuple and dataclasses make their methods (the names in it are the
    grammar's own). Compiling one costs as much as a hundred runs of its program, and most
    shapes of statement come a few times only, a few of them thousands of times."""
    offsets = {id(feed[k]): k - start for k in range(start, end + 1)}
    program: list[tuple[str | None, int]] = []  # (None, k): token k; (name, n): a tree of n

    def walk(value: Any) -> str:
        if value.__class__ is CST:
            children = ", ".join(walk(child) for child in value.children)
            program.append((value.name, len(value.children)))
            return f"T(C, ({value.name!r}, [{children}]))"
        k = offsets[id(value)]  # (KeyError: not a token of the statement)
        program.append((None, k))
        return f"f[i + {k}]"

    try:
        body = ", ".join(walk(item) for item in items)
    except KeyError:
        return None
    runs = [k - start for k in range(start, end + 1) if feed[k][0] == "SPACE"]
    check = " or ".join(f"len(f[i + {k}][1]) != 1" for k in runs)
    source = f"lambda f, i: None if {check} else [{body}]" if runs else f"lambda f, i: [{body}]"
    uses = 0

    def replay(f: Sequence[Any], i: int) -> list[Any] | None:
        nonlocal uses
        uses += 1
        if uses == _COMPILE_AFTER:
            compiled: _Replay = eval(source, {"T": tuple.__new__, "C": CST})
            if key in _REPLAYS:  # (not when there was no room: then it is used once)
                _REPLAYS[key] = compiled
            return compiled(f, i)
        for k in runs:
            if len(f[i + k][1]) != 1:
                return None
        stack: list[Any] = []
        for name, n in program:
            if name is None:
                stack.append(f[i + n])
            else:
                cut = len(stack) - n
                tree = CST(name, stack[cut:])
                del stack[cut:]
                stack.append(tree)
        return stack

    return replay


def _reduced(popped: list[Any], name: str, kind: int) -> Any:
    """What a reduction of ``name`` leaves on the value stack for the values it pops, shaped as
    Lark shapes its trees: the children of a `_rule` (and lists of them) spliced into their
    parent's, a `?rule` of one child standing as that child."""
    children: list[Any] = []
    for value in popped:
        if value.__class__ is list:
            children.extend(value)
        else:
            children.append(value)
    if kind == SPLICE:
        return children
    if kind == EXPAND1 and len(children) == 1:
        return children[0]
    return CST(name, children)


@dataclass(slots=True)
class SyntaxProblem:
    """Where and why parsing stopped; offsets are into the text that was parsed."""

    start: int
    end: int
    found: str  # the token type found ("$END" at the very end)
    found_text: str
    expected: frozenset[str]
    lexical: bool = False
    tokens_before: list[Tok] = field(default_factory=list)  # the statement so far, for messages
    # Where Mermaid's error location starts: Jison reports the location of the last token it
    # shifted, not of the token it could not use. They differ when the bad token starts a line
    # (the line break before it was the last token shifted) or follows `end`, whose token
    # swallows the blanks and line breaks after it.
    blame_start: int | None = None


@dataclass(slots=True)
class ParseOutcome:
    tree: CST | None  # its leaves are the lexer's tokens: (type, value, start, end) tuples
    problems: list[SyntaxProblem]
    # The tokens parsed: as lexed when there are problems; with a tree, style bodies may be
    # merged into STYLES tokens (type, "", start, end, what the tree builder reads of them).
    raw_tokens: list[RawTok]

    @property
    def tokens(self) -> list[Tok]:
        return [Tok._make(tok) for tok in self.raw_tokens]


def _statement_start(tokens: list[RawTok], index: int) -> int:
    """Index of the first token of the statement holding ``tokens[index]``."""
    k = index - 1
    while k >= 0 and tokens[k][0] not in ("NEWLINE", "SEMI"):
        k -= 1
    return k + 1


def _next_line_break(tokens: list[RawTok], index: int) -> int | None:
    for k in range(index, len(tokens)):
        if tokens[k][0] == "NEWLINE":
            return k
    return None


class _Mark(NamedTuple):
    """The automaton's stack right after it shifted ``tokens[at - 1]``: the state in which
    it starts ``tokens[at:]`` (that stack depends on the tokens before only)."""

    at: int
    states: list[int]


def _recognize(tokens: Sequence[RawTok], begin: _Mark | None = None
               ) -> tuple[_Failure | None, _Mark | None]:
    """Where the LALR(1) automaton stops on ``tokens`` (None if it accepts them): _drive's
    moves without the tree, for the error search, which has no use for one.

    ``begin``: start there, not at the first token. Also returns the mark of the last
    statement start (after a line break or `;`) before the stop, from which the search
    for the next error resumes once the failing statement is dropped."""
    tables = lalr_tables()
    actions = tables.actions
    end_state = tables.end
    mark = begin
    if begin is None:
        states = [tables.start]
        first = 0
    else:
        states = list(begin.states)
        first = begin.at
    state = states[-1]
    push_state = states.append
    for index, tok in enumerate([*tokens[first:], _END], first):
        ttype = tok[0]
        repeat = len(tok[1]) if ttype == "SPACE" else 1
        snapshot: list[int] | None = None
        while True:
            while True:
                action = actions[state].get(ttype)
                if action is None:
                    return _Failure(index, frozenset(actions[state]) - _HIDDEN), mark
                if action.__class__ is int:
                    state = action
                    push_state(state)
                    break
                length = action[1]  # type: ignore[index]
                if length:
                    del states[-length:]
                state = action[4][states[-1]]  # type: ignore[index]
                push_state(state)
                if state == end_state:
                    return None, mark
            repeat -= 1
            if not repeat:
                break
            if snapshot is not None and states == snapshot:
                break
            snapshot = states[:]
        if ttype == "NEWLINE" or ttype == "SEMI":  # (the statement ends _statement_start finds)
            mark = _Mark(index + 1, states[:])
    raise AssertionError("the parser neither accepted nor failed")  # pragma: no cover


def _parse_once(tokens: list[Any], quick: bool = False) -> tuple[CST | None, _Failure | None]:
    try:
        return _drive(tokens, quick), None
    except _Failure as failure:
        return None, failure


# ---- style bodies as one token ----------------------------------------------------------------
# A third of a diagram's tokens are often the bodies of `classDef`, `style` and `linkStyle`
# statements (`fill:#f9f,stroke:#333,stroke-width:2px`: 13 tokens). Where a statement's tokens
# show it is one of those, its body becomes one STYLES token, which the grammar accepts as the
# whole `styles` phrase; the token keeps the tokens it stands for, for the tree builder. A body
# is merged only when its tokens form a valid `styles` phrase (a style is one or more of NUM,
# NODE_STRING, COLON, SPACE, BRKT, STYLE; styles are separated by single commas), so a parse of
# the merged tokens could be redone with the tokens as lexed, each STYLES token replaced by the
# tokens it holds: whatever the merged parse accepts, the plain one accepts. A merged parse that
# fails is thrown away and the tokens as lexed are parsed (errors are always found, reported
# and recovered from on those).

_STYLE_KEYWORDS = frozenset({"CLASSDEF", "STYLE", "LINKSTYLE"})
_ID_TOKENS = frozenset({"NUM", "NODE_STRING", "DOWN", "MINUS", "DEFAULT", "COMMA", "COLON",
                        "AMP", "BRKT", "MULT", "UNICODE_TEXT"})
_ALPHA_NUM_TOKENS = frozenset({"NUM", "UNICODE_TEXT", "NODE_STRING", "DIR", "DOWN", "MINUS",
                               "COMMA", "COLON", "AMP", "BRKT", "MULT"})
_STYLE_TOKENS = frozenset({"NUM", "NODE_STRING", "COLON", "UNIT", "SPACE", "BRKT", "STYLE",
                           "PCT", "COMMA"})
_SEPARATOR_TOKENS = frozenset({"NEWLINE", "SEMI", "EOF"})
# Never named as expected: Mermaid has no such tokens (the quick parse's, for phrases it reads
# whole: see _merge_styles and lexer._LABELS).
_HIDDEN = frozenset({"STYLES", "SQUARE_LABEL", "PIPE_LABEL"})


def _merge_styles(tokens: list[RawTok]) -> list[Any] | None:
    """``tokens`` with each style body that can be merged as one STYLES token
    ``("STYLES", text, start, end, [the tokens it stands for])``; None when there is none."""
    keywords = [k for k, tok in enumerate(tokens) if tok[0] in _STYLE_KEYWORDS]
    if not keywords:
        return None
    out: list[Any] = []
    copied = 0  # tokens before this index are in `out`
    count = len(tokens)
    for k in keywords:
        if k < copied:
            continue
        body = _style_body(tokens, k, count)
        if body is None:
            continue
        blank, stop = body  # tokens[blank]: the blank before the body; tokens[stop]: separator
        space = tokens[blank]
        parts: list[Any] = tokens[blank + 1:stop]
        if len(space[1]) > 1:  # the run's other blanks open the first style
            parts.insert(0, space)
            start = space[2] + 1
        else:
            start = tokens[blank + 1][2]
        if not _valid_styles(parts):
            continue
        out.extend(tokens[copied:blank])
        out.append(("SPACE", space[1][0], space[2], space[2] + 1))
        end = tokens[stop - 1][3]
        out.append(("STYLES", "", start, end, parts))  # (no text: the builder reads the parts)
        copied = stop
    if not copied:
        return None
    out.extend(tokens[copied:])
    return out


def _style_body(tokens: list[RawTok], k: int, count: int) -> tuple[int, int] | None:
    """Where the body of the style statement starting at ``tokens[k]`` lies: (index of the
    blank before it, index of the separator after it), or None if it does not look like one."""
    j = k + 1
    if j >= count or tokens[j][0] != "SPACE" or len(tokens[j][1]) != 1:
        return None
    j += 1
    if tokens[k][0] == "LINKSTYLE":  # link_targets: DEFAULT | NUM (COMMA NUM)*
        if j < count and tokens[j][0] == "DEFAULT":
            j += 1
        else:
            if j >= count or tokens[j][0] != "NUM":
                return None
            j += 1
            while j + 1 < count and tokens[j][0] == "COMMA" and tokens[j + 1][0] == "NUM":
                j += 2
        if (j + 2 < count and tokens[j][0] == "SPACE" and len(tokens[j][1]) == 1
                and tokens[j + 1][0] == "INTERPOLATE"):
            # SPACE INTERPOLATE SPACE alpha_num, then the body
            if tokens[j + 2][0] != "SPACE" or len(tokens[j + 2][1]) != 1:
                return None
            j += 3
            first = j
            while j < count and tokens[j][0] in _ALPHA_NUM_TOKENS:
                j += 1
            if j == first:
                return None
    else:  # id_string
        first = j
        while j < count and tokens[j][0] in _ID_TOKENS:
            j += 1
        if j == first:
            return None
    if j >= count or tokens[j][0] != "SPACE":
        return None
    blank = j
    j += 1
    while j < count and tokens[j][0] in _STYLE_TOKENS:
        j += 1
    if j >= count or tokens[j][0] not in _SEPARATOR_TOKENS or j == blank + 1:
        return None
    return blank, j


def _valid_styles(parts: list[Any]) -> bool:
    """Do the tokens form `style (COMMA style)*`?"""
    previous = "COMMA"  # nothing before the first style
    for part in parts:
        kind = part[0]
        if kind == "COMMA" and previous == "COMMA":
            return False
        previous = kind
    return previous != "COMMA"


def parse_tokens(text: str, max_errors: int = MAX_ERRORS, build_tree: bool = True
                 ) -> ParseOutcome:
    """Lex and parse ``text``: the tree, or the errors (at most ``max_errors``; 1 when only
    the first one matters saves the search for the others). ``build_tree=False`` only looks
    for the errors (the outcome has no tree), for callers that need nothing else."""
    if build_tree:
        # The quick parse, with merged style bodies (the simplest read whole by the lexer, the
        # others merged here) and without indentation; a diagram it refuses is parsed again
        # as lexed, for the errors as Mermaid reports them.
        merged, lex_error, whole = tokenize_merged(text)
        if lex_error is None:
            tree, failure = _parse_once(merged if whole else _merge_styles(merged) or merged,
                                        quick=True)
            if failure is None:
                return ParseOutcome(tree, [], merged)
        tokens = as_lexed(text, merged)
    else:  # only the errors: no quick parse, no merging
        tokens, lex_error = tokenize_raw(text)
    problems: list[SyntaxProblem] = []
    work = list(tokens)
    tree = None
    resume: _Mark | None = None
    while len(problems) < max_errors:
        failure, mark = _recognize(work, resume)  # (no tree: a diagram with errors has none)
        if failure is None:
            if not problems and lex_error is None and build_tree:
                tree = _drive(work)  # refused only merged (a title that reads like a style)
            break
        index = failure.index
        if index >= len(work) and lex_error is not None and not problems:
            problems.append(_lexical_problem(text, lex_error, work))
            return ParseOutcome(None, problems, tokens)
        problems.append(_syntax_problem(text, work, index, failure.expected))
        start = _statement_start(work, index)
        stop = _next_line_break(work, index)
        dropped = work[start:stop]
        if stop is None or any(t[0] in ("SUBGRAPH", "END") for t in dropped):
            break
        work = work[:start] + work[stop:]
        # The tokens before the dropped statement stay: the next search starts after them.
        resume = mark if mark is not None and mark.at == start else None
    else:
        return ParseOutcome(None, problems, tokens)
    if lex_error is not None and not problems:
        problems.append(_lexical_problem(text, lex_error, work))
    return ParseOutcome(None if problems else tree, problems, tokens)


def _syntax_problem(text: str, tokens: list[RawTok], index: int, expected: frozenset[str]
                    ) -> SyntaxProblem:
    before = [Tok._make(t) for t in tokens[_statement_start(tokens, index):index]]
    blame = tokens[index - 1][2] if index > 0 else 0
    if index >= len(tokens):
        end = len(text)
        return SyntaxProblem(end, end, "$END", "", expected, tokens_before=before,
                             blame_start=blame)
    tok = Tok._make(tokens[index])
    start, stop = _visible_span(tok)
    return SyntaxProblem(start, stop, tok.type, tok.value, expected, tokens_before=before,
                         blame_start=blame)


def _visible_span(tok: Tok) -> tuple[int, int]:
    """The token's span without the white space some tokens (links, `end`) carry."""
    value = tok.value
    if tok.type == "NEWLINE" or not value.strip():
        return tok.start, tok.start + (1 if value else 0)
    # Keep line breaks: a string token that starts with one starts on the line before it, and
    # that is the line Mermaid blames.
    lead = len(value) - len(value.lstrip(" \t"))
    trail = len(value) - len(value.rstrip(" \t"))
    return tok.start + lead, tok.end - trail


def _lexical_problem(text: str, error: LexError, tokens: list[RawTok]) -> SyntaxProblem:
    start = error.offset
    before = [Tok._make(t) for t in tokens[_statement_start(tokens, len(tokens)):]]
    return SyntaxProblem(start, min(len(text), start + 1), "LEXICAL", text[start:start + 1],
                         frozenset(), lexical=True, tokens_before=before)
