"""Stage 4, count: from one evaluated layer object to its sizes, parameters and MACs, with the
formulas of ``catalog/formulas.py`` (``layer.py``).  Unknown sizes stay unknown, with reasons."""
