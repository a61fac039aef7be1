"""Stage 3, evaluate: the bounded static evaluator that works out a layer call's arguments without
running the code.  The core: ``scope.py`` (scopes, control-flow signals), ``values.py`` (abstract
values; ``Unknown`` carries its reason), ``evaluator.py`` (the LibCST walker of linted files),
``lazy.py`` (dependency modules read with ``ast`` and evaluated on demand, name by name),
``module.py`` (import resolution as Python does it).  Around it: ``builtins_.py`` (builtins and
the config idioms: argparse, dataclasses, namespaces, dict configs, ...), ``keras_graph.py``
(Sequential and functional graphs, torch ``forward``), ``layers.py`` (what a layer object knows
of its input), ``callers.py`` (call sites that were and were not followed)."""
