"""What a check finds: diagnostics, and the fixes they may carry."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from mermaidlint.positions import Span


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Applicability(str, enum.Enum):
    """How sure a fix is of itself (ruff's distinction)."""

    SAFE = "safe"  # applied by --fix
    UNSAFE = "unsafe"  # applied only with --unsafe-fixes


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``span`` of the original file's text with ``replacement``."""

    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    description: str = ""


@dataclass(slots=True)
class Diagnostic:
    """One finding, positioned by offsets into the original file's text."""

    code: str
    name: str
    message: str
    span: Span
    severity: Severity = Severity.ERROR
    fix: Fix | None = None
    # Extra lines of help (what Mermaid expects, how to fix the common case).
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def refuses_render(self) -> bool:
        """Diagnostics in the MS0xx range mean Mermaid refuses to render the diagram."""
        return self.code.startswith("MS0")
