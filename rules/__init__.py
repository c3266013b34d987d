"""mermaidlint's rules, one class per module, grouped by family (installed as mermaidlint.rules).

The registry (:mod:`mermaidlint.registry`) imports every module here and registers each
:class:`~mermaidlint.rule.Rule` subclass that declares a ``code``. Families, by code prefix:

* ``MD`` (direction/): data-flow direction of links;
* ``MS1`` (traps/): Mermaid accepts the diagram but does not draw what was meant;
* ``MP`` (planes/): plane colours; ``ML`` (latency/): SLO latency labels; ``MA`` (acronyms/).

Shared helpers live in modules without rules (``planes_common``). Inside this package, import
them relatively (``from ..planes_common import node_planes``): the package is ``rules/`` in the
repository and ``mermaidlint.rules`` once installed, and a relative import is right in both.
"""
