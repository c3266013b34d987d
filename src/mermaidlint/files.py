"""Finding the files to lint, and reading them.

Reading never raises for bad input: a file that cannot be linted (unreadable, binary, not UTF-8)
becomes a :class:`FileProblem`, reported like a diagnostic, and the run goes on.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mermaidlint.document import SourceFile
from mermaidlint.positions import LINE_BREAK

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")
MERMAID_SUFFIXES = (".mmd", ".mermaid")
_LINTED_SUFFIXES = MARKDOWN_SUFFIXES + MERMAID_SUFFIXES

# Folders never walked into: version control, dependencies, caches, virtual environments.
# (Any folder whose name starts with "." is skipped too, and any holding a pyvenv.cfg.)
_SKIPPED_FOLDERS = frozenset({
    ".git", "node_modules", "__pycache__", "venv", ".venv", "env", ".tox", ".nox",
    "site-packages",
})

# A file with a NUL byte this early is taken for binary (git's rule of thumb).
_BINARY_SNIFF = 8192


@dataclass
class FileProblem:
    """Something that stopped a file from being read."""

    path: str
    line: int | None
    message: str


# --------------------------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------------------------


def discover(paths: Sequence[str], exclude: Sequence[str] = ()
             ) -> tuple[list[tuple[Path, str]], list[str]]:
    """Expand command-line paths into (path, display path) pairs, and error messages.

    Directories are walked for Markdown and Mermaid files; a file named explicitly is linted
    whatever its suffix. Display paths use "/" and read as found from the path given (no
    leading "./"). The result is sorted by display path, without duplicates.
    """
    excluded = _Exclusions(exclude)
    found: dict[str, Path] = {}
    errors: list[str] = []
    for given in paths:
        path = Path(given)
        display = _display_root(given)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as error:  # e.g. a parent folder that may not be searched
            errors.append(f"{given}: {_os_message(error)}")
            continue
        if is_dir:
            _walk(path, display, excluded, found, errors)
        elif exists:
            shown = display or given
            if not excluded.matches(shown, shown):
                found.setdefault(shown, path)
        else:
            errors.append(f"{given}: no such file or directory")
    ordered = sorted(found.items(), key=lambda item: item[0].split("/"))
    return [(path, display) for display, path in ordered], errors


def _display_root(given: str) -> str:
    """The display form of a command-line path: "/" separators, no "./" in front, no "/" at
    the end; "." becomes "" (so that files under it show as "a/b.md")."""
    shown = given.replace(os.sep, "/") if os.sep != "/" else given
    while shown.startswith("./"):
        shown = shown[2:].lstrip("/")
    if len(shown) > 1:
        shown = shown.rstrip("/") or "/"
    return "" if shown == "." else shown


def _join(parent: str, name: str) -> str:
    if not parent:
        return name
    return parent + name if parent.endswith("/") else f"{parent}/{name}"


def _walk(root: Path, display: str, excluded: _Exclusions, found: dict[str, Path],
          errors: list[str]) -> None:
    """Collect the linted files under ``root`` (depth first, no symlinked folders)."""
    pending: list[tuple[Path, str, str]] = [(root, display, "")]
    while pending:
        folder, shown, relative = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listing = list(entries)
        except OSError as error:
            errors.append(f"{shown or '.'}: {_os_message(error)}")
            continue
        for entry in listing:
            entry_shown, entry_relative = _join(shown, entry.name), _join(relative, entry.name)
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not _skipped_folder(entry) and not excluded.matches(
                            entry_shown, entry_relative):
                        pending.append((Path(entry.path), entry_shown, entry_relative))
                elif (entry.name.lower().endswith(_LINTED_SUFFIXES)
                      and entry.is_file()  # follows a symlink; a broken one is left out
                      and not excluded.matches(entry_shown, entry_relative)):
                    found.setdefault(entry_shown, Path(entry.path))
            except OSError as error:
                errors.append(f"{entry_shown}: {_os_message(error)}")


def _skipped_folder(entry: os.DirEntry[str]) -> bool:
    name = entry.name
    if name in _SKIPPED_FOLDERS or name.startswith("."):
        return True
    return os.path.isfile(os.path.join(entry.path, "pyvenv.cfg"))  # a virtual environment


class _Exclusions:
    """``--exclude`` glob patterns (fnmatch style, ``**`` for any number of folders).

    A pattern with a "/" is matched against the whole display path and against the path
    relative to the folder named on the command line; one without is matched against every
    component (so ``vendor`` or ``*.draft.md`` match at any depth). ``dir/**`` also matches
    the folder ``dir`` itself, so that it is not walked at all.
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        self._anchored = [_glob_regex(p.strip("/")) for p in patterns if "/" in p.strip("/")]
        self._anywhere = [_glob_regex(p.strip("/")) for p in patterns
                          if p.strip("/") and "/" not in p.strip("/")]

    def matches(self, display: str, relative: str) -> bool:
        if any(r.fullmatch(display) or r.fullmatch(relative) for r in self._anchored):
            return True
        if self._anywhere:
            parts = relative.split("/") + display.split("/")
            return any(r.fullmatch(part) for r in self._anywhere for part in parts)
        return False


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a glob: ``*`` and ``?`` stay within a path component, ``**`` crosses them,
    ``[...]`` is a character class (``[!...]`` negated)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == n:
            out.append("(?:/.*)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            negate = body.startswith("!")
            body = re.escape(body[1:] if negate else body).replace(r"\-", "-")
            out.append(f"[{'^' if negate else ''}{body}]")
            i = end + 1
        else:
            out.append(re.escape(ch))
            i += 1
    return re.compile("".join(out))


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def read_source(path: Path, display_path: str) -> SourceFile | FileProblem:
    """Read a file as UTF-8 (a BOM is dropped; line breaks are kept exactly as they are)."""
    data = read_bytes(path, display_path)
    return data if isinstance(data, FileProblem) else decode(display_path, data)


def read_bytes(path: Path, display_path: str) -> bytes | FileProblem:
    """A file's bytes, or what kept them from being read."""
    try:
        return path.read_bytes()
    except OSError as error:  # permission denied, a folder, vanished since discovery, ...
        return FileProblem(display_path, None, _os_message(error))


def read_stdin(display_path: str, data: bytes) -> SourceFile | FileProblem:
    """The same rules as :func:`read_source`, for bytes read from standard input."""
    return decode(display_path, data)


def source_from_text(path: str, text: str) -> SourceFile:
    """A SourceFile from text already decoded (a leading BOM is dropped and remembered)."""
    has_bom = text.startswith("\ufeff")
    return SourceFile(path=path, text=text[1:] if has_bom else text, has_bom=has_bom)


def decode(display_path: str, data: bytes) -> SourceFile | FileProblem:
    """A file's bytes as a SourceFile: UTF-8, a BOM dropped; binary or other encodings refused."""
    if b"\0" in data[:_BINARY_SNIFF]:
        return FileProblem(display_path, None,
                           "binary file (it has a NUL byte near the start); not linted")
    has_bom = data.startswith(codecs.BOM_UTF8)
    if has_bom:
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_and_column(data[: error.start].decode("utf-8"))
        return FileProblem(
            display_path, line,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at line {line}, column {column}); "
            "mermaidlint reads UTF-8 only",
        )
    return SourceFile(path=display_path, text=text, has_bom=has_bom)


def _line_and_column(before: str) -> tuple[int, int]:
    """1-based line and column (in code points) of the character after ``before``."""
    line, line_start = 1, 0
    for match in LINE_BREAK.finditer(before):
        line, line_start = line + 1, match.end()
    return line, len(before) - line_start + 1


def _os_message(error: OSError) -> str:
    message = error.strerror or str(error)
    return message[:1].lower() + message[1:]


def store_quietly(path: str, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically, for a cache: to a temporary name of this process's
    own in the same folder, then renamed into place, so a reader never sees half a file; False
    (nothing written) when it cannot be. (Not tempfile.mkstemp: its random names cost more than
    the rest of a small write, and a name unique to the process and the file does as well;
    O_EXCL still refuses a leftover of a crashed run.)"""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".tmp-{os.getpid()}-{name}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True
