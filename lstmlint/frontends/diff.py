"""``lstmlint diff BASE [HEAD]``: parameter counts of every recurrent layer, compared between two revisions.

Each revision is read through git (``git archive`` into a temporary folder); the user's work
tree is never touched.  Layers are matched by file, model, class and their order within the
model, so moved lines still match; files that git sees as renamed (``git diff -M``) are matched
under their new name, and a model that moved to another file is matched by its name when that
name is unique on both sides.  A layer or model that is new has no growth cap (it grows "from
nothing"): only the size budgets apply to it.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..config.settings import Budgets, Config, Growth, Limit
from ..pipeline.engine import run
from ..pipeline.options import Options
from ..records import LayerRecord


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
    over: Optional[str] = None  # why a growth cap or a budget is exceeded
    old_path: Optional[str] = None  # the base's path when the file was renamed or the model moved
    new_model: bool = False  # the whole model is new in head

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


def _verify(repo: Path, rev: str) -> None:
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except DiffError:
        shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=repo,
                                 capture_output=True, text=True).stdout.strip() == "true"
        if shallow:
            raise DiffError(
                f"revision {rev!r} is not in this clone, which is shallow: fetch the history "
                f"(actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow origin`) "
                f"or at least the base branch (`git fetch --depth=1 origin <branch>`)") from None
        raise DiffError(f"unknown revision {rev!r} (not a commit in this repository; "
                        f"for a remote branch, fetch it first: `git fetch origin <branch>`)") from None


def export_revision(repo: Path, rev: str, dest: Path) -> None:
    """Write the Python files (and configs) of ``rev`` into ``dest`` via ``git archive``."""
    _verify(repo, rev)
    data = _git(repo, "archive", "--format=tar", rev)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith((".py", ".pyi"))
                   and not m.name.startswith("/") and ".." not in Path(m.name).parts]
        tar.extractall(dest, members=members, filter="data")


def renames(repo: Path, base: str, head: str) -> dict[str, str]:
    """``{old path: new path}`` of the Python files git sees as renamed between two revisions."""
    raw = _git(repo, "diff", "--name-status", "-M", "-z", base, head, "--")
    parts = raw.decode("utf-8", errors="surrogateescape").split("\0")
    out: dict[str, str] = {}
    i = 0
    while i < len(parts):
        status = parts[i]
        if status.startswith(("R", "C")) and i + 2 < len(parts):
            old, new = parts[i + 1], parts[i + 2]
            if status.startswith("R") and old.endswith((".py", ".pyi")):
                out[old] = new
            i += 3
        else:
            i += 2
    return out


Key = tuple[str, str, str, int]


def _key_records(records: list[LayerRecord], moved: Optional[dict[str, str]] = None) -> dict[Key, LayerRecord]:
    out: dict[Key, LayerRecord] = {}
    counts: dict[tuple[str, str, str], int] = {}
    for r in records:
        if r.wrapped or not r.reached:
            continue
        model = re.sub(r"@\d+", "", (r.model or "").split("::", 1)[-1])  # line numbers move
        path = (moved or {}).get(r.path, r.path)
        base = (path, model, r.qualified_name)
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


def _moved_models(old: dict[Key, LayerRecord], new: dict[Key, LayerRecord]) -> dict[Key, Key]:
    """Base keys re-keyed to head keys for models that moved to another file: a model name found
    in exactly one file on each side, whose layers did not match in place."""
    def files_of(side: dict[Key, LayerRecord]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for path, model, _q, _n in side:
            if model:
                out.setdefault(model, set()).add(path)
        return out
    old_files, new_files = files_of(old), files_of(new)
    out: dict[Key, Key] = {}
    for key in old:
        path, model, qname, n = key
        if key in new or not model or len(old_files.get(model, ())) != 1 or len(new_files.get(model, ())) != 1:
            continue
        (new_path,) = new_files[model]
        target = (new_path, model, qname, n)
        if new_path != path and target in new and target not in old:
            out[key] = target
    return out


def compare(repo: Path, base: str, head: str, config: Config, sub: str = "") -> list[Change]:
    with tempfile.TemporaryDirectory(prefix="lstmlint-diff-") as t:
        tmp = Path(t)
        base_records = _records_at(repo, base, sub, config, tmp / "base")
        head_records = _records_at(repo, head, sub, config, tmp / "head")
    moved = renames(repo, base, head)
    old = _key_records(base_records, moved)
    new = _key_records(head_records)
    old_path = {k: o.path for k, o in old.items() if o.path != k[0]}
    for k, target in _moved_models(old, new).items():
        old[target] = old.pop(k)
        old_path[target] = old[target].path
    base_models = {k[:2] for k in old}
    changes: list[Change] = []
    for key in sorted(set(old) | set(new), key=lambda k: (k[0], k[1], k[3], k[2])):
        o, n = old.get(key), new.get(key)
        ref = n or o
        assert ref is not None
        status = "added" if o is None else "removed" if n is None else (
            "unchanged" if o.params == n.params else "changed")
        changes.append(Change(status, key[0], key[1], ref.layer, ref.line,
                              o.params if o else None, n.params if n else None,
                              old_path=old_path.get(key), new_model=key[:2] not in base_models))
    _apply_caps(changes, config)
    return changes


def _exceeds(old: Optional[int], new: Optional[int], cap: Optional[Growth]) -> Optional[str]:
    if cap is None or old is None or new is None or new <= old:
        return None
    if old == 0 or (new - old) / old > cap.fraction:
        pct = "from 0" if old == 0 else f"+{(new - old) / old * 100:.1f}%"
        return f"grows {pct}, over max_growth {cap} ({cap.origin})"
    return None


def _over_budget(what: str, n: Optional[int], limit: Optional[Limit]) -> Optional[str]:
    if n is None or limit is None or n <= limit.value:
        return None
    return f"{what} has {n:,} parameters, over the {what.split()[-1]} budget of {limit} ({limit.origin})"


def _add(c: Change, why: Optional[str]) -> None:
    if why:
        c.over = (c.over + "; " if c.over else "") + why


def _apply_caps(changes: list[Change], config: Config) -> None:
    """Growth caps for what existed in base; the size budgets for what is new or changed."""
    models: dict[tuple[str, str], list[Change]] = {}
    budgets: dict[str, Budgets] = {}
    for c in changes:
        b = budgets.setdefault(c.path, config.for_path(c.path).budgets)
        if c.status == "added":
            _add(c, _over_budget("new layer", c.new, b.layer_params))
        elif c.status == "changed":
            c.over = _exceeds(c.old, c.new, b.layer_max_growth)
            _add(c, _over_budget("layer", c.new, b.layer_params))
        models.setdefault((c.path, c.model), []).append(c)
    for (path, model), items in models.items():
        b = budgets[path]
        grown = [c for c in items if c.status in ("added", "changed")]
        if not grown or not model:
            continue
        news = [c.new for c in items if c.status != "removed"]
        if items[0].new_model:
            if all(v is not None for v in news):
                _add(grown[0], _over_budget("new model", sum(news), b.model_params))  # type: ignore[arg-type]
            continue
        olds = [c.old for c in items if c.status != "added"]
        if b.model_max_growth is None or any(v is None for v in olds + news):
            continue
        _add(grown[0], (lambda why: f"model {why}" if why else None)(
            _exceeds(sum(olds), sum(news), b.model_max_growth)))  # type: ignore[arg-type]


def _num(v: Optional[int]) -> str:
    return "—" if v is None else f"{v:,}"


def _pct(c: Change) -> str:
    p = c.pct
    if c.status == "added":
        return "new model" if c.new_model else "new"
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
        where = f"{c.path}:{c.line}" + (f" (was {c.old_path})" if c.old_path else "")
        table.append((mark, c.layer, where, c.model, _num(c.old), _num(c.new),
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


def render_json(changes: list[Change], base: str, head: str) -> str:
    """The comparison as one JSON document (every layer, unchanged ones included)."""
    def total(vals: list[Optional[int]]) -> Optional[int]:
        return None if any(v is None for v in vals) else sum(v for v in vals if v is not None)
    doc = {
        "base": base, "head": head,
        "changes": [{"status": c.status, "path": c.path, "old_path": c.old_path, "model": c.model or None,
                     "new_model": c.new_model, "layer": c.layer, "line": c.line, "before": c.old,
                     "after": c.new, "change_percent": None if c.pct is None else round(c.pct, 3),
                     "over": c.over} for c in changes],
        "total": {"before": total([c.old for c in changes if c.status != "added"]),
                  "after": total([c.new for c in changes if c.status != "removed"])},
        "failed": any(c.over for c in changes),
    }
    return json.dumps(doc, indent=2) + "\n"


def _escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_github(changes: list[Change]) -> str:
    """GitHub workflow commands: an error where a cap or budget is exceeded, a notice for every
    other layer that is new or changed its count (removed layers have no line in head)."""
    out = []
    for c in changes:
        if c.status in ("unchanged", "removed") and not c.over:
            continue
        level = "error" if c.over else "notice"
        what = (f"{c.layer} {'in new model' if c.new_model else 'is new'}: {_num(c.new)} parameters"
                if c.status == "added" else f"{c.layer}: {_num(c.old)} → {_num(c.new)} parameters ({_pct(c)})")
        msg = what + (f"; {c.over}" if c.over else "")
        out.append(f"::{level} file={_escape(c.path, True)},line={c.line},"
                   f"title={_escape('lstmlint diff', True)}::{_escape(msg)}")
    return "\n".join(out) + ("\n" if out else "")
