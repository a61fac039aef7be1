"""The faces of the engine: the command line (``cli.py``), the language server (``lsp.py``), the
flake8 plugin (``flake8_plugin.py``) and ``lstmlint diff`` (``diff.py``).  They translate the
engine's final diagnostics and records; none of them filters or checks on its own."""
