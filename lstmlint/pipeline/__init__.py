"""One run, end to end: ``engine.py`` (files -> facts -> cache -> groups of files that import each
other -> workers; ``findings`` applies budgets, selection and suppressions for every front end),
``analysis.py`` (parse, evaluate and build the records of one group, each file isolated),
``cache.py`` / ``serialize.py`` (results keyed by content), ``options.py`` (what a run is asked)."""
