"""Configuration: ``[tool.mermaidlint]`` in pyproject.toml, or .mermaidlint.toml / mermaidlint.toml.

Validated with pydantic; keys are kebab-case in the files (``extend-select``) and snake_case here.

The file that applies to a linted file is the nearest one above it (searched from the file's folder
upward, like ruff): in each folder ``.mermaidlint.toml`` first, then ``mermaidlint.toml``, then a
``pyproject.toml`` that has a ``[tool.mermaidlint]`` table. ``--config PATH`` overrides the search.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError


def _kebab(name: str) -> str:
    return name.replace("_", "-")


# How pydantic validates each section (it reads `__pydantic_config__` on a standard dataclass):
# unknown keys are errors, and keys are written in kebab-case (`extend-select`), though the
# snake_case names are accepted too (the JSON form Settings carry uses them).
#
# The sections are standard dataclasses rather than pydantic models so that a run without a
# configuration file, the usual case, never imports pydantic: importing it and building the
# models took about 0.13 s before the first file was checked (a third of the start-up of
# `mermaidlint check`, paid again by every pre-commit hook and editor save). pydantic still
# validates every file that is read (see load_config).
_VALIDATION = {"extra": "forbid", "alias_generator": _kebab, "populate_by_name": True}


PLANES = ("edge", "service", "state", "control")

PALETTES: dict[str, dict[str, str]] = {
    # The Atlas programme's original four-plane scheme (the seed document).
    "seed": {"edge": "#0066CC", "service": "#00AA00", "state": "#FF8800", "control": "#CC0000"},
    # The Tailwind colours the Atlas corpus migrated to.
    "tailwind": {"edge": "#3B82F6", "service": "#10B981", "state": "#F59E0B",
                 "control": "#8B5CF6"},
}
DEFAULT_PALETTE = "seed"


def _default_class_names() -> dict[str, list[str]]:
    return {plane: [plane, f"{plane}Style", f"{plane}Plane", f"{plane}Class"] for plane in PLANES}


@dataclass(frozen=True, slots=True)
class PlanesConfig:
    """MP rules: the four-plane colour scheme."""

    __pydantic_config__ = _VALIDATION

    palette: str = DEFAULT_PALETTE  # a name from PALETTES or from `palettes`, or "auto"
    palettes: dict[str, dict[str, str]] = field(default_factory=dict)  # custom palettes
    # Class names that put a node in a plane (compared case-insensitively).
    class_names: dict[str, list[str]] = field(default_factory=_default_class_names)

    def colours(self) -> dict[str, str]:
        return {**PALETTES, **self.palettes}.get(self.palette, PALETTES[DEFAULT_PALETTE])

    def problem(self) -> tuple[str, str] | None:
        """What pydantic's types cannot say: (key, message) of the first value out of range."""
        for name, colours in self.palettes.items():
            unknown = _unknown_plane(colours, f"palette `{name}`")
            if unknown:
                return "palettes", unknown
        unknown = _unknown_plane(self.class_names, "`class-names`")
        if unknown:
            return "class-names", unknown
        # "auto": each diagram is held to the known palette it follows most (the MP rules).
        known = [*PALETTES, *self.palettes, "auto"]
        if self.palette not in known:
            return "palette", (f"unknown palette `{self.palette}`; allowed: {', '.join(known)} "
                               "(or a palette defined under `palettes`)")
        return None


def _unknown_plane(value: dict[str, Any], what: str) -> str | None:
    """Only the four planes may be keys: a misspelt plane would be silently ignored."""
    for plane in value:
        if plane not in PLANES:
            return f"{what} has an unknown plane `{plane}`; allowed: " + ", ".join(PLANES)
    return None


CRITICAL_PATHS = ("thick", "thick+planes")


@dataclass(frozen=True, slots=True)
class LatencyConfig:
    """ML rules: SLO latency labels."""

    __pydantic_config__ = _VALIDATION

    # "thick": the `==>` links are the critical path; "thick+planes": also the request path
    # through the planes (Edge -> Service -> State).
    critical_path: str = "thick"

    def problem(self) -> tuple[str, str] | None:
        if self.critical_path not in CRITICAL_PATHS:
            return "critical-path", (f"unknown value `{self.critical_path}`; allowed: "
                                     + ", ".join(CRITICAL_PATHS))
        return None


@dataclass(frozen=True, slots=True)
class AcronymsConfig:
    """MA rules: acronyms must be defined."""

    __pydantic_config__ = _VALIDATION

    glossary: dict[str, str] = field(default_factory=dict)  # {"WAF": "Web Application Firewall"}
    glossary_files: list[str] = field(default_factory=list)  # `*[WAF]: ...` files
    allow: list[str] = field(default_factory=list)  # extra acronyms everyone knows
    # When true, a glossary entry no longer counts as a definition: each document must spell the
    # acronym out itself, and MA001 offers to expand it from the glossary (an unsafe fix).
    require_in_document: bool = False


@dataclass(frozen=True, slots=True)
class Config:
    """The whole configuration. Read-only: build one with :meth:`model_validate`."""

    __pydantic_config__ = _VALIDATION

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    planes: PlanesConfig = field(default_factory=PlanesConfig)
    latency: LatencyConfig = field(default_factory=LatencyConfig)
    acronyms: AcronymsConfig = field(default_factory=AcronymsConfig)

    # The part of pydantic's model interface callers use, over the standard dataclass.
    @classmethod
    def model_validate(cls, data: Any) -> Config:
        """Validate a table as read from a file (kebab-case keys); raises pydantic's
        ValidationError, or ValueError for a value out of range (see :meth:`problem`)."""
        config: Config = _adapter().validate_python(data)
        problem = config.problem()
        if problem is not None:
            raise ValueError(f"`{problem[0]}`: {problem[1]}")
        return config

    @classmethod
    def model_validate_json(cls, text: str) -> Config:
        """A configuration from JSON, validated (pydantic's ValidationError if it is not one)."""
        config: Config = _adapter().validate_json(text)
        return config

    def model_dump_json(self) -> str:
        """The configuration as JSON (snake_case keys, every field)."""
        return json.dumps(_plain(self), separators=(",", ":"))

    @classmethod
    def from_dump(cls, text: str) -> Config:
        """The inverse of :meth:`model_dump_json`, for a dump this code made (the settings a
        worker process is handed): rebuilt as it was, without validating it again."""
        built: Config = _rebuilt(cls, json.loads(text))
        return built

    def problem(self) -> tuple[str, str] | None:
        """The dotted key and message of the first value out of range, after type checks."""
        for name in ("planes", "latency"):
            found = getattr(self, name).problem()
            if found is not None:
                return f"{name}.{found[0]}", found[1]
        return None


def _plain(value: Any) -> Any:
    """A dataclass tree as JSON-ready dicts and lists (dataclasses.asdict, without its deep
    copies)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _rebuilt(section: type[Any], data: dict[str, Any]) -> Any:
    values = {}
    for f in fields(section):
        value = data[f.name]
        inner = f.default_factory
        if isinstance(inner, type) and is_dataclass(inner):
            value = _rebuilt(inner, value)
        values[f.name] = value
    return section(**values)


@cache
def _adapter() -> TypeAdapter[Config]:
    from pydantic import TypeAdapter

    return TypeAdapter(Config)


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
    from pydantic import ValidationError

    table = _table(path, _read_toml(path))
    if table is None:
        return LoadedConfig(Config(), path)
    prefix = "tool.mermaidlint." if path.name == "pyproject.toml" else ""
    try:
        config: Config = _adapter().validate_python(table)
    except ValidationError as exc:
        raise _config_error(path, exc, prefix) from None
    problem = config.problem()
    if problem is not None:
        key, message = problem
        raise ConfigError(path, message, key=prefix + key)
    return LoadedConfig(config, path)


def _config_error(path: Path, exc: ValidationError, prefix: str) -> ConfigError:
    """The first problem pydantic found, named by its dotted key as written in the file."""
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    if error["type"] in _UNKNOWN_KEY:
        allowed = ", ".join(_keys_at(loc[:-1])) or "none"
        message = f"unknown key; allowed keys here: {allowed}"
    else:
        message = _EXPECTED.get(error["type"], error["msg"])
    return ConfigError(path, message, key=prefix + ".".join(loc) if loc else None)


# pydantic's error types for a key the section does not have.
_UNKNOWN_KEY = frozenset({"unexpected_keyword_argument", "extra_forbidden"})
# What a value must be, for pydantic's type errors.
_EXPECTED = {
    "list_type": "must be a list (of strings), e.g. [\"MD\", \"MS102\"]",
    "string_type": "must be a string",
    "dict_type": "must be a table",
    "dataclass_type": "must be a table",
    "dataclass_args_type": "must be a table",
}


def _keys_at(loc: list[str]) -> list[str]:
    """The keys (as written in files) a table at ``loc`` accepts."""
    section: Any = Config
    for part in loc:
        found = next((f for f in fields(section) if part in (f.name, _kebab(f.name))), None)
        if found is None:
            return []
        section = found.default_factory() if callable(found.default_factory) else None
        if not is_dataclass(section):
            return []
        section = type(section)
    return [_kebab(f.name) for f in fields(section)]


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
