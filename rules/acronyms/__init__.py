"""MA: acronyms must be defined (Gate 4 of the Atlas quality gates: no unexplained acronyms)."""
