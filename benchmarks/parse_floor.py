"""The floor the design puts under a cold run: the cheap facts pass over every file, then one
LibCST parse of each file that holds a layer call (LibCST is the tool for those files, by design),
on one core -- against which "no slower than ruff" can be judged.

Usage: python benchmarks/parse_floor.py CORPUS_DIR
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import libcst as cst

from lstmlint.discover.files import facts_of


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/corpus")
    files = sorted(root.rglob("*.py"))
    t0 = time.perf_counter()
    worth: list[str] = []
    for p in files:
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if facts_of(text).worth:
            worth.append(text)
    t1 = time.perf_counter()
    for text in worth:
        try:
            cst.parse_module(text)
        except Exception:  # noqa: BLE001 - a file LibCST rejects is reported, not timed here
            pass
    t2 = time.perf_counter()
    print(f"{len(files):,} files: facts pass {t1 - t0:.2f} s; {len(worth)} files with layer calls "
          f"({sum(map(len, worth)):,} characters): LibCST parse {t2 - t1:.2f} s (one core)")


if __name__ == "__main__":
    main()
