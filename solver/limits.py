"""The wall-clock room every CP-SAT run gets beyond its deterministic limit."""

from __future__ import annotations

#: Seconds added to every wall-clock guard of a CP-SAT run (each a multiple of the run's
#: deterministic limit: ``solver.search.WALL_CAP``, also for the parts of a district,
#: ``solver.lns.WALL_CAP``, ``solver.explain.WALL_FACTOR``). The guards only stop a
#: machine far slower than CP-SAT's estimate; a guard that stops a run before its deterministic
#: limit makes the answer depend on the load, so short runs get this much room on top.
WALL_SLACK = 30.0
