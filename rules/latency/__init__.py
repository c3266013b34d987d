"""ML: latency labels (Gate 3 of the Atlas quality gates: SLO labels on critical paths).

A figure is a percentile with a duration, ``p99: 10ms``; see ``_figures`` for what is read as one
and what is not.
"""
