"""Stage 2, parse: read source safely (encoding, size and nesting limits) and parse with LibCST
the files that hold layer calls (``source.py``), after blanking the top-level definitions that
cannot matter (``slicing.py``)."""
