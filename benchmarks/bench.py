#!/usr/bin/env python3
"""Benchmark lstmlint against the grep floor and whichever peer linters are installed.

    python benchmarks/bench.py                      # a synthetic 5,000-file tree, 3% with recurrent layers
    python benchmarks/bench.py --files 800 --runs 5
    python benchmarks/bench.py --path ~/src/some-repo   # a real tree
    python benchmarks/corpus.py && python benchmarks/bench.py --corpus benchmarks/corpus --runs 1
                                                    # the real-code corpus, per project and whole

It times, side by side in one run: `grep -rl LSTM` (the floor), lstmlint cold (no cache),
lstmlint warm (cache primed, nothing changed), lstmlint on one small file (as pre-commit
calls it), and ruff, flake8, TorchFix and Fixit when they are on PATH.  It reports medians,
peak memory (when /usr/bin/time is available) and ratios, as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

MODEL_TEMPLATES = [
    '''import argparse
import torch.nn as nn
from dataclasses import dataclass


@dataclass
class Config{n}:
    vocab: int = {vocab}
    emb: int = {emb}
    hidden: int = {hidden}
    layers: int = {layers}


class Encoder{n}(nn.Module):
    def __init__(self, cfg=Config{n}(), bidirectional=True):
        super().__init__()
        self.embed = nn.Embedding(cfg.vocab, cfg.emb)
        self.rnn = nn.LSTM(self.embed.embedding_dim, cfg.hidden, cfg.layers,
                           bidirectional=bidirectional, batch_first=True)
        self.head = nn.Linear(cfg.hidden * (2 if bidirectional else 1), 10)

    def forward(self, x):
        out, _ = self.rnn(self.embed(x))
        return self.head(out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hidden", type=int, default={hidden})
    args = p.parse_args()
    return Encoder{n}(Config{n}(hidden=args.hidden))


if __name__ == "__main__":
    main()
''',
    '''from tensorflow import keras
from tensorflow.keras import layers

UNITS = {hidden}


def build_{n}(vocab={vocab}, emb={emb}):
    model = keras.Sequential()
    model.add(layers.Embedding(vocab, emb))
    model.add(layers.Bidirectional(layers.LSTM(UNITS, return_sequences=True)))
    model.add(layers.GRU(UNITS // 2))
    model.add(layers.Dense(1, activation="sigmoid"))
    return model


model_{n} = build_{n}()
''',
    '''import torch.nn as nn


class Stack{n}(nn.Module):
    def __init__(self, input_size={emb}, hidden={hidden}, n_layers={layers}):
        super().__init__()
        self.rnns = nn.ModuleList(
            [nn.GRU(input_size if i == 0 else hidden, hidden, batch_first=True) for i in range(n_layers)])
        self.cell = nn.LSTMCell(hidden, hidden)


net_{n} = Stack{n}()
''',
]


def filler(rng: random.Random, n: int, size: int) -> str:
    """Ordinary Python (no recurrent layer names) of about ``size`` characters; like most files
    of an ML repository, seven in ten import torch."""
    out = [f'"""Utility module {n}."""', "import os", "import math", ""]
    if rng.random() < 0.7:
        out[1:1] = ["import torch", "DEVICE = torch.device('cpu')"]
    i = 0
    while sum(len(x) for x in out) < size:
        out.append(f"def helper_{n}_{i}(values, scale={rng.randint(1, 9)}):")
        out.append('    """Normalise a list of numbers."""')
        out.append("    total = sum(v * scale for v in values)")
        out.append("    if not values:")
        out.append("        return []")
        out.append(f"    return [round(v / total, {rng.randint(1, 6)}) for v in values]")
        out.append("")
        i += 1
    return "\n".join(out) + "\n"


def generate(root: Path, files: int, ratio: float, avg_size: int, seed: int = 0) -> list[Path]:
    rng = random.Random(seed)
    relevant = max(1, int(files * ratio))
    chosen = set(rng.sample(range(files), relevant))
    paths = []
    for i in range(files):
        d = root / f"pkg{i % 40}" / f"sub{i % 9}"
        d.mkdir(parents=True, exist_ok=True)
        p = d / f"mod_{i}.py"
        if i in chosen:
            tpl = MODEL_TEMPLATES[i % len(MODEL_TEMPLATES)]
            text = tpl.format(n=i, vocab=rng.randint(1000, 50000), emb=rng.choice([64, 128, 256]),
                              hidden=rng.choice([128, 256, 512, 1024]), layers=rng.randint(1, 3))
            text += "\n" + filler(rng, i, avg_size // 2)
        else:
            text = filler(rng, i, int(rng.uniform(0.3, 1.7) * avg_size))
        p.write_text(text)
        paths.append(p)
    (root / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
    return [p for i, p in enumerate(paths) if i in chosen]


def timed(cmd: list[str], cwd: Path, runs: int, before: Optional[list[str]] = None,
          timeout: float = 3600) -> tuple[Optional[float], Optional[int]]:
    times = []
    peak: Optional[int] = None
    gnu_time = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    for _ in range(runs):
        if before:
            subprocess.run(before, cwd=cwd, capture_output=True)
        full = ([gnu_time, "-f", "%M"] + cmd) if gnu_time else cmd
        start = time.perf_counter()
        try:
            r = subprocess.run(full, cwd=cwd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, None
        times.append(time.perf_counter() - start)
        if gnu_time:
            try:
                kb = int(r.stderr.strip().splitlines()[-1])
                peak = max(peak or 0, kb)
            except (ValueError, IndexError):
                pass
    return statistics.median(times), peak


def _summary(paths: list[str], cwd: Path) -> dict[tuple[str, int, int], Any]:
    """Records of a run, keyed by (absolute path, line, column), without the model label."""
    r = subprocess.run([sys.executable, "-m", "lstmlint", "summary", "--no-cache", "--format", "json", *paths],
                       cwd=cwd, capture_output=True, text=True)
    try:
        layers = json.loads(r.stdout)["layers"]
    except (ValueError, KeyError):
        return {}
    out = {}
    for layer in layers:
        path = os.path.normpath(os.path.join(cwd, layer.pop("path")))
        layer.pop("model", None)
        out[(path, layer["line"], layer["column"])] = layer
    return out


def corpus(root: Path, runs: int) -> int:
    """The real-code corpus of benchmarks/corpus.py: whole corpus and each project, lstmlint
    beside ruff in the same run; peak memory; slowest files; records alone == records inside."""
    py = sys.executable
    lint = [py, "-m", "lstmlint", "check", "--exit-zero"]
    ruff = ["ruff", "check", "--no-cache", "--isolated", "--exit-zero", "-q"]
    parts = sorted((root / "projects").iterdir()) + [root / "examples"]
    rows = []

    def measure(label: str, target: Path, cwd: Path) -> None:
        rel = os.path.relpath(target, cwd)
        n = sum(1 for _ in target.rglob("*.py"))
        relevant = sum(1 for p in target.rglob("*.py") if any(w in p.read_text(errors="ignore")
                                                              for w in ("LSTM", "GRU", "RNN", "Bidirectional")))
        cold, mem = timed(lint + ["--no-cache", rel], cwd, runs)
        subprocess.run([py, "-m", "lstmlint", "clean", rel], cwd=cwd, capture_output=True)
        subprocess.run(lint + [rel], cwd=cwd, capture_output=True)
        warm, _ = timed(lint + [rel], cwd, runs)
        rt, rmem = timed(ruff + [rel], cwd, runs) if shutil.which("ruff") else (None, None)
        rows.append((label, n, relevant, cold, warm, mem, rt, rmem))

    for part in parts:
        measure(part.name if part.parent.name == "projects" else "examples (side by side)", part, part.parent)
    measure("whole corpus", root, root)

    # the pre-commit case: one changed file of the largest project, cold
    largest = max(parts[:-1], key=lambda p: sum(1 for _ in p.rglob("*.py")))
    one = next(p for p in sorted(largest.rglob("*.py")) if "nn.LSTM(" in p.read_text(errors="ignore")
               or "LSTM(" in p.read_text(errors="ignore"))
    one_t, one_mem = timed(lint + ["--no-cache", str(one.relative_to(largest))], largest, runs)

    # slowest files of the whole-corpus run
    tfile = Path(tempfile.mkstemp(suffix=".tsv")[1])
    subprocess.run(lint + ["--no-cache", "."], cwd=root, capture_output=True,
                   env={**os.environ, "LSTMLINT_TIMINGS": str(tfile)})
    per_file: dict[str, float] = {}
    for line in tfile.read_text().splitlines():
        sec, _work, path = line.split("\t", 2)
        per_file[path] = per_file.get(path, 0.0) + float(sec)
    tfile.unlink()

    # each project alone gives the records it gets inside the whole corpus (both run from the
    # corpus root: the paths in reasons are relative to the current directory, as ruff's are)
    whole = _summary(["."], root)
    mismatched = []
    for part in parts:
        alone = _summary([os.path.relpath(part, root)], root)
        inside = {k: v for k, v in whole.items() if k[0].startswith(str(part) + os.sep)}
        if alone != inside:
            mismatched.append(part.name)

    print(f"Corpus: {root} ({sum(r[1] for r in rows[:-1]):,} Python files); machine: {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}; medians of {runs} runs\n")
    print("| tree | files | relevant | lstmlint cold (s) | warm (s) | peak MB | ruff (s) | ruff MB | × ruff |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, n, rel, cold, warm, mem, rt, rmem in rows:
        def f(x: Optional[float]) -> str:
            return f"{x:.2f}" if x is not None else "—"
        ratio = f"{cold / rt:.1f}×" if cold and rt else "—"
        print(f"| {label} | {n:,} | {rel} | {f(cold)} | {f(warm)} | {mem // 1024 if mem else '—'} | {f(rt)} | "
              f"{rmem // 1024 if rmem else '—'} | {ratio} |")
    print(f"\nOne changed file of the largest project ({largest.name}/{one.relative_to(largest)}), cold: "
          f"{one_t:.2f} s, {one_mem // 1024 if one_mem else '—'} MB" if one_t else "")
    print("\nSlowest files (evaluation seconds, whole-corpus run):\n")
    for path, sec in sorted(per_file.items(), key=lambda kv: -kv[1])[:10]:
        print(f"- {sec:.2f} s `{os.path.relpath(path, root)}`")
    print(f"\nEach project alone == inside the whole corpus: "
          f"{'yes, all ' + str(len(parts)) if not mismatched else 'NO: ' + ', '.join(mismatched)}")
    return 0


#: the worst inputs found so far (issue "Hold under attack"), one file each, every one next to a
#: layer that must still be checked; with a FIFO, a link to /dev/zero and a 3 GB sparse file
HOSTILE_BODIES = {
    "sum_7000_terms.py": "x = " + "+".join(["1"] * 7000),
    "unary_12000.py": "x = " + "-" * 12000 + "1",
    "nested_lists.py": "x = [[[0] * 99999 for _ in range(512)] for _ in range(512)]",
    "replace.py": "s = 'x' * 50000\nt = s.replace('x', s)",
    "extend.py": "x = [0] * 1000\nfor i in range(100):\n    x.extend(x)",
    "sum_lists.py": "y = sum([[0] * 99999] * 99999, [])",
    "prod.py": "import math\nbig = [10 ** 18] * 99999\nfor _ in range(10):\n    y = math.prod(big)",
    "loops.py": "x = 0\nfor i in range(300):\n    for j in range(300):\n        x += i * j",
    "recursive.py": "def build(n):\n    if n == 0:\n        return nn.LSTM(4096, 4096)\n    return build(n - 1)\nm = build(100)",
    "dynamic.py": "import sys\nrnn2 = getattr(nn, sys.argv[1])(4096, 4096)",
    "methods.py": "class Cfg:\n" + "".join(f"    def m{i}(self):\n        return {i}\n" for i in range(200))
                  + "cfg = Cfg()\nr2 = nn.LSTM(cfg, 64)",
    "plain_2mb.py": "".join(f"x{i} = {i}\n" for i in range(200_000)),
}


def hostile_tree(root: Path) -> None:
    for name, body in HOSTILE_BODIES.items():
        (root / name).write_text("import torch.nn as nn\n" + body + "\nrnn = nn.LSTM(4096, 4096)\n")
    (root / "pyproject.toml").write_text("")
    (root / ".lstmlint.yaml").write_text("budgets:\n  layer: 1M\nunknown: error\n")
    os.mkfifo(root / "fifo.py")
    (root / "zero.py").symlink_to("/dev/zero")
    with open(root / "sparse.py", "wb") as f:
        f.truncate(3 * 1024 ** 3)


def hostile(runs: int) -> int:
    """The hostile row: one cold run over the worst inputs, beside ruff."""
    with tempfile.TemporaryDirectory(prefix="lstmlint-hostile-") as tmp:
        root = Path(tmp)
        hostile_tree(root)
        py = sys.executable
        t, m = timed([py, "-m", "lstmlint", "check", "--no-cache", "--exit-zero", "."], root, runs, timeout=600)
        print(f"| hostile inputs ({len(HOSTILE_BODIES) + 3} files) | lstmlint | "
              f"{'timeout' if t is None else f'{t:.2f} s'} | {m // 1024 if m else '?'} MB |")
        if shutil.which("ruff"):
            t, m = timed(["ruff", "check", "--no-cache", "--isolated", "--exit-zero", "."], root, runs, timeout=600)
            print(f"| hostile inputs | ruff | {'timeout' if t is None else f'{t:.2f} s'} | "
                  f"{m // 1024 if m else '?'} MB |")
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, help="the real-code corpus built by benchmarks/corpus.py")
    ap.add_argument("--hostile", action="store_true", help="time the worst inputs known (issue: hold under attack)")
    ap.add_argument("--path", type=Path, help="benchmark this tree instead of a synthetic one")
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--ratio", type=float, default=0.03, help="share of files with recurrent layers")
    ap.add_argument("--avg-size", type=int, default=12000, help="average characters per synthetic file")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peers", default="ruff,flake8,torchfix,fixit", help="peer linters to time when installed")
    ap.add_argument("--peer-timeout", type=float, default=600)
    args = ap.parse_args(argv)
    if args.hostile:
        return hostile(args.runs)
    if args.corpus:
        return corpus(args.corpus.resolve(), args.runs)

    tmp = None
    if args.path:
        root = args.path.resolve()
        one = next((p for p in sorted(root.rglob("*.py")) if "LSTM" in p.read_text(errors="ignore")), None)
    else:
        tmp = tempfile.mkdtemp(prefix="lstmlint-bench-")
        root = Path(tmp)
        relevant = generate(root, args.files, args.ratio, args.avg_size)
        one = relevant[0]
    py = sys.executable
    lstmlint = [py, "-m", "lstmlint", "check", "--exit-zero"]
    clean = [py, "-m", "lstmlint", "clean", "."]
    n_files = sum(1 for _ in root.rglob("*.py"))
    size = sum(p.stat().st_size for p in root.rglob("*.py"))
    rows: list[tuple[str, Optional[float], Optional[int]]] = []
    rows.append(("grep -rl LSTM (floor)", *timed(["grep", "-rl", "--include=*.py", "LSTM", "."], root, args.runs)))
    rows.append(("lstmlint, cold (no cache)", *timed(lstmlint + ["--no-cache", "."], root, args.runs)))
    rows.append(("lstmlint, cold (cache rebuilt)", *timed(lstmlint + ["."], root, args.runs, before=clean)))
    subprocess.run(lstmlint + ["."], cwd=root, capture_output=True)
    rows.append(("lstmlint, warm (nothing changed)", *timed(lstmlint + ["."], root, args.runs)))
    if one is not None:
        rel = str(one.relative_to(root))
        rows.append((f"lstmlint, one file, warm cache ({rel})", *timed(lstmlint + [rel], root, args.runs)))
        rows.append(("lstmlint, one file, no cache", *timed(lstmlint + ["--no-cache", rel], root, args.runs)))
    peers = {
        "ruff": ["ruff", "check", "--no-cache", "--isolated", "--exit-zero", "."],
        "flake8": ["flake8", "--exit-zero", "."],
        "torchfix": ["torchfix", "."],
        "fixit": ["fixit", "lint", "."],
    }
    for name in [p.strip() for p in args.peers.split(",") if p.strip()]:
        cmd = peers.get(name)
        if cmd and shutil.which(cmd[0]):
            t, m = timed(cmd, root, 1 if name in ("flake8", "torchfix", "fixit") else args.runs,
                         timeout=args.peer_timeout)
            rows.append((f"{name} ({'timed out' if t is None else 'default rules'})", t, m))

    floor = rows[0][1] or 1e-9
    ruff = next((t for n, t, _ in rows if n.startswith("ruff") and t), None)
    print(f"Tree: {'synthetic, ' if tmp else ''}{n_files:,} Python files, {size / 1e6:.1f} MB"
          + (f", {int(args.files * args.ratio)} with recurrent layers" if tmp else f" ({root})"))
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}; medians of {args.runs} runs\n")
    print("| what | wall time (s) | × grep | × ruff | peak memory (MB) |")
    print("|---|---:|---:|---:|---:|")
    for name, t, m in rows:
        ts = f"{t:.3f}" if t is not None else "—"
        xg = f"{t / floor:.0f}×" if t is not None else "—"
        xr = f"{t / ruff:.2f}×" if t is not None and ruff else "—"
        mem = f"{m / 1024:.0f}" if m else "—"
        print(f"| {name} | {ts} | {xg} | {xr} | {mem} |")
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
