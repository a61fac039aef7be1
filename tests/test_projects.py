"""Real-project shapes: imports resolved the way Python resolves them, callers found through the
project index, sound configurations, on-demand evaluation of dependencies, and bounds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from lstmlint.config.settings import Config, parse_config
from lstmlint.pipeline import analysis
from lstmlint.pipeline.engine import run
from lstmlint.pipeline.options import Options

from .conftest import FIXTURES, ROOT

PROJECTS = FIXTURES / "projects"


def lstm(i: int, h: int, layers: int = 1) -> int:
    """torch.nn.LSTM parameters (two bias vectors per gate)."""
    total = 0
    for k in range(layers):
        inp = i if k == 0 else h
        total += 4 * (inp * h + h * h + 2 * h)
    return total


def gru(i: int, h: int) -> int:
    return 3 * (i * h + h * h + 2 * h)


def summary_doc(paths: list[str], cwd: Path, *extra: str) -> dict[str, Any]:
    """`lstmlint summary --format json` as a user runs it (a new process, its own cwd), with
    every path made absolute (to compare runs made from different folders)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "lstmlint", "summary", "--no-cache", "--format", "json", *extra, *paths],
                       cwd=cwd, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode in (0, 1), r.stderr
    doc: dict[str, Any] = json.loads(r.stdout)
    for m in doc["models"]:
        path, _, name = m["model"].partition("::")
        m["model"] = f"{os.path.normpath(os.path.join(cwd, path))}::{name}"
    return doc


def summary(paths: list[str], cwd: Path, *extra: str) -> list[dict[str, Any]]:
    """The layers of ``summary_doc`` (without their model's name)."""
    return summary_layers(summary_doc(paths, cwd, *extra), cwd)


def summary_layers(doc: dict[str, Any], cwd: Path) -> list[dict[str, Any]]:
    layers: list[dict[str, Any]] = doc["layers"]
    for layer in layers:  # paths as absolute, to compare runs made from different folders
        layer["path"] = os.path.normpath(os.path.join(cwd, layer["path"]))
        layer.pop("model", None)
        layer.pop("part_of", None)
        layer["unresolved_callers"] = len(layer["unresolved_callers"])
    return layers


def write(root: Path, files: dict[str, str]) -> None:
    for name, src in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(src))


def records(root: Path, target: str, config: Config | None = None, **kw: Any):
    return run([root / target], config or Config(), Options(cwd=root, **kw)).records


# ------------------------------------------------------------------ callers through re-exports


def test_caller_that_never_names_a_layer_through_a_reexport() -> None:
    """`main.py` builds `SpeechEncoder(**SPEC)` from `nets/__init__.py`; linting only the layer
    file (the pre-commit case) still finds it, and the defaults are not the answer."""
    expected = lstm(80, 1024, layers=2)
    for target in ("nets/encoder.py", "."):
        recs = records(PROJECTS / "speech", target)
        assert [r.params for r in recs] == [expected], target
        assert recs[0].unknown_configurations == 0


def test_sibling_projects_with_the_same_module_names_are_kept_apart() -> None:
    got = {Path(r.path).parts[-2]: r.params for r in records(PROJECTS / "siblings", ".")}
    assert got == {"asr": gru(40, 512), "tagger": gru(300, 128)}
    # each linted alone: the same records
    for name in ("asr", "tagger"):
        alone = records(PROJECTS / "siblings" / name, "model.py")
        assert [r.params for r in alone] == [got[name]]


def test_unresolved_caller_makes_a_configuration_unknown(cli) -> None:
    recs = records(PROJECTS / "sound", ".")
    (rec,) = recs
    assert rec.params == lstm(64, 128)  # the default, as one configuration among others
    assert rec.unknown_configurations == 1
    assert "serve.py:6" in rec.unresolved_callers[0] and "`build`" in rec.unresolved_callers[0]
    # under a budget it is said, not passed silently
    r = cli(["check", "--no-cache", "projects/sound"])
    assert "LST201" in r.out and "not known statically" in r.out and "serve.py:6" in r.out


def test_test_files_do_not_supply_configurations(tmp_path: Path) -> None:
    recs = records(PROJECTS / "tested", ".")
    assert [(r.params, r.unknown_configurations) for r in recs] == [(lstm(64, 128), 0)]
    shutil.copytree(PROJECTS / "tested", tmp_path / "p")
    cfg = parse_config("test_configurations: true\n", tmp_path / "p" / ".lstmlint.yaml", ".lstmlint.yaml")
    recs = records(tmp_path / "p", "model.py", cfg)
    assert [c.params for c in recs[0].configurations] == [lstm(64, 4096)]


def test_caller_of_a_caller(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": "",
        "model.py": """\
            import torch.nn as nn
            class Enc(nn.Module):
                def __init__(self, hidden=32):
                    super().__init__()
                    self.rnn = nn.GRU(16, hidden)
        """,
        "trainer.py": """\
            from model import Enc
            def build(hidden):
                return Enc(hidden)
        """,
        "train.py": """\
            import argparse
            from trainer import build
            p = argparse.ArgumentParser()
            p.add_argument("--hidden", type=int, default=300)
            args = p.parse_args()
            build(args.hidden)
        """,
    })
    (rec,) = records(tmp_path, "model.py")
    assert rec.params == gru(16, 300)
    assert rec.unknown_configurations == 0


# ------------------------------------------------------------------ import resolution


def test_imports_resolve_from_the_script_folder_not_the_current_directory(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": "",
        "config.py": "HIDDEN = 7\n",  # the project root's config: not what app/ imports
        "app/config.py": "HIDDEN = 96\n",
        "app/model.py": """\
            import torch.nn as nn
            import config
            rnn = nn.LSTM(10, config.HIDDEN)
        """,
    })
    (rec,) = records(tmp_path, "app/model.py")
    assert rec.params == lstm(10, 96)


def test_inside_a_package_plain_imports_do_not_find_neighbours(tmp_path: Path) -> None:
    """`import sizes` inside `pkg/model.py` finds the top-level `sizes.py`, never `pkg/sizes.py`."""
    write(tmp_path, {
        "pyproject.toml": "",
        "sizes.py": "H = 20\n",
        "pkg/__init__.py": "",
        "pkg/sizes.py": "H = 999\n",
        "pkg/model.py": """\
            import torch.nn as nn
            import sizes
            from . import sizes as local
            a = nn.GRU(4, sizes.H)
            b = nn.GRU(4, local.H)
        """,
    })
    got = sorted(r.params for r in records(tmp_path, "pkg/model.py"))
    assert got == sorted([gru(4, 20), gru(4, 999)])


def test_src_roots_and_namespace_packages(tmp_path: Path) -> None:
    write(tmp_path, {
        "src/proj/__init__.py": "",
        "src/proj/model.py": """\
            import torch.nn as nn
            from shared.dims import HIDDEN
            rnn = nn.RNN(8, HIDDEN)
        """,
        "libs/shared/dims.py": "HIDDEN = 12\n",  # `shared` has no __init__.py: a namespace package
    })
    cfg = parse_config("src: [libs, src]\n", tmp_path / ".lstmlint.yaml", ".lstmlint.yaml")
    (rec,) = records(tmp_path, "src/proj/model.py", cfg)
    assert rec.params == 8 * 12 + 12 * 12 + 2 * 12
    (rec,) = records(tmp_path, "src/proj/model.py")  # without src: not found, never guessed
    assert rec.params is None


def test_nothing_above_the_project_root_is_searched(tmp_path: Path) -> None:
    write(tmp_path, {
        "dims.py": "H = 5\n",
        "proj/pyproject.toml": "",
        "proj/model.py": """\
            import torch.nn as nn
            from dims import H
            rnn = nn.GRU(3, H)
        """,
    })
    (rec,) = records(tmp_path / "proj", "model.py")
    assert rec.params is None


def test_path_invariance(tmp_path: Path) -> None:
    """Relative, absolute, from `/`, from inside another git repository, and the parent folder
    with other projects beside it: the same records."""
    proj = tmp_path / "work" / "speech"
    shutil.copytree(PROJECTS / "speech", proj)
    shutil.copytree(PROJECTS / "siblings", tmp_path / "work" / "siblings")
    other = tmp_path / "other"
    other.mkdir()
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    write(other, {"nets/__init__.py": "SpeechEncoder = None\n", "main.py": "HIDDEN = 1\n"})
    runs = {
        "relative": summary(["nets/encoder.py"], proj),
        "absolute": summary([str(proj / "nets" / "encoder.py")], proj),
        "from /": summary([str(proj / "nets" / "encoder.py")], Path("/")),
        "another repo": summary([str(proj / "nets" / "encoder.py")], other),
        "folder": summary(["."], proj),
    }
    first = runs["relative"]
    assert [r["params"] for r in first] == [lstm(80, 1024, layers=2)]
    for name, got in runs.items():
        assert got == first, name
    parent = summary(["work"], tmp_path)
    assert [r for r in parent if r["path"] == first[0]["path"]] == first


# ------------------------------------------------------------------ on-demand evaluation


def test_dependency_values_are_final_and_in_order(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": "",
        "settings.py": """\
            HIDDEN = 64
            WIDE = HIDDEN * 2
            HIDDEN = HIDDEN + 1
            CFG = {"h": 8}
            CFG["h"] = 40
            LAYERS = []
            LAYERS.append(3)
            def unrelated():
                return undefined_thing()
        """,
        "model.py": """\
            import torch.nn as nn
            from settings import HIDDEN, WIDE, CFG, LAYERS
            a = nn.GRU(HIDDEN, WIDE)
            b = nn.GRU(CFG["h"], len(LAYERS))
        """,
    })
    got = [r.params for r in records(tmp_path, "model.py")]
    assert got == [gru(65, 128), gru(40, 1)]


def test_dependencies_are_not_parsed_with_libcst_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import libcst

    parsed: list[str] = []
    real = libcst.parse_module

    def spy(text: str, *a: Any, **k: Any) -> Any:
        parsed.append(text)
        return real(text, *a, **k)

    monkeypatch.setattr(libcst, "parse_module", spy)
    big = "\n".join(f"def helper_{i}(x):\n    return x + {i}\n" for i in range(300))
    write(tmp_path, {
        "pyproject.toml": "",
        "dims.py": "HIDDEN = 33\n" + big,
        "model.py": """\
            import torch.nn as nn
            from dims import HIDDEN
            rnn = nn.GRU(2, HIDDEN)
        """,
    })
    assert [r.params for r in records(tmp_path, "model.py")] == [gru(2, 33)]
    assert not any("helper_17" in t for t in parsed)


def test_star_imports_and_reexport_chains(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": "",
        "pkg/__init__.py": "from .layers import *\n",
        "pkg/layers.py": "from .base import *\n__all__ = ['Dims', 'UNITS']\nUNITS = 48\n",
        "pkg/base.py": "class Dims:\n    IN = 6\n",
        "model.py": """\
            import torch.nn as nn
            import pkg
            rnn = nn.LSTM(pkg.Dims.IN, pkg.UNITS)
        """,
    })
    assert [r.params for r in records(tmp_path, "model.py")] == [lstm(6, 48)]


@pytest.mark.parametrize("bound", ["FILE_WORK", "FILE_SECONDS"])
def test_analysis_budget_exceeded_is_unknown_never_not_reached(tmp_path: Path, bound: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, bound, 0)
    body = "\n".join(f"v{i} = {i}" for i in range(2000))
    write(tmp_path, {"pyproject.toml": "", "m.py": "import torch.nn as nn\n" + body + "\nrnn = nn.LSTM(4096, 4096)\n"})
    (rec,) = records(tmp_path, "m.py")
    assert rec.params is None and rec.reached
    assert "analysis budget exceeded" in rec.unresolved[0].reason


def test_budget_counts_work_not_seconds_so_a_slow_machine_gives_the_same_records(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the work budget cuts is the same on a loaded machine: a clock that runs 50 times
    faster (what a busy CI runner looks like to the evaluator) changes nothing."""
    from lstmlint.resolve import evaluator
    monkeypatch.setattr(analysis, "FILE_WORK", 3000)
    body = "\n".join(f"v{i} = {i}" for i in range(4000))
    write(tmp_path, {"pyproject.toml": "", "m.py": "import torch.nn as nn\nfirst = nn.LSTM(8, 16)\n" + body
                     + "\nlast = nn.LSTM(4096, 4096)\n"})

    def summary() -> list[tuple[int, Any, Any]]:
        return [(r.line, r.params, r.unresolved) for r in records(tmp_path, "m.py")]

    normal = summary()
    assert normal[0][1] == lstm(8, 16)
    assert normal[1][1] is None and "analysis budget exceeded" in normal[1][2][0].reason
    real = evaluator.time.monotonic
    ticks = [0.0]

    def slow_clock() -> float:
        ticks[0] += 0.05
        return real() + ticks[0]
    monkeypatch.setattr(evaluator.time, "monotonic", slow_clock)
    assert summary() == normal


def test_project_counts_match_real_torch() -> None:
    """Run the projects' own entry points with real torch: the counts lstmlint gives are the ones
    PyTorch builds."""
    pytest.importorskip("torch")
    cases = [
        (PROJECTS / "speech", "import main; m = main.main()", "nets/encoder.py"),
        (PROJECTS / "siblings" / "asr", "import main; m = main.model", "model.py"),
        (PROJECTS / "siblings" / "tagger", "import main; m = main.model", "model.py"),
    ]
    for folder, code, target in cases:
        r = subprocess.run([sys.executable, "-c", code + "; print(sum(p.numel() for p in m.parameters()))"],
                           cwd=folder, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        assert [x.params for x in records(folder, target)] == [int(r.stdout.split()[-1])], folder


def test_reasons_name_values_never_print_their_internals(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "", "m.py": """\
        import torch.nn as nn
        class Cfg:
            def a(self): return 1
            def b(self): return 2
        SIZES = {"small": 8}
        rnn = nn.LSTM(SIZES[Cfg], 16)
    """})
    (rec,) = records(tmp_path, "m.py")
    assert rec.params is None
    why = rec.unresolved[0].reason
    assert "`Cfg`" in why and "FunctionDef" not in why and len(why) < 300


def test_positions_of_repeated_calls_agree_with_libcst(tmp_path: Path) -> None:
    """Repeated identical call texts get their position by rank in both trees; LibCST's own
    PositionProvider must agree."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from lstmlint.parse.source import parse_text
    from lstmlint.resolve.module import ModuleLoader

    src = textwrap.dedent("""\
        import torch.nn as nn
        @dec(nn.GRU(4, 4))
        def f(x=nn.GRU(4, 4)):
            a = nn.GRU(4, 4) if nn.GRU(4, 4) else [nn.GRU(4, 4) for _ in g(nn.GRU(4, 4))]
            return nn.GRU(4, 4)(nn.GRU(4, 4))
        class C(nn.GRU(4, 4).__class__):
            y = nn.GRU(4, 4)
        async def h():
            async for q in nn.GRU(4, 4):
                pass
    """)
    path = tmp_path / "m.py"
    path.write_text(src)
    info = ModuleLoader(tmp_path, tmp_path).load_path(path, parse_text(path, src))
    assert info.module is not None
    exact = MetadataWrapper(info.module, unsafe_skip_copy=True).resolve(PositionProvider)
    calls = [n for n in exact if isinstance(n, cst.Call)]
    assert len(calls) > 10
    for node in calls:
        fast = info._fast_position(node)
        assert fast is not None and (fast.start, fast.end) == (exact[node].start, exact[node].end)


def test_standalone_runs_only_definitions_that_can_build_a_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Functions nothing calls run standalone only when they can reach a layer of the linted
    files (directly, through another such definition, or one of another linted file)."""
    from lstmlint.resolve.evaluator import Interpreter
    write(tmp_path, {
        "pyproject.toml": "",
        "nets.py": """
            import torch.nn as nn
            from torch.nn import GRU as Recurrent


            class Encoder(nn.Module):
                def __init__(self, hidden=64):
                    super().__init__()
                    self.rnn = nn.LSTM(32, hidden)


            def build_encoder(size):
                return Encoder(size)


            def make_gru(n):
                return Recurrent(n, n)


            def parse_vocab(path):
                return open(path).read().split()


            class Tokenizer:
                def encode(self, text):
                    return text.split()
        """,
        "train.py": """
            import torch.nn as nn
            from nets import build_encoder


            def run(size):
                model = build_encoder(size)
                head = nn.GRU(8, 8)
                return model, head


            def log(msg):
                print(msg)
        """,
    })
    entries: list[str] = []
    real = Interpreter._entry

    def spy(self, root, fn):  # type: ignore[no-untyped-def]
        if isinstance(root, tuple) and root[0] == "standalone":
            entries.append(next(f.qualname for f in self.functions.values() if id(f.node) == root[1])
                           if any(id(f.node) == root[1] for f in self.functions.values()) else "<class>")
        return real(self, root, fn)

    monkeypatch.setattr(Interpreter, "_entry", spy)
    records(tmp_path, "nets.py")
    records(tmp_path, "train.py")
    assert "parse_vocab" not in entries and "Tokenizer.encode" not in entries and "log" not in entries
    assert {"build_encoder", "make_gru", "run"} <= set(entries)


def test_formulas_and_reasons_carry_no_internal_markers(tmp_path: Path) -> None:
    """A size that comes from another module's unknown keeps the expression in the formula,
    never the internal location markers of the reason chain (they leaked into the JSON)."""
    write(tmp_path, {
        "pyproject.toml": "",
        "lstm_model.py": """\
            import torch.nn as nn

            class Classifier(nn.Module):
                def __init__(self, model_args):
                    super().__init__()
                    hidden = model_args['hidden_dim']
                    self.lstm = nn.LSTM(hidden, hidden)
        """,
        "trainer.py": """\
            import json, sys
            from lstm_model import Classifier
            args = json.load(open(sys.argv[1]))
            model = Classifier(args)
        """,
    })
    recs = run([tmp_path], Config(), Options(cwd=tmp_path)).records
    texts = [json.dumps([c.to_json() if hasattr(c, "to_json") else repr(c) for c in r.configurations]) + repr(r)
             for r in recs]
    assert recs and all("\\x00" not in t and "\\x01" not in t and "\\u0000" not in t and "\\u0001" not in t
                        for t in texts)
    formulas = [i.formula for r in recs for c in r.configurations for i in c.instances if i.formula]
    assert formulas and all("·" in f and "hidden" in f for f in formulas)


def test_formula_symbol_is_the_expression_without_its_location() -> None:
    """The stanza lemma classifier's formula once carried the reason chain's location markers into
    the JSON.  Chain entries are structured now: the formula takes the expression, the reason
    renders the place -- its line looked up only then."""
    from types import SimpleNamespace

    from lstmlint.count.layer import _symbol
    from lstmlint.resolve.values import Origin, Place, Unknown, say
    looked_up = []

    def position(node: object) -> object:
        looked_up.append(node)
        return SimpleNamespace(start=SimpleNamespace(line=123))
    module = SimpleNamespace(display="m.py", position=position)
    node = object()
    u = Unknown(say("depends on data read at run time (", Place(module, node), ")")).via(  # type: ignore[arg-type]
        Origin("model_args['hidden_dim']", Place(module, node)))  # type: ignore[arg-type]
    assert _symbol("hidden_size", u) == "model_args['hidden_dim']" and not looked_up
    assert u.describe("hidden_size") == ("`hidden_size` ← `model_args['hidden_dim']` (m.py:123): depends on "
                                         "data read at run time (m.py:123)")
    assert u.assumable("hidden_size") is None  # a subscript is not a name `assume:` can set
    assert Unknown("x").via(Origin("self.hidden")).assumable("hidden_size") == "hidden"


def test_callers_are_found_per_project(tmp_path: Path) -> None:
    """A file of one project is never taken for a caller because it uses a name that another
    project linted in the same run defines (found on the corpus: 10 of 13 projects gave other
    records inside the whole corpus than alone)."""
    from lstmlint.discover.files import facts_of
    from lstmlint.pipeline.engine import find_callers
    write(tmp_path, {
        "a/pyproject.toml": "",
        "a/model.py": "import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n"
                      "        self.rnn = nn.LSTM(3, 4)\ndef helper():\n    return 3\n",
        "a/main.py": "from model import Net\nnet = Net()\n",
        "a/serve.py": "from model import helper\nx = helper()\n",
        "b/pyproject.toml": "",
        "b/tagger.py": "import torch.nn as nn\ndef helper():\n    return nn.LSTM(3, 4)\n",
    })
    files = [str(tmp_path / p) for p in ("a/model.py", "a/main.py", "a/serve.py", "b/tagger.py")]

    def facts(path: str):
        return facts_of(Path(path).read_text())

    def roots(p: Path) -> Path:
        return tmp_path / p.relative_to(tmp_path).parts[0]
    assert find_callers([files[0]], files[:3], facts, False, roots) == [files[1]]
    # b's `helper` holds a layer; a's does not: a/serve.py is not a caller of a's model
    assert find_callers([files[0], files[3]], files, facts, False, roots) == [files[1]]


def test_a_caller_is_looked_at_again_when_more_names_are_known(tmp_path: Path) -> None:
    """``train.py`` imports the package ``seq2seq`` and builds ``GNMT`` (which holds the LSTM
    written in another module).  A sibling folder of the same project defines a *function*
    ``seq2seq`` that builds layers: its name made ``train.py`` look like a caller in the first
    round of the search, where it used none of the names known then -- and it was never looked
    at again, once ``GNMT`` was known (the encoder's sizes became "nothing lstmlint followed
    calls")."""
    write(tmp_path, {
        "pyproject.toml": "",
        "nmt/seq2seq/__init__.py": "",
        "nmt/seq2seq/encoder.py": "import torch.nn as nn\n\n\nclass Encoder(nn.Module):\n"
                                  "    def __init__(self, hidden=64):\n        super().__init__()\n"
                                  "        self.rnn = nn.LSTM(hidden, hidden)\n",
        "nmt/seq2seq/gnmt.py": "import torch.nn as nn\n\nfrom .encoder import Encoder\n\n\nclass GNMT(nn.Module):\n"
                               "    def __init__(self, hidden=64):\n        super().__init__()\n"
                               "        self.encoder = Encoder(hidden)\n",
        "nmt/train.py": "from seq2seq.gnmt import GNMT\n\nmodel = GNMT(hidden=256)\n",
        "forecast/models.py": "import keras\nfrom keras import layers\n\n\ndef seq2seq(units=8):\n"
                              "    return keras.Sequential([keras.Input((10, 3)), layers.LSTM(units)])\n",
        "forecast/run.py": "from models import seq2seq\n\nm = seq2seq()\n",
    })
    layers = summary(["."], tmp_path)
    (enc,) = [x for x in layers if x["path"].endswith("encoder.py")]
    assert enc["params"] == lstm(256, 256) and enc["unknown_configurations"] == 0, enc


_TAGGER = {
    "PKG/tagger/__init__.py": "from .model import Tagger\n",
    "PKG/tagger/model.py": """\
        from torch import nn

        class Tagger(nn.Module):
            def __init__(self, n_tags, hidden=100):
                super().__init__()
                self.rnn = nn.LSTM(32, hidden)
                self.out = nn.Linear(hidden, n_tags)
    """,
}


def _tagger_project(root: Path, pkg_dir: str, run_py: str) -> None:
    write(root, {"pyproject.toml": "[project]\nname = 'tagger'\n",
                 **{k.replace("PKG", pkg_dir): v for k, v in _TAGGER.items()},
                 "run.py": run_py})


def test_src_layout_and_sys_path_folders_are_searched(tmp_path: Path) -> None:
    """The project root's ``src`` folder is searched (as ruff does); a folder a script puts on
    ``sys.path`` is searched for the imports after it."""
    _tagger_project(tmp_path / "a", "src", "from tagger import Tagger\nTagger(5, hidden=64)\n")
    _tagger_project(tmp_path / "b", "lib", "import os, sys\n"
                    "sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'lib'))\n"
                    "from tagger import Tagger\nTagger(5, hidden=64)\n")
    for project in ("a", "b"):
        (rec,) = summary([str(tmp_path / project)], tmp_path / project)
        assert rec["params"] == lstm(32, 64) and not rec["unknown_configurations"], project


def test_a_caller_importing_from_a_folder_not_searched_leaves_the_configuration_unknown(tmp_path: Path) -> None:
    """``PYTHONPATH=lib python run.py``: lstmlint cannot know that folder is on the path, so it does
    not evaluate the import -- but the defaults are not presented as the configuration either."""
    _tagger_project(tmp_path, "lib", "from tagger import Tagger\nTagger(5, hidden=64)\n")
    (rec,) = summary([str(tmp_path)], tmp_path)
    assert rec["unknown_configurations"] == 1
    (why,) = [u for u in summary_doc([str(tmp_path)], tmp_path)["layers"][0]["unresolved_callers"]]
    assert "run.py:2" in why and "`src:`" in why


def test_a_file_out_of_budget_does_not_leave_the_module_it_imports_half_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``a_heavy.py`` runs out of its budget while it imports ``model.py`` (another linted file):
    that is ``a_heavy.py``'s budget, not ``model.py``'s -- ``model.py`` runs whole, on its own
    budget, when its turn comes, and its layer is counted (not "budget exceeded")."""
    monkeypatch.setattr(analysis, "FILE_WORK", 3000)
    body = "\n".join(f"v{i} = {i}" for i in range(1200))
    write(tmp_path, {
        "pyproject.toml": "",
        "a_heavy.py": "import torch.nn as nn\n" + body + "\nimport model\nrnn = nn.GRU(4, 4)\n",
        "model.py": "import torch.nn as nn\n" + "\n".join(f"w{i} = {i}" for i in range(600))
                    + "\nrnn = nn.LSTM(8, 16)\n",
    })
    recs = {Path(r.path).name: r for r in records(tmp_path, ".")}
    assert "analysis budget exceeded" in recs["a_heavy.py"].unresolved[0].reason
    assert recs["model.py"].params == lstm(8, 16)


def test_model_totals_never_add_up_alternatives(tmp_path: Path) -> None:
    """Layers built on the two sides of a condition not known statically are alternatives: each
    has its count, the model object holding one of them has no total (never both added, never
    neither); a class chosen at run time from a dict adds its largest candidate; a layer in a
    plain list is not part of the total (torch does not register it)."""
    write(tmp_path, {
        "pyproject.toml": "",
        "m.py": """\
            import sys
            from torch import nn

            CELLS = {"lstm": nn.LSTM, "gru": nn.GRU}

            class Arms(nn.Module):
                def __init__(self, cell):
                    super().__init__()
                    if cell == "lstm":
                        self.rnn = nn.LSTM(10, 32)
                    else:
                        self.rnn = nn.GRU(10, 32)
                    self.head = nn.GRU(32, 8)

            class Choice(nn.Module):
                def __init__(self, cell):
                    super().__init__()
                    self.rnn = CELLS[cell](10, 32)
                    self.head = nn.GRU(32, 8)
                    self.extra = [nn.LSTM(8, 8)]

            def build(big):
                return Arms("lstm" if big else "gru")

            Arms(sys.argv[1])
            Choice(sys.argv[1])
            small = Arms("gru")
        """,
    })
    doc = summary_doc([str(tmp_path)], tmp_path)
    totals = {m["model"].rpartition("::")[2]: m["params"] for m in doc["models"]}
    # `Arms(sys.argv[1])` has no total, but `Arms("gru")` does: the class's largest known object
    assert totals["Arms"] == gru(10, 32) + gru(32, 8)
    assert totals["Choice"] == lstm(10, 32) + gru(32, 8)
    counts = {(x["line"], x["layer"]): x["params"] for x in doc["layers"]}
    assert counts[(10, "LSTM")] == lstm(10, 32) and counts[(12, "GRU")] == gru(10, 32)


def test_a_layer_kept_where_lstmlint_cannot_see_leaves_the_total_unknown(tmp_path: Path) -> None:
    """``self._modules["rnn"] = layer`` (or a layer handed to a library wrapper) registers it where
    lstmlint cannot see: the model's total is unknown, never the rest alone."""
    write(tmp_path, {
        "pyproject.toml": "",
        "m.py": """\
            from torch import nn
            from torch.nn.utils import weight_norm

            class Direct(nn.Module):
                def __init__(self):
                    super().__init__()
                    self._modules["rnn"] = nn.LSTM(4, 4)
                    self.head = nn.GRU(4, 2)

            class Wrapped(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.rnn = weight_norm(nn.LSTM(4, 4), name="weight_hh_l0")
                    self.head = nn.GRU(4, 2)

            Direct()
            Wrapped()
        """,
    })
    doc = summary_doc([str(tmp_path)], tmp_path)
    totals = {m["model"].rpartition("::")[2]: m["params"] for m in doc["models"]}
    assert totals == {"Direct": None, "Wrapped": None}
