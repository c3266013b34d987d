"""Configuration: ``[tool.mermaidlint]`` in pyproject.toml, or .mermaidlint.toml / mermaidlint.toml.

Validated with pydantic; keys are kebab-case in the files (``extend-select``) and snake_case here.

The file that applies to a linted file is the nearest one above it (searched from the file's folder
upward, like ruff): in each folder ``.mermaidlint.toml`` first, then ``mermaidlint.toml``, then a
``pyproject.toml`` that has a ``[tool.mermaidlint]`` table. ``--config PATH`` overrides the search.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.alias_generators import to_snake
from pydantic_core import PydanticCustomError


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

    @field_validator("palettes")
    @classmethod
    def _palette_planes(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for name, colours in value.items():
            _check_planes(colours, f"palette `{name}`")
        return value

    @field_validator("class_names")
    @classmethod
    def _class_planes(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        _check_planes(value, "`class-names`")
        return value

    @model_validator(mode="after")
    def _known_palette(self) -> PlanesConfig:
        # "auto": each diagram is held to the known palette it follows most (the MP rules).
        known = [*PALETTES, *self.palettes, "auto"]
        if self.palette not in known:
            raise PydanticCustomError(
                "config_value", "{key}: unknown palette `{value}`; allowed: {allowed}",
                {"key": "palette", "value": self.palette,
                 "allowed": ", ".join(known) + " (or a palette defined under `palettes`)"})
        return self


def _check_planes(value: dict[str, Any], what: str) -> None:
    """Only the four planes may be keys: a misspelt plane would be silently ignored."""
    for plane in value:
        if plane not in PLANES:
            raise ValueError(f"{what} has an unknown plane `{plane}`; allowed: "
                             + ", ".join(PLANES))


class LatencyConfig(_Section):
    """ML rules: SLO latency labels."""

    # "thick": the `==>` links are the critical path; "thick+planes": also the request path
    # through the planes (Edge -> Service -> State).
    critical_path: str = "thick"

    @field_validator("critical_path")
    @classmethod
    def _known_path(cls, value: str) -> str:
        if value not in CRITICAL_PATHS:
            raise ValueError(f"unknown value `{value}`; allowed: " + ", ".join(CRITICAL_PATHS))
        return value


CRITICAL_PATHS = ("thick", "thick+planes")


class AcronymsConfig(_Section):
    """MA rules: acronyms must be defined."""

    glossary: dict[str, str] = Field(default_factory=dict)  # {"WAF": "Web Application Firewall"}
    glossary_files: list[str] = Field(default_factory=list)  # `*[WAF]: ...` files
    allow: list[str] = Field(default_factory=list)  # extra acronyms everyone knows
    # When true, a glossary entry no longer counts as a definition: each document must spell the
    # acronym out itself, and MA001 offers to expand it from the glossary (an unsafe fix).
    require_in_document: bool = False


class Config(_Section):
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    extend_select: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    exclude: list[str] = Field(default_factory=list)
    planes: PlanesConfig = Field(default_factory=PlanesConfig)
    latency: LatencyConfig = Field(default_factory=LatencyConfig)
    acronyms: AcronymsConfig = Field(default_factory=AcronymsConfig)


# ---- loading ------------------------------------------------------------------------------------

# In the order they are looked for within one folder.
CONFIG_FILES = (".mermaidlint.toml", "mermaidlint.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""

    def __init__(self, path: Path | str, message: str, key: str | None = None) -> None:
        self.path, self.key, self.message = _shown(Path(path)), key, message
        where = f"{self.path}: `{key}`" if key else self.path
        super().__init__(f"{where}: {message}")


def _shown(path: Path) -> str:
    """A path as the user would write it: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class LoadedConfig:
    """A validated configuration, and the file it came from (None: the defaults)."""

    config: Config
    path: Path | None = None


DEFAULT = LoadedConfig(Config())


@cache  # a pyproject.toml is read once to see whether it has the table, once to load it
def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        with open(path, "rb") as f:
            data: dict[str, Any] = tomllib.load(f)
    except OSError as exc:
        raise ConfigError(path, f"cannot be read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"is not valid TOML: {exc}") from exc
    return data


def _table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """The mermaidlint settings in a parsed file; None for a pyproject.toml without them."""
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool")
    table = tool.get("mermaidlint") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(path, "must be a table", key="tool.mermaidlint")
    return table


def load_config(path: Path) -> LoadedConfig:
    """Read and validate one file (a pyproject.toml without the table gives the defaults)."""
    table = _table(path, _read_toml(path))
    if table is None:
        return LoadedConfig(Config(), path)
    try:
        return LoadedConfig(Config.model_validate(table), path)
    except ValidationError as exc:
        prefix = "tool.mermaidlint." if path.name == "pyproject.toml" else ""
        raise _config_error(path, exc, prefix) from None


def _config_error(path: Path, exc: ValidationError, prefix: str) -> ConfigError:
    """The first problem pydantic found, named by its dotted key as written in the file."""
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    ctx = error.get("ctx") or {}
    if error["type"] == "config_value":
        loc.append(str(ctx["key"]))
        message = f"unknown palette `{ctx['value']}`; allowed: {ctx['allowed']}"
    elif error["type"] == "extra_forbidden":
        allowed = ", ".join(_keys_at(loc[:-1])) or "none"
        message = f"unknown key; allowed keys here: {allowed}"
    else:
        message = _EXPECTED.get(error["type"], error["msg"])
        if error["type"] == "value_error":
            message = str(ctx.get("error", error["msg"]))
    return ConfigError(path, message, key=prefix + ".".join(loc) if loc else None)


# What a value must be, for pydantic's type errors.
_EXPECTED = {
    "list_type": "must be a list (of strings), e.g. [\"MD\", \"MS102\"]",
    "string_type": "must be a string",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
}


def _keys_at(loc: list[str]) -> list[str]:
    """The keys (as written in files) a table at ``loc`` accepts."""
    model: type[BaseModel] = Config
    for part in loc:
        field = next((f for n, f in model.model_fields.items() if part in (n, f.alias)), None)
        annotation = field.annotation if field is not None else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return [f.alias or n for n, f in model.model_fields.items()]


def _config_in(folder: Path) -> Path | None:
    """The configuration file of one folder, if it has one."""
    for name in CONFIG_FILES:
        candidate = folder / name
        if not candidate.is_file():
            continue
        if name != "pyproject.toml" or _mentions_tool(candidate):
            return candidate
    return None


def _mentions_tool(pyproject: Path) -> bool:
    """Whether a pyproject.toml has a [tool.mermaidlint] table (checked by parsing it)."""
    try:
        return _table(pyproject, _read_toml(pyproject)) is not None
    except ConfigError:
        return True  # let loading it report the problem, rather than skip it silently


@cache
def find_config_file(folder: Path) -> Path | None:
    """The nearest configuration file in ``folder`` or above it; cached per folder."""
    found = _config_in(folder)
    if found is not None or folder.parent == folder:
        return found
    return find_config_file(folder.parent)


@cache
def _load_cached(path: Path) -> LoadedConfig:
    return load_config(path)


def config_for(folder: Path, override: Path | None = None) -> LoadedConfig:
    """The configuration that applies to the files in ``folder`` (``override``: ``--config``)."""
    if override is not None:
        return _load_cached(override.absolute())
    path = find_config_file(folder.absolute())
    return DEFAULT if path is None else _load_cached(path)
