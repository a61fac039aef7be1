"""Hostile input: one file never takes the run down, work inside builtins is charged before it is
done, and no layer call passes silently (issue "Hold under attack").  Every run is a new process
under a memory cap and a timeout, as a CI job would be."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

CAP = 2 * 1024 ** 3


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def lint(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lstmlint", *args, "--no-cache", "."], cwd=folder,
                          capture_output=True, text=True, timeout=60, preexec_fn=_cap,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


GUARDED = "budgets:\n  layer:\n    params: 1M\nunknown: error\n"


def test_syntax_nested_too_deeply_for_libcst_is_one_files_error(tmp_path: Path) -> None:
    (tmp_path / "sum.py").write_text("import torch.nn as nn\nx = " + "+".join(["1"] * 7000) + "\nr = nn.LSTM(4, 4)\n")
    (tmp_path / "neg.py").write_text("import torch.nn as nn\nx = " + "-" * 12000 + "1\nr = nn.LSTM(4, 4)\n")
    (tmp_path / "ok.py").write_text("import torch.nn as nn\nrnn = nn.LSTM(4096, 4096)\n")
    (tmp_path / ".lstmlint.yaml").write_text(GUARDED)
    r = lint(tmp_path, "check")
    assert r.returncode == 1, r.stderr
    assert "sum.py:1:1: LST901" in r.stdout and "neg.py:1:1: LST901" in r.stdout
    assert "ok.py:2:7: LST101" in r.stdout  # the other files are still linted


@pytest.mark.parametrize("body", [
    "x = [[[0] * 99999 for _ in range(512)] for _ in range(512)]",
    "s = 'x' * 50000\nt = s.replace('x', s)",
    "x = [0] * 1000\nfor i in range(100):\n    x.extend(x)",
    "y = sum([[0] * 99999] * 99999, [])",
    "import math\nbig = [10 ** 18] * 99999\nfor _ in range(10):\n    y = math.prod(big)",
    "x = 0\nfor i in range(300):\n    for j in range(300):\n        x += i * j",
])
def test_work_inside_builtins_is_bounded_and_the_layer_still_checked(tmp_path: Path, body: str) -> None:
    (tmp_path / "m.py").write_text("import torch.nn as nn\n" + body + "\nrnn = nn.LSTM(4096, 4096)\n")
    (tmp_path / ".lstmlint.yaml").write_text(GUARDED)
    r = lint(tmp_path, "check")
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "LST101" in r.stdout or "LST201" in r.stdout, r.stdout


@pytest.mark.parametrize("source", [
    # a recursive builder
    "def build(n):\n    if n == 0:\n        return nn.LSTM(4096, 4096)\n    return build(n - 1)\nm = build(100)\n",
    # the end of a 25-class super().__init__() chain
    "class C0(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.LSTM(4096, 4096)\n"
    + "".join(f"class C{i}(C{i - 1}):\n    def __init__(self):\n        super().__init__()\n" for i in range(1, 26))
    + "m = C25()\n",
    # the class chosen at run time (pytorch's word_language_model)
    "import sys\nrnn = getattr(nn, sys.argv[1])(4096, 4096)\n",
])
def test_no_silent_pass(tmp_path: Path, source: str) -> None:
    (tmp_path / "m.py").write_text("import torch.nn as nn\n" + source)
    (tmp_path / ".lstmlint.yaml").write_text(GUARDED)
    r = lint(tmp_path, "check")
    assert r.returncode == 1 and ("LST101" in r.stdout or "LST201" in r.stdout), (r.stdout, r.stderr)
    layers = json.loads(lint(tmp_path, "summary", "--format", "json").stdout)["layers"]
    assert layers and all(x["reached"] for x in layers)


def test_a_huge_file_is_refused_before_it_is_read_into_trees(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("import torch.nn as nn\n" + "".join(f"x{i} = {i}\n" for i in range(200_000))
                                     + "rnn = nn.LSTM(4096, 4096)\n")
    (tmp_path / ".lstmlint.yaml").write_text(GUARDED)
    r = lint(tmp_path, "check")
    assert r.returncode == 1 and "big.py:1:1: LST901" in r.stdout


def test_reasons_never_print_internal_values(tmp_path: Path) -> None:
    lines = ["import torch.nn as nn", "class Cfg:"]
    for i in range(200):
        lines += [f"    def m{i}(self):", f"        return {i}"]
    lines += ["cfg = Cfg()", "rnn = nn.LSTM(cfg, 64)", "r2 = nn.LSTM(Cfg, 64)"]
    (tmp_path / "m.py").write_text("\n".join(lines) + "\n")
    r = lint(tmp_path, "summary", "--format", "json")
    assert len(r.stdout) < 20_000, len(r.stdout)
    reasons = [u["reason"] for x in json.loads(r.stdout)["layers"] for u in x["unresolved"]]
    assert any("a `Cfg` object" in why for why in reasons) and not any("ClassDef(" in why for why in reasons)


def test_depth_check_finds_deep_chains_spread_over_many_short_lines() -> None:
    from lstmlint.parse.source import too_deep
    assert too_deep("x = (" + " +\n".join(["1"] * 1500) + ")\n") is not None
    assert too_deep("def f():\n    return " + "-" * 1200 + "1\n") is not None
    assert too_deep("x = (" + " +\n".join(["1"] * 500) + ")\n" + "y = 1\n" * 2000) is None


# ------------------------------------------------------------------ the file system

LAYER = "import torch.nn as nn\nrnn = nn.LSTM(8, 8)\n"


def test_only_regular_files_are_read_and_sizes_are_checked_before_reading(tmp_path: Path) -> None:
    import os
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "m.py").write_text(LAYER)
    os.mkfifo(tmp_path / "pipe.py")  # would block every reader forever
    (tmp_path / "zero.py").symlink_to("/dev/zero")  # would never end
    with open(tmp_path / "sparse.py", "wb") as f:  # 3 GB without using the disk
        f.truncate(3 * 1024 ** 3)
    one = subprocess.run([sys.executable, "-m", "lstmlint", "check", "--no-cache", "m.py"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, preexec_fn=_cap,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert one.returncode == 0 and "All checks passed" in one.stdout, one.stdout + one.stderr
    r = lint(tmp_path, "check")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "pipe.py:1:1: LST901 pipe.py is not a regular file" in r.stdout
    assert "zero.py:1:1: LST901 zero.py is not a regular file" in r.stdout
    assert "sparse.py:1:1: LST901 sparse.py is 3,221,225,472 bytes, over the 10,000,000 bytes" in r.stdout


def test_file_names_that_are_not_utf8_are_shown_escaped_in_every_format(tmp_path: Path) -> None:
    import os
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 100\n")
    with open(os.path.join(os.fsencode(tmp_path), b"bad\xff.py"), "w") as f:
        f.write(LAYER)
    for fmt in ("text", "sarif", "gitlab", "junit", "github", "json"):
        r = lint(tmp_path, "check", "--format", fmt)
        assert r.returncode == 1 and "Traceback" not in r.stderr, (fmt, r.stderr)
        assert "xff.py" in r.stdout, fmt  # `bad\\xff.py` (escaped once more in JSON, %5C in SARIF URIs)
    r = subprocess.run([sys.executable, "-m", "lstmlint", "check", "--no-cache", "-o", "out.txt", "."],
                       cwd=tmp_path, capture_output=True, text=True, timeout=60,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "ascii"})
    assert r.returncode == 1 and "bad\\xff.py" in (tmp_path / "out.txt").read_text()


def test_an_output_file_in_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(LAYER)
    r = lint(tmp_path, "check", "-o", "missing/dir/out.txt")
    assert r.returncode == 2 and "cannot write the report to missing/dir/out.txt" in r.stderr
    assert "Traceback" not in r.stderr


def test_linted_code_is_never_imported_by_lstmlint_itself(tmp_path: Path) -> None:
    # `python -m` puts the current folder first on sys.path; these would run if imported
    for name in ("argparse", "typing", "json", "dataclasses", "re", "libcst", "yaml"):
        (tmp_path / f"{name}.py").write_text("raise SystemExit('imported ' + __name__)\n")
    (tmp_path / "m.py").write_text(LAYER)
    r = lint(tmp_path, "check")
    assert r.returncode == 0 and "imported" not in r.stdout + r.stderr, r.stdout + r.stderr


# ------------------------------------------------------------------ the configuration file

BILLION_LAUGHS = "".join(
    f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9 if i else ['"lol"'] * 9) + "]\n"
    for i in range(9))


@pytest.mark.parametrize("text,line,fragment", [
    (BILLION_LAUGHS, None, "expands to more than 10,000 values"),
    ("budgets: &a {layer: *a}\n", 1, "refers to a value that contains it"),
    ("x:\n" + "".join("  " * i + "a:\n" for i in range(1, 500)), None, "nested"),
    ("x: " + "[" * 3000 + "]" * 3000 + "\n", 1, "nested too deeply"),
    ("budgets:\n  layer: 1e999999999\n", 2, "budgets.layer must be a number"),
    ("budgets:\n  layer: 1e5000\n", 2, "budgets.layer must be a number"),
    ("budgets:\n  layer: " + "9" * 5000 + "\n", 2, "too large"),
])
def test_configuration_bombs_are_exit_2_with_a_position(tmp_path: Path, text: str, line, fragment: str) -> None:
    (tmp_path / ".lstmlint.yaml").write_text(text)
    (tmp_path / "m.py").write_text(LAYER)
    r = lint(tmp_path, "check")
    assert r.returncode == 2 and fragment in r.stderr and "Traceback" not in r.stderr, r.stderr[-2000:]
    if line is not None:
        assert f".lstmlint.yaml:{line}:" in r.stderr


def test_exclude_globs_match_in_linear_time() -> None:
    import time

    from lstmlint.config.settings import glob_match
    t = time.perf_counter()
    assert not glob_match("*a*a*a*a*a*a*a*a*a*a*a*azzz", "a" * 500 + ".py")
    assert not glob_match("**/" * 14 + "x.py", "/".join(["d"] * 17) + "/y.py")
    assert glob_match("**/" * 14 + "x.py", "/".join(["d"] * 17) + "/x.py")
    assert time.perf_counter() - t < 5  # a backtracking matcher takes minutes here


# ------------------------------------------------------------------ the cache

def test_cache_entries_of_the_wrong_shape_are_misses(tmp_path: Path) -> None:
    import copy
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "config.py").write_text("HIDDEN = 8\n")
    (tmp_path / "m.py").write_text("import torch.nn as nn\nfrom config import HIDDEN\nrnn = nn.LSTM(HIDDEN, 8)\n")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}

    def summary() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "lstmlint", "summary", "--format", "json", "m.py"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env)
    first = summary()
    truth = json.loads(first.stdout)["layers"]
    (entry,) = (tmp_path / ".lstmlint_cache").rglob("run-*.json")
    original = json.loads(entry.read_text())

    def mutate(key: str, value: object) -> dict:
        doc = copy.deepcopy(original)

        def walk(o: object) -> None:
            if isinstance(o, dict):
                for k in list(o):
                    if k == key:
                        o[k] = value
                    walk(o[k])
            elif isinstance(o, list):
                for x in o:
                    walk(x)
        walk(doc["result"] if key not in ("deps",) else doc)
        return doc
    for key, value in [("deps", 5), ("deps", {"x": 5}), ("line", "abc"), ("configurations", []), ("path", None),
                       ("params", "x"), ("instances", 5), ("records", {}), ("diagnostics", "x"), ("sizes", [1])]:
        entry.write_text(json.dumps(mutate(key, value)))
        r = summary()
        assert r.returncode == 0 and "Traceback" not in r.stderr, (key, value, r.stderr)
        assert json.loads(r.stdout)["layers"] == truth, (key, value)


def test_an_edit_during_the_run_never_leaves_a_stale_entry(tmp_path: Path) -> None:
    """The dependency is keyed by the content the run read: a run that read ``HIDDEN = 8`` and
    stored its result after ``config.py`` became ``HIDDEN = 4096`` must not answer later runs."""
    from lstmlint.config.settings import Config
    from lstmlint.parse import source
    from lstmlint.pipeline.engine import run
    from lstmlint.pipeline.options import Options
    (tmp_path / "pyproject.toml").write_text("")
    cfg = tmp_path / "config.py"
    cfg.write_text("HIDDEN = 8\n")
    (tmp_path / "m.py").write_text("import torch.nn as nn\nfrom config import HIDDEN\nrnn = nn.LSTM(HIDDEN, 8)\n")
    original = source.read_source

    def read_then_edit(path: Path):  # noqa: ANN202
        out = original(path)
        if Path(path).name == "config.py" and "8" in (out[0] or ""):
            cfg.write_text("HIDDEN = 4096  # edited while the run analyses\n")  # a writer racing the run
        return out
    opts = Options(cwd=tmp_path, cache=True)
    try:
        source.read_source = read_then_edit  # type: ignore[assignment]
        import lstmlint.resolve.module as module
        module.read_source = read_then_edit  # type: ignore[assignment]
        racing = run([tmp_path / "m.py"], Config(), opts)
    finally:
        source.read_source = original
        module.read_source = original  # type: ignore[attr-defined]
    assert racing.records[0].params == 4 * (8 * 8 + 8 * 8 + 16)  # what it read
    after = run([tmp_path / "m.py"], Config(), opts)
    assert after.records[0].params == 4 * (4096 * 8 + 8 * 8 + 16)  # not the stale entry


def test_a_crash_of_the_native_parser_is_one_files_lst901(tmp_path: Path) -> None:
    """A parser crash we cannot predict (simulated: SIGSEGV while parsing one file) takes only the
    analysis process down: that file is LST901, the others are still checked, the run ends."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / ".lstmlint.yaml").write_text(GUARDED)
    (tmp_path / "crash.py").write_text("import torch.nn as nn\n# CRASH_ME\nrnn = nn.LSTM(8, 8)\n")
    (tmp_path / "ok.py").write_text("import torch.nn as nn\nrnn = nn.LSTM(4096, 4096)\n")
    crash = (
        "import os, signal, sys\n"
        "from lstmlint.pipeline import analysis\n"
        "real = analysis.parse_text\n"
        "def parse(path, text, *a, **k):\n"
        "    if 'CRASH_ME' in text:\n"
        "        os.kill(os.getpid(), signal.SIGSEGV)\n"
        "    return real(path, text, *a, **k)\n"
        "analysis.parse_text = parse\n")
    cli = crash + "from lstmlint.frontends.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    # the parallel workers (groups of files analysed in a pool) die the same way
    pool = crash + (
        "from pathlib import Path\n"
        "from lstmlint.config.settings import Config\n"
        "from lstmlint.pipeline.engine import run\n"
        "from lstmlint.pipeline.options import Options\n"
        "r = run([Path('.')], Config(), Options(cwd=Path('.').resolve(), jobs=2, parallel_min_chars=0))\n"
        "for d in r.diagnostics: print(f'{d.path}:{d.line}:{d.column}: {d.code} {d.message}')\n"
        "print('records', sorted(x.path for x in r.records))\n")
    for driver, args in ((cli, ["check", "--no-cache", "-j", "1", "."]), (cli, ["check", "--no-cache", "-j", "2", "."]),
                         (pool, [])):
        r = subprocess.run([sys.executable, "-c", driver, *args], cwd=tmp_path, capture_output=True, text=True,
                           timeout=120, preexec_fn=_cap, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
        assert "crash.py:1:1: LST901 crash.py took the analysis process down (signal 11" in r.stdout, \
            (args, r.stdout, r.stderr)
        if args:
            assert r.returncode == 1 and "ok.py:2:7: LST101" in r.stdout, (args, r.stdout)
        else:
            assert "records ['ok.py']" in r.stdout, r.stdout
