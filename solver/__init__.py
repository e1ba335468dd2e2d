"""The CP-SAT engine: from a roster and a period to a Schedule, through ``solver.solve.solve``.

Its modules lie in floors and import only from lower floors (tests/test_layers.py checks it
against ``LAYERS``); a circle of imports means a piece belongs a floor lower. From the bottom:

1. ``limits``: the constants every run shares.
2. ``model``: the variables of a roster (``RosterModel``: works(person, slot), pins, hints,
   explain-mode guards) and who may take a post (``candidates``).
3. ``rules``: one module per rule, each adding its constraints and returning its penalties.
4. ``build``: the model with every rule and the objective (``build_model``).
5. ``search``: one CP-SAT run (``run``) and how to run it (``SolveOptions``, ``Progress``).
6. ``lns``: the engine's large-neighbourhood loop of runs; ``proof``: whether a roster's shortage
   is proven unavoidable.
7. ``components``: the independent parts of a roster: split, solve each (by the function the caller
   passes), merge.
8. ``explain``: conflicts between hard rules, and the people a short roster lacks; ``repair``:
   a published roster changed as little as possible, the past kept.
9. ``solve``: the one door, ``solve()``.
10. ``cluster``: the parts of a roster solved on a Dask cluster's workers, through ``solve()``.
"""

#: The floors of solver/, lowest first: a module may import modules of its own floor (the rules
#: share helpers) and of lower floors only.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("limits",),
    ("model",),
    ("rules",),
    ("build",),
    ("search",),
    ("lns", "proof"),
    ("components",),
    ("explain", "repair"),
    ("solve",),
    ("cluster",),
)
