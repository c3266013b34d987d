"""MP: the four-plane colour scheme (Gate 3 of the Atlas quality gates).

Edge, Service, State and Control planes each have one colour; a node's plane comes from its class
or the plane subgraph around it (see ``planes_common``).
"""
