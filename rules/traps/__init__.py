"""MS1xx: Mermaid traps. Mermaid accepts the diagram, but does not draw what the source says.

Every trap here was checked against Mermaid 11.17.2's own parser and flowchart database. One that
was considered and dropped: a node id starting with `end` (MS106). Mermaid's lexer reads `end`
followed by a non-word character as the END keyword, so `end`, `end-x`, `end.x`, `end[...]` all
fail to parse (MS001 already reports them), while `endpoint`, `end_x`, `end2`, `End`, `END` are
ordinary ids: no id starting with `end` is silently misread.
"""
