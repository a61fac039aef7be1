"""``lstmlint diff BASE [HEAD]``: parameter counts of every recurrent layer, compared between two revisions.

Each revision is read through git (``git archive`` into a temporary folder); the user's work
tree is never touched.  Layers are matched by file, model, class and their order within the
model, so moved lines still match.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .config import Config, Growth
from .engine import Options, run
from .records import LayerRecord


class DiffError(Exception):
    pass


@dataclass
class Change:
    status: str  # added | removed | changed | unchanged
    path: str
    model: str
    layer: str
    line: int
    old: Optional[int]
    new: Optional[int]
    over: Optional[str] = None  # why a growth cap is exceeded

    @property
    def pct(self) -> Optional[float]:
        if self.old is None or self.new is None or self.old == 0:
            return None
        return (self.new - self.old) / self.old * 100


def _git(repo: Path, *args: str) -> bytes:
    try:
        r = subprocess.run(["git", *args], cwd=repo, capture_output=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DiffError(f"git failed: {exc}") from None
    if r.returncode != 0:
        raise DiffError(r.stderr.decode(errors="replace").strip() or f"git {' '.join(args)} failed")
    return r.stdout


def export_revision(repo: Path, rev: str, dest: Path) -> None:
    """Write the Python files (and configs) of ``rev`` into ``dest`` via ``git archive``."""
    _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    data = _git(repo, "archive", "--format=tar", rev)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith((".py", ".pyi"))
                   and not m.name.startswith("/") and ".." not in Path(m.name).parts]
        tar.extractall(dest, members=members, filter="data")


def _key_records(records: list[LayerRecord]) -> dict[tuple[str, str, str, int], LayerRecord]:
    out: dict[tuple[str, str, str, int], LayerRecord] = {}
    counts: dict[tuple[str, str, str], int] = {}
    for r in records:
        if r.wrapped or not r.reached:
            continue
        model = re.sub(r"@\d+", "", (r.model or "").split("::", 1)[-1])  # line numbers move
        base = (r.path, model, r.qualified_name)
        n = counts.get(base, 0)
        counts[base] = n + 1
        out[base + (n,)] = r
    return out


def _records_at(repo: Path, rev: str, sub: str, config: Config, tmp: Path) -> list[LayerRecord]:
    dest = tmp / rev.replace("/", "_").replace(":", "_")
    dest.mkdir(parents=True, exist_ok=True)
    export_revision(repo, rev, dest)
    target = dest / sub if sub else dest
    if not target.exists():
        return []
    cfg = Config(assume=config.assume, gru_reset_after=config.gru_reset_after, exclude=config.exclude, root=dest)
    result = run([target], cfg, Options(cwd=dest, root=dest))
    return result.records


def compare(repo: Path, base: str, head: str, config: Config, sub: str = "") -> list[Change]:
    with tempfile.TemporaryDirectory(prefix="lstmlint-diff-") as t:
        tmp = Path(t)
        old = _key_records(_records_at(repo, base, sub, config, tmp / "base"))
        new = _key_records(_records_at(repo, head, sub, config, tmp / "head"))
    changes: list[Change] = []
    for key in sorted(set(old) | set(new), key=lambda k: (k[0], k[1], k[3], k[2])):
        o, n = old.get(key), new.get(key)
        ref = n or o
        assert ref is not None
        status = "added" if o is None else "removed" if n is None else (
            "unchanged" if o.params == n.params else "changed")
        changes.append(Change(status, key[0], key[1], ref.layer, ref.line,
                              o.params if o else None, n.params if n else None))
    _apply_caps(changes, config)
    return changes


def _exceeds(old: Optional[int], new: Optional[int], cap: Optional[Growth]) -> Optional[str]:
    if cap is None or old is None or new is None or new <= old:
        return None
    if old == 0 or (new - old) / old > cap.fraction:
        pct = "from 0" if old == 0 else f"+{(new - old) / old * 100:.1f}%"
        return f"grows {pct}, over max_growth {cap} ({cap.origin})"
    return None


def _apply_caps(changes: list[Change], config: Config) -> None:
    models: dict[tuple[str, str], list[Change]] = {}
    for c in changes:
        b = config.for_path(c.path).budgets
        c.over = _exceeds(c.old, c.new, b.layer_max_growth)
        models.setdefault((c.path, c.model), []).append(c)
    for (path, _model), items in models.items():
        b = config.for_path(path).budgets
        if b.model_max_growth is None:
            continue
        olds = [c.old for c in items if c.status != "added"]
        news = [c.new for c in items if c.status != "removed"]
        if any(v is None for v in olds + news):
            continue
        why = _exceeds(sum(olds), sum(news), b.model_max_growth)  # type: ignore[arg-type]
        if why:
            first = next(c for c in items if c.status in ("added", "changed"))
            first.over = (first.over + "; " if first.over else "") + f"model {why}"


def _num(v: Optional[int]) -> str:
    return "—" if v is None else f"{v:,}"


def _pct(c: Change) -> str:
    p = c.pct
    if c.status == "added":
        return "new"
    if c.status == "removed":
        return "removed"
    return "" if p is None else f"{p:+.1f}%"


def render(changes: list[Change], markdown: bool, show_unchanged: bool = False) -> str:
    rows = [c for c in changes if show_unchanged or c.status != "unchanged"]
    if not rows:
        return "No recurrent layer changed its parameter count.\n"
    head = ("", "Layer", "Where", "Model", "Before", "After", "Change")
    table = []
    for c in rows:
        mark = {"added": "+", "removed": "-", "changed": "~", "unchanged": " "}[c.status]
        table.append((mark, c.layer, f"{c.path}:{c.line}", c.model, _num(c.old), _num(c.new),
                      _pct(c) + (" ⚠ " + c.over if c.over else "")))
    old_total = sum(c.old or 0 for c in changes)
    new_total = sum(c.new or 0 for c in changes)
    summary = f"Total recurrent parameters: {old_total:,} → {new_total:,}"
    if old_total:
        summary += f" ({(new_total - old_total) / old_total * 100:+.1f}%)"
    if markdown:
        lines = ["### lstmlint: recurrent-layer parameters", "",
                 "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table]
        return "\n".join(lines + ["", summary]) + "\n"
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(head)]
    fmt = "  ".join("{:<%d}" % w if i < 4 else "{:>%d}" % w for i, w in enumerate(widths[:-1])) + "  {}"
    out = [fmt.format(*head), *(fmt.format(*r) for r in table), "", summary]
    return "\n".join(out) + "\n"
