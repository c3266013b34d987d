"""Which codes are reported: ``select``, ``extend-select``, ``ignore``, ``per-file-ignores``.

A selector is a full code (``MD001``), a rule name (``missing-direction``), a prefix (``MD``,
``MD0``) or ``ALL``. As in ruff:

* ``select`` (the command line's ``--select`` replaces the configuration's) picks the codes;
  without it, every code whose rule is enabled by default;
* ``extend-select`` (configuration and command line) adds to that;
* ``ignore`` (configuration and command line) takes away;
* when a code is both selected and ignored, the more specific selector wins (``ignore = ["MD"]``
  with ``extend-select = ["MD002"]`` keeps MD002); at equal specificity ``ignore`` wins;
* ``per-file-ignores`` (glob on the displayed path -> selectors) then takes away for the files
  it matches, whatever was selected.

Codes marked ``always`` (a crashed rule) are reported unless ignored, whatever ``select`` says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import TYPE_CHECKING

from mermaidlint.registry import Registry, get_registry

if TYPE_CHECKING:
    from mermaidlint.config import Config, LoadedConfig
    from mermaidlint.engine import Settings
    from mermaidlint.rule import Rule

ALL = "ALL"
# Specificity of a full code or a name: above any prefix.
EXACT = 1000


class UnknownSelector(ValueError):
    """A selector that names no code; ``str()`` says which and what is allowed."""

    def __init__(self, token: str) -> None:
        self.token = token
        super().__init__(
            f"unknown rule code, prefix or name `{token}` (see `mermaidlint rules` for the list)")


def match(token: str, registry: Registry) -> tuple[frozenset[str], int]:
    """The codes ``token`` selects, and how specific it is; raises :class:`UnknownSelector`."""
    token = token.strip()
    if token.upper() == ALL:
        return frozenset(registry.by_code), 0
    info = registry.lookup(token)
    if info is not None:
        return frozenset({info.code}), EXACT
    prefix = token.upper()
    found = frozenset(code for code in registry.by_code if code.startswith(prefix))
    if not found or not prefix.isalnum():
        raise UnknownSelector(token)
    return found, len(prefix)


def resolve_codes(tokens: Iterable[str], registry: Registry | None = None) -> frozenset[str]:
    """Every code a list of selectors names (suppression comments use this)."""
    registry = registry or get_registry()
    out: set[str] = set()
    for token in tokens:
        out |= match(token, registry)[0]
    return frozenset(out)


def check_selectors(tokens: Iterable[str], registry: Registry | None = None) -> None:
    """Raise :class:`UnknownSelector` for the first token that names nothing."""
    registry = registry or get_registry()
    for token in tokens:
        match(token, registry)


def split_tokens(values: Iterable[str]) -> tuple[str, ...]:
    """``--select MD,MS1 --select MP`` -> ("MD", "MS1", "MP")."""
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


def _best(tokens: Sequence[str], registry: Registry) -> dict[str, int]:
    """Code -> the highest specificity among the selectors naming it."""
    best: dict[str, int] = {}
    for token in tokens:
        found, specificity = match(token, registry)
        for code in found:
            best[code] = max(best.get(code, -1), specificity)
    return best


def enabled_codes(select: Sequence[str], extend_select: Sequence[str], ignore: Sequence[str],
                  registry: Registry | None = None) -> frozenset[str]:
    """The codes reported once ``select``, ``extend-select`` and ``ignore`` are combined."""
    registry = registry or get_registry()
    chosen = _best([*select, *extend_select], registry)
    if not select:
        for info in registry:
            if info.enabled_by_default:
                chosen.setdefault(info.code, 0)
    for info in registry:
        if info.always:
            chosen.setdefault(info.code, 0)
    ignored = _best(ignore, registry)
    return frozenset(code for code, level in chosen.items() if level > ignored.get(code, -1))


@dataclass(frozen=True, slots=True)
class Selection:
    """What one file is checked with: the codes reported, and the rules that run."""

    enabled: frozenset[str]
    config: Config
    rules: tuple[Rule, ...] = ()
    # Hook name -> (index in `rules`, the rule's bound hook) of the rules defining it, so that
    # the walk calls a rule only where it asked to; looked up once per selection, not per diagram.
    bound: dict[str, tuple[tuple[int, Callable[..., None]], ...]] = field(default_factory=dict)

    def reports(self, code: str) -> bool:
        return code in self.enabled


def _selection(enabled: frozenset[str], config: Config, registry: Registry) -> Selection:
    rules = tuple(info.rule() for info in registry
                  if info.rule is not None and info.code in enabled)
    bound = {hook: tuple((k, getattr(rule, hook)) for k, rule in enumerate(rules)
                         if hook in type(rule).defined_hooks())
             for hook in ("begin", "statement", "node", "link", "end")}
    return Selection(enabled, config, rules, bound)


@lru_cache(maxsize=64)
def config_of(config_json: str) -> Config:
    """The configuration a :class:`Settings` carries as JSON (parsed once per process)."""
    from mermaidlint.config import Config

    return Config.from_dump(config_json) if config_json else Config()


@lru_cache(maxsize=64)
def _base(settings: Settings) -> tuple[frozenset[str], Config]:
    config = config_of(settings.config_json)
    select = settings.select or tuple(config.select)
    extend = (*config.extend_select, *settings.extend_select)
    ignore = (*config.ignore, *settings.ignore)
    return enabled_codes(select, extend, ignore), config


@lru_cache(maxsize=256)
def _for_patterns(settings: Settings, patterns: tuple[str, ...]) -> Selection:
    enabled, config = _base(settings)
    registry = get_registry()
    for pattern in patterns:
        enabled = enabled - resolve_codes(config.per_file_ignores[pattern], registry)
    return _selection(enabled, config, registry)


def matches_glob(path: str, pattern: str) -> bool:
    """A per-file-ignores glob against a displayed path (``*`` crosses folders, as in ruff)."""
    path = path.replace("\\", "/").removeprefix("./")
    pattern = pattern.removeprefix("./")
    return fnmatchcase(path, pattern) or ("/" not in pattern and
                                           fnmatchcase(path.rsplit("/", 1)[-1], pattern))


def selection_for(settings: Settings, path: str) -> Selection:
    """The selection for the file displayed as ``path`` (cached by the globs it matches)."""
    config = config_of(settings.config_json)
    patterns = tuple(p for p in config.per_file_ignores if matches_glob(path, p))
    return _for_patterns(settings, patterns)


def validate_config(loaded: LoadedConfig, registry: Registry | None = None) -> None:
    """Raise ConfigError naming the file and key of the first selector that names nothing."""
    from mermaidlint.config import ConfigError

    if loaded.path is None:
        return
    registry = registry or get_registry()
    config = loaded.config
    prefix = "tool.mermaidlint." if loaded.path.name == "pyproject.toml" else ""
    lists: list[tuple[str, list[str]]] = [
        ("select", config.select), ("extend-select", config.extend_select),
        ("ignore", config.ignore),
        *((f'per-file-ignores."{glob}"', tokens)
          for glob, tokens in config.per_file_ignores.items()),
    ]
    for key, tokens in lists:
        for token in tokens:
            try:
                match(token, registry)
            except UnknownSelector as exc:
                raise ConfigError(loaded.path, str(exc), key=prefix + key) from None


def clear_caches() -> None:
    """Forget every cached selection (after the registry was rebuilt, e.g. in tests)."""
    config_of.cache_clear()
    _base.cache_clear()
    _for_patterns.cache_clear()
