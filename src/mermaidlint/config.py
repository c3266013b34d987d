"""Configuration: ``[tool.mermaidlint]`` in pyproject.toml, or .mermaidlint.toml / mermaidlint.toml.

Validated with pydantic; keys are kebab-case in the files (``extend-select``) and snake_case here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_snake


def _kebab(name: str) -> str:
    return to_snake(name).replace("_", "-")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True,
                              frozen=True)


PLANES = ("edge", "service", "state", "control")

PALETTES: dict[str, dict[str, str]] = {
    # The Atlas programme's original four-plane scheme (the seed document).
    "seed": {"edge": "#0066CC", "service": "#00AA00", "state": "#FF8800", "control": "#CC0000"},
    # The Tailwind colours the Atlas corpus migrated to.
    "tailwind": {"edge": "#3B82F6", "service": "#10B981", "state": "#F59E0B",
                 "control": "#8B5CF6"},
}


class PlanesConfig(_Section):
    """MP rules: the four-plane colour scheme."""

    palette: str = "seed"  # a name from PALETTES or from `palettes`
    palettes: dict[str, dict[str, str]] = Field(default_factory=dict)  # custom palettes
    # Class names that put a node in a plane (compared case-insensitively).
    class_names: dict[str, list[str]] = Field(default_factory=lambda: {
        plane: [plane, f"{plane}Style", f"{plane}Plane", f"{plane}Class"] for plane in PLANES
    })

    def colours(self) -> dict[str, str]:
        return {**PALETTES, **self.palettes}.get(self.palette, PALETTES["seed"])


class LatencyConfig(_Section):
    """ML rules: SLO latency labels."""

    # "thick": the `==>` links are the critical path; "thick+planes": also the request path
    # through the planes (Edge -> Service -> State).
    critical_path: str = "thick"


class AcronymsConfig(_Section):
    """MA rules: acronyms must be defined."""

    glossary: dict[str, str] = Field(default_factory=dict)  # {"WAF": "Web Application Firewall"}
    glossary_files: list[str] = Field(default_factory=list)  # `*[WAF]: ...` files
    allow: list[str] = Field(default_factory=list)  # extra acronyms everyone knows


class Config(_Section):
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    extend_select: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    exclude: list[str] = Field(default_factory=list)
    planes: PlanesConfig = Field(default_factory=PlanesConfig)
    latency: LatencyConfig = Field(default_factory=LatencyConfig)
    acronyms: AcronymsConfig = Field(default_factory=AcronymsConfig)
