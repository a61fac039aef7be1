"""flake8 plugin: the LST codes through flake8 (entry point ``flake8.extension``, prefix ``LST``).

flake8 hands over one file at a time; the same engine runs on it, with the nearest
``.lstmlint.yaml`` for budgets and its ``select``/``ignore``.  flake8 applies its own ``# noqa``
and ``--select`` on top.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

from .. import __version__


class Plugin:
    name = "lstmlint"
    version = __version__

    def __init__(self, tree: Any, filename: str, lines: list[str]) -> None:
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        from ..config.settings import Config, ConfigError, find_config, load_config
        from ..discover.files import worth_parsing
        from ..pipeline.engine import findings, run
        from ..pipeline.options import Options
        from ..rules.noqa import suppressed

        text = "".join(self.lines)
        if not worth_parsing(text):
            return
        path = Path(self.filename)
        cwd = Path.cwd()
        try:
            cfg_path = find_config(path.parent if path.parent.exists() else cwd)
            config = load_config(cfg_path, os.path.relpath(cfg_path, cwd)) if cfg_path is not None else Config()
        except ConfigError as exc:
            yield 1, 0, f"LST900 invalid lstmlint configuration: {exc}", type(self)
            return
        result = run([path], config, Options(cwd=cwd, stdin_text=text))
        # the configuration's select/ignore (default-off rules stay off); flake8 applies its own
        # no-qa comment on the first line, lstmlint's covers the later lines of a multi-line call
        diags = [d for d in findings(result, config, cwd, noqa=False)
                 if d.line == d.end_line or not suppressed(result, d)]
        for d in diags:
            yield d.line, max(d.column - 1, 0), f"{d.code} {d.message}", type(self)
