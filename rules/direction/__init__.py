"""MD: data-flow direction (Gate 4: a reader can tell which way data flows along every link)."""
