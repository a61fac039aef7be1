"""The idioms of real model code (issue: never a wrong number).  Each fixture project under
``fixtures/projects/idioms/`` is also run with real torch (``tests/torch_trace.py``): every layer
PyTorch builds must be one of the configurations lstmlint reports at that call, or the call must
say its sizes are not all known.  Never a confident count that the framework does not build."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import FIXTURES, ROOT
from .test_projects import gru, lstm, summary

IDIOMS = FIXTURES / "projects" / "idioms"


def configs(layer: dict[str, Any]) -> list[int | None]:
    return [c["params"] for c in layer.get("all_configurations", [{"params": layer["params"]}])]


def built(layer: dict[str, Any]) -> list[int | None]:
    """Each layer object a configuration builds (a loop at one call builds several)."""
    confs = layer.get("all_configurations", [{"instances": layer["instances"]}])
    return [i["params"] for c in confs for i in c["instances"]]


def at(layers: list[dict[str, Any]], folder: Path, path: str, line: int, kind: str | None = None) -> dict[str, Any]:
    found = [x for x in layers if x["path"] == str(folder / path) and x["line"] == line
             and (kind is None or x["layer"] == kind)]
    assert len(found) == 1, (path, line, kind, found)
    return found[0]


def test_default_factories_copies_and_replace_make_new_objects() -> None:
    folder = IDIOMS / "shared_cfg"
    (rec,) = summary([str(folder)], ROOT)
    assert sorted(configs(rec)) == sorted({lstm(80, 256), lstm(80, 1024), lstm(80, 256, 3), lstm(20, 256),
                                           lstm(80, 32, 2)})
    assert rec["unknown_configurations"] == 0


def test_mutations_it_cannot_follow_make_sizes_unknown_not_stale() -> None:
    (rec,) = summary([str(IDIOMS / "overrides")], ROOT)
    assert rec["params"] is None
    assert {u["name"] for u in rec["unresolved"]} >= {"input_size", "hidden_size"}


def test_registry_follows_each_lookup_with_its_arguments() -> None:
    folder = IDIOMS / "registry"
    layers = summary([str(folder)], ROOT)
    small = at(layers, folder, "models/small.py", 9)
    big = at(layers, folder, "models/big.py", 9)
    # the loop over (name, size) pairs, and `create(name)` with a name known only at run time
    assert sorted(configs(small)) == sorted([lstm(64, 256), lstm(64, 128)])
    assert sorted(configs(big)) == sorted([gru(64, 1024), gru(64, 512)])


def test_registered_class_with_no_followed_lookup_is_not_its_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "zoo.py").write_text(
        "import torch.nn as nn\nfrom registry import register\n\n\n@register('lstm')\nclass Tagger(nn.Module):\n"
        "    def __init__(self, hidden=128):\n        super().__init__()\n        self.rnn = nn.LSTM(64, hidden)\n")
    (tmp_path / "registry.py").write_text("MODELS = {}\n\n\ndef register(name):\n    def deco(cls):\n"
                                         "        MODELS[name] = cls\n        return cls\n    return deco\n")
    (rec,) = summary([str(tmp_path / "zoo.py")], tmp_path)
    assert rec["unknown_configurations"] == 1 and rec["unresolved_callers"] == 1


def test_partials_subclasses_factories_and_run_time_choices() -> None:
    folder = IDIOMS / "dynamic"
    layers = summary([str(folder)], ROOT)
    assert configs(at(layers, folder, "main.py", 12)) == [lstm(8, 16, 2)]  # WeightDropLSTM's super().__init__
    assert configs(at(layers, folder, "main.py", 26)) == [lstm(32, 64)]  # a stored partial
    assert configs(at(layers, folder, "main.py", 27)) == [lstm(16, 32)]  # a partial called at once
    assert configs(at(layers, folder, "main.py", 29)) == [2 * lstm(4, 4)]  # subclass, no __init__
    assert configs(at(layers, folder, "main.py", 30)) == [lstm(4, 8)]  # a lambda in a dict
    assert configs(at(layers, folder, "main.py", 32)) == [gru(10, 20)]  # RNN_CLASSES[config.rnn_type]
    assert configs(at(layers, folder, "main.py", 40)) == [gru(10, 128)]  # match statement
    chosen = [x for x in layers if x["line"] == 43]
    assert sorted(x["layer"] for x in chosen) == ["GRU", "LSTM", "RNN"]
    assert all(x["chosen_at_run_time"]["candidates"] == ["GRU", "LSTM", "RNN"] for x in chosen)


def test_summary_total_counts_one_candidate_per_call(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import sys\nimport torch.nn as nn\nr = getattr(nn, sys.argv[1])(10, 20)\n")
    r = subprocess.run([sys.executable, "-m", "lstmlint", "summary", "--no-cache", "m.py"], cwd=tmp_path,
                       capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)})
    assert f"total recurrent params: {lstm(10, 20):,}" in r.stdout, r.stdout


@pytest.mark.parametrize("project,argv", [
    ("shared_cfg", []), ("overrides", ["encoder.hidden=512"]), ("overrides", ["encoder.layers=2", "inp=3"]),
    ("registry", ["small-x"]), ("registry", ["big"]), ("dynamic", []), ("dynamic", ["GRU"]), ("enums_argv", []),
    ("data_files", []), ("lists", []), ("lists", ["7"]),
])
def test_every_layer_torch_builds_is_one_lstmlint_reports(project: str, argv: list[str]) -> None:
    pytest.importorskip("torch")
    folder = IDIOMS / project
    r = subprocess.run([sys.executable, str(ROOT / "tests" / "torch_trace.py"), "main.py", *argv], cwd=folder,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    truth = json.loads(r.stdout.splitlines()[-1])["layers"]
    assert truth
    layers = summary([str(folder)], ROOT)
    for t in truth:
        rec = at(layers, folder, t["path"], t["line"], t["layer"])
        known = [c for c in built(rec) if c is not None]
        if rec["params"] is None or rec["unknown_configurations"]:
            assert t["params"] in known or len(known) < len(built(rec)) + rec["unknown_configurations"], (t, rec)
        else:
            assert t["params"] in known, (t, rec)


@pytest.mark.parametrize("argv", [[], ["--model", "GRU"], ["--model", "RNN_RELU"], ["--attention"], ["--wide"],
                                  ["--tied"]])
def test_arms_the_defaults_do_not_take_have_the_count_flipping_the_flag_gives(argv: list[str]) -> None:
    """A layer in an arm of an `if` the defaults do not take is reported `reached: false`, with
    the count PyTorch builds when that one flag is flipped -- or with no count when the flag also
    sized a value before the `if` (`size = 1024 if wide else 128`): never a stale number."""
    pytest.importorskip("torch")
    folder = IDIOMS / "branches"
    r = subprocess.run([sys.executable, str(ROOT / "tests" / "torch_trace.py"), "main.py", *argv], cwd=folder,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    layers = summary([str(folder)], ROOT)
    default_arms = {("nets/encoder.py", 7), ("nets/decoder.py", 11)}
    for t in json.loads(r.stdout.splitlines()[-1])["layers"]:
        rec = at(layers, folder, t["path"], t["line"], t["layer"])
        assert rec["reached"] is ((t["path"], t["line"]) in default_arms), (t, rec)
        if not rec["reached"] and rec["params"] is not None:
            assert rec["params"] == t["params"], (argv, t, rec)  # the count of flipping that flag
        elif not argv:
            assert configs(rec) == [t["params"]], (t, rec)
    wide = at(layers, folder, "nets/decoder.py", 16)
    assert wide["reached"] is False and wide["params"] is None


def test_lists_changed_in_place() -> None:
    """A list that grows or shrinks where lstmlint cannot tell whether (or how often) is never read
    at its old length; changes it can follow (in place `+=` through an alias, `remove`, `sort`,
    `insert`, `del`) keep it exact.  Found by checking whether lists behaved like dicts do."""
    folder = IDIOMS / "lists"
    layers = summary([str(folder)], ROOT)
    enc = at(layers, folder, "encoders/stacked.py", 11)
    # `fixed` (an alias grown in place) is exact; `deep` (a width appended under an unknown
    # condition) is one configuration not known, with its reason
    assert built(enc) == [2 * lstm(40, 64), 2 * lstm(64, 96)]  # bidirectional
    assert enc["unknown_configurations"] == 1 and "length of a list" in enc["unknown_reasons"][0]
    assert configs(at(layers, folder, "encoders/stacked.py", 12)) == [gru(96, 32)]
    assert configs(at(layers, folder, "main.py", 25)) == [gru(8, 10)]  # remove, sort(reverse), insert, del
    head = at(layers, folder, "encoders/stacked.py", 16)  # after random.shuffle
    assert head["params"] is None and "shuffle" in head["unresolved"][0]["reason"]
    last = at(layers, folder, "main.py", 39)  # extended with values not known: the first item is kept
    assert last["sizes"]["input_size"] == 12 and last["sizes"]["hidden_size"] is None


def test_enums_and_explicit_argument_lists() -> None:
    folder = IDIOMS / "enums_argv"
    layers = summary([str(folder)], ROOT)
    assert configs(at(layers, folder, "main.py", 18)) == [lstm(3, 256)]  # len(Tag), IntEnum .value
    assert configs(at(layers, folder, "main.py", 19)) == [lstm(3, 64)]  # list(Tag), an IntEnum member as a size
    assert configs(at(layers, folder, "main.py", 20)) == [gru(6, 8)]  # iteration over an enum
    assert sorted(built(at(layers, folder, "main.py", 26))) == sorted([lstm(4, 128), lstm(4, 32)])  # parse_args([...])
    assert configs(at(layers, folder, "main.py", 35)) == [lstm(2, 20)]  # auto() and an alias


def test_read_only_calls_keep_what_is_known(tmp_path: Path) -> None:
    """Handing a config to code that only reads it (logging, a framework's base-class methods) does
    not make its sizes unknown; handing it to a library function that may change it does."""
    (tmp_path / "m.py").write_text(
        "import logging\nimport torch.nn as nn\nimport pytorch_lightning as pl\nimport somelib\n\n\n"
        "class M(pl.LightningModule):\n    def __init__(self, cfg):\n        super().__init__()\n"
        "        self.save_hyperparameters(cfg)\n        logging.info('cfg %s', cfg)\n"
        "        self.rnn = nn.LSTM(cfg['inp'], cfg['hidden'])\n\n\n"
        "m = M({'inp': 8, 'hidden': 16})\ncfg = {'inp': 8, 'hidden': 16}\nsomelib.apply_overrides(cfg)\n"
        "r = nn.GRU(cfg['inp'], cfg['hidden'])\n")
    layers = summary([str(tmp_path / "m.py")], tmp_path)
    assert configs(at(layers, tmp_path, "m.py", 12)) == [lstm(8, 16)]
    gru_rec = at(layers, tmp_path, "m.py", 18)
    assert gru_rec["params"] is None and "apply_overrides" in gru_rec["unresolved"][0]["reason"]


def test_sizes_read_from_the_projects_json_and_yaml_files() -> None:
    folder = IDIOMS / "data_files"
    layers = summary([str(folder)], ROOT)
    assert at(layers, folder, "speech/model.py", 7)["params"] == 5_954_560  # LSTM(80, 320, 3, bidirectional)
    assert at(layers, folder, "speech/model.py", 15)["params"] == 1_183_744  # LSTM(256, 512, proj_size=256)


def _data_project(tmp_path: Path, main: str, files: dict[str, str]) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "app").mkdir(exist_ok=True)
    (tmp_path / "app" / "main.py").write_text("import json\nimport yaml\nimport torch.nn as nn\n" + main)
    return tmp_path / "app" / "main.py"


def test_a_data_file_is_read_only_when_its_path_is_certain(tmp_path: Path) -> None:
    main = _data_project(tmp_path, "cfg = json.load(open('cfg.json'))\nrnn = nn.LSTM(cfg['h'], cfg['h'])\n",
                         {"cfg.json": '{"h": 64}', "app/cfg.json": '{"h": 128}'})
    (rec,) = summary([str(main)], tmp_path)
    assert rec["params"] is None  # the working directory decides which file is read
    assert "depends on the working directory" in rec["unresolved"][0]["reason"]
    (tmp_path / "app" / "cfg.json").unlink()
    (rec,) = summary([str(main)], tmp_path)
    assert rec["params"] == lstm(64, 64)
    outside = _data_project(tmp_path / "p", "cfg = json.load(open('../../secret.json'))\nrnn = nn.LSTM(cfg['h'], 8)\n",
                            {})
    (tmp_path / "secret.json").write_text('{"h": 8}')
    (rec,) = summary([str(outside)], tmp_path / "p")
    assert rec["params"] is None  # nothing outside the project root is read
    unsafe = _data_project(tmp_path / "q", "cfg = yaml.load(open('c.yaml'), Loader=yaml.Loader)\n"
                                           "rnn = nn.LSTM(cfg['h'], 8)\n", {"c.yaml": "h: 8\n"})
    (rec,) = summary([str(unsafe)], tmp_path / "q")
    assert rec["params"] is None


def test_a_changed_data_file_is_never_answered_from_the_cache(cli, tmp_path: Path) -> None:
    _data_project(tmp_path, "with open('cfg.yaml') as f:\n    cfg = yaml.safe_load(f)\n"
                            "rnn = nn.LSTM(cfg['h'], cfg['h'])\n", {"cfg.yaml": "h: 64\n"})
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 100K\n")
    assert cli(["check", "app/main.py"], cwd=tmp_path).code == 0
    (tmp_path / "cfg.yaml").write_text("h: 1024\n")
    r = cli(["check", "app/main.py"], cwd=tmp_path)
    assert r.code == 1 and "8,396,800 parameters" in r.out, r.out


def test_the_shapes_of_the_keras_datasets_size_the_first_layer() -> None:
    keras = pytest.importorskip("keras")
    layers = summary([str(IDIOMS / "keras_datasets.py")], ROOT)
    got = {x["layer"]: x["params"] for x in layers}
    # the same layers built by Keras on the documented shapes (mnist rows: 28 x 28; cifar10 rows
    # reshaped to 32 x 96), without downloading the data
    mnist = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.LSTM(128)]).count_params()
    cifar = keras.Sequential([keras.Input(shape=(32, 96)), keras.layers.GRU(64)]).count_params()
    assert got == {"LSTM": mnist, "GRU": cifar}


def test_a_dataset_with_a_non_default_split_has_unknown_shapes(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        "import keras\n(x, y), _ = keras.datasets.boston_housing.load_data(test_split=0.1)\n"
        "m = keras.Sequential([keras.Input(shape=(None, x.shape[1])), keras.layers.LSTM(8)])\n")
    (rec,) = summary([str(tmp_path / "m.py")], tmp_path)
    assert rec["params"] is None and "non-default split" in rec["unresolved"][0]["reason"]


def test_a_data_file_read_with_read_and_a_dataset_filtered_by_position(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "c.json").write_text('{"h": 64}')
    (tmp_path / "m.py").write_text("import json\nimport torch.nn as nn\nwith open('c.json') as f:\n"
                                   "    cfg = json.loads(f.read())\nrnn = nn.LSTM(cfg['h'], 8)\n")
    (rec,) = summary([str(tmp_path / "m.py")], tmp_path)
    assert rec["params"] == lstm(64, 8)
    # `maxlen` passed by position filters the samples: the shapes are not the documented ones
    (tmp_path / "k.py").write_text(
        "import keras\n(x, y), _ = keras.datasets.imdb.load_data(None, 20000, 0, 100)\n"
        "m = keras.Sequential([keras.Input(shape=(None, x.shape[0])), keras.layers.LSTM(8)])\n")
    (rec,) = summary([str(tmp_path / "k.py")], tmp_path)
    assert rec["params"] is None
