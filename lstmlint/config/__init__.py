"""The configuration: ``.lstmlint.yaml`` or ``[tool.lstmlint]`` found, read and validated with
positions (``settings.py``), and its JSON Schema (``schema.py``)."""
