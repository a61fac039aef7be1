"""Projects written in the styles real model code has (fairseq architectures, HuggingFace
configs, OpenNMT opts, AWD-LSTM, DeepSpeech, hydra apps, Keras examples), each run with the real
framework (``tests/torch_trace.py``, ``tests/keras_trace.py``): the truth the static counts are
held to.

* Every layer object the framework builds is one lstmlint reports, with its count among the
  counts lstmlint gives that call site, or lstmlint says that it does not know them.
* No wrong number: where lstmlint gives a call site's counts as certain (reached, every
  configuration known, no caller left unresolved), they are exactly the counts the run built there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import pytest

from .conftest import FIXTURES
from .test_idioms import built, summary
from .test_projects import summary_doc, summary_layers

ROOT = Path(__file__).resolve().parent.parent
STYLES = FIXTURES / "projects" / "styles"

#: (project, script, argv, tracer): the argv is the run without overrides unless marked
#: lightning_cli: ``add_model_specific_args`` + ``Model(**vars(args))``, sizes from a vocabulary
#:   file found with ``Path(__file__).parent / "data"``, a class attribute ``rnn_cls`` swapped in
#:   a subclass, a ``@property`` output size feeding the next layer
#: nmt_presets: dataclass presets made with ``replace``, a decorator registry filled by a module
#:   that ``__init__.py`` imports for its side effect, ``partial``/``lambda`` cell factories
#: keras_timeseries: a settings module beside the script imported from a package, Sequential in
#:   a loop, Conv1D/pooling before a GRU, encoder states, a subclassed model called on ``Input``
#: keras_text: custom layers in a functional graph (token + position embedding with ``keras.ops``,
#:   attention pooling), MultiHeadAttention, ``merge_mode="sum"``, ConvLSTM2D video model,
#:   ``RNN([LSTMCell, ...])``, SimpleRNN stacks
#: asr_ctc: YAML recipe found from ``__file__`` merged with argparse overrides, a NamedTuple with
#:   a property, a dataclass ``__post_init__`` making an Enum member, a dict of classes keyed by
#:   Enum members, conv arithmetic, ``rnn_cls`` passed through ``super().__init__(**kwargs)``
#: multimodal: class-attribute configs with ``setattr`` overrides, ``copy.deepcopy`` of a dict
#:   config changed in place, a template method ``build_rnn`` overridden by subclasses,
#:   ``nn.LSTM(**rnn_args)``, ``setattr(self, f"rnn_{d}", ...)``, ``nn.ModuleDict`` comprehension,
#:   ``string.ascii_lowercase``, a classmethod constructor, a dummy forward through a conv stack
#: keras_video: ``TimeDistributed(<functional frame encoder>)`` feeding an LSTM, ``TimeDistributed``
#:   Flatten/Dense before a Bidirectional LSTM, ConvLSTM1D with padding and strides
#: seq2seq_tutorial: the PyTorch tutorial's encoder/attention decoder, vocabularies counted from a
#:   text file while the recurrent sizes come from argparse
#: keras_tutorials: ``input_shape=`` on the first layer of a Sequential and ``model.build``,
#:   ``Input(batch_shape=...)`` with stateful LSTMs, a subclassed model holding a list of
#:   Bidirectional LSTMs called on data, RepeatVector seq2seq with a loop of decoder layers
#: forecast_zoo: a YAML file with anchors and merge keys found from ``__file__``, one model per
#:   section built through a module-level dict of classes, ``proj_size``, GRU cells of different
#:   widths from ``zip``, nested lists of ``nn.RNN(nonlinearity="relu")`` blocks
#: hydra_template: the lightning-hydra-template shape -- ``hydra.utils.instantiate(cfg.model)`` of a
#:   ``_target_`` module whose ``net`` is another ``_target_``, classes no Python file imports
#: keras_config_driven: layers made from dicts with ``getattr(layers, spec.pop("class_name"))``
#:   (a Bidirectional holding a nested spec), a shared LSTM in a Siamese model, a subclassed model
#:   that creates its layers in ``build``
#: torch_globals: options parsed at import time by ``options.py`` (``parse_known_args``), a
#:   pyramid of ``getattr(nn, opt.cell)`` layers, sizes read off another module's attribute
#: stanza_args: ``vars(args)`` merged over a defaults dict with a filtering comprehension, models
#:   that keep the dict and read ``self.args["..."]``, a property for the char model's output
#: yacs_overrides: a deep-copied default tree changed in place by a dotted-key merge of the
#:   command line's ``KEY VALUE`` pairs (none by default), a CRNN with a pooling arithmetic
#: sweep_json: a JSON list of layer specs found with ``Path(__file__).resolve().parent.parent``,
#:   ``getattr(nn, spec.pop("type"))(**spec)`` with ``proj_size``, ``bias=False``, relu RNNs
#: char_rnn: the vocabulary counted from a text file of the project, the LSTM arm not taken
#: keras_anomaly: an LSTM autoencoder sized from ``x_train.shape``, GRU without biases and with
#:   ``reset_after=False``, an unrolled SimpleRNN
#: forecast_lightning: Lightning's ``save_hyperparameters()`` read back through ``self.hparams``
#:   (``ignore=``, ``**kwargs``, ``hp.get``), a TOML run configuration read with ``tomllib``, the
#:   recurrent class looked up by ``cell_type``, a static-covariate encoder held by the model
#: tacotron_hparams: an ``HParams`` bag filled by ``self.__dict__.update(kwargs)`` and overridden
#:   from a comma-separated string (empty by default: ``filter(None, ...)``), CBHG modules with a
#:   bidirectional GRU used twice, a GRU cell handed to an attention wrapper that keeps it
#: gnmt_residual: argparse groups, a vocabulary file padded to a multiple of 8 (``--math fp16``),
#:   residual encoder/decoder stacks in ``ModuleList`` loops, a recurrent attention module
#: elmo_options: an options JSON named by an argparse default and opened inside a package module
#:   (relative to the script's folder), ``sum(f[1] for f in filters)``, forward/backward projected
#:   LSTM stacks (``proj_size``) added with ``add_module``
#: keras_ner: a functional BiLSTM-CNN tagger built from a helper (``char_encoder()``) --
#:   ``TimeDistributed(Bidirectional(LSTM))`` over characters, ``Concatenate``, ``merge_mode="sum"``
#:   -- vocabulary sizes counted from data files named with ``os.path`` from ``__file__``
#: keras_subclassed: ``keras.Model`` subclasses called on ``keras.Input``/``np.zeros`` -- the
#:   text-generation tutorial's model, a tagger of custom ``Layer`` blocks (a residual GRU, a
#:   bidirectional LSTM block) kept in a list
#: kws_dataclass: nested dataclass configs with factories, ``dataclasses.replace`` for a second
#:   experiment, a conv front end probed with ``torch.zeros`` to size the GRU/LSTM, a GRU-cell
#:   attention pool, a ReLU RNN
#: keras_cells: ``RNN(StackedRNNCells([...]))`` from a YAML spec, ``Bidirectional`` with a
#:   ``backward_layer`` of another size and ``merge_mode="ave"``, ``reset_after=False``,
#:   ``ConvLSTM1D`` with strides, a legacy ``Sequential`` with ``input_shape`` and ``use_bias=False``
#: textcls_zoo: Chinese-Text-Classification-style ``models/`` (no ``__init__.py``) with a
#:   ``Config`` per model file, each module loaded with ``import_module("models." + name)`` in a
#:   loop over a list, the vocabulary size set on the config after it is read from a file
#: espnet_rnn: espnet's ``RNNP`` (layers attached with ``setattr(self, "birnn%d" % i, ...)``), the
#:   VGG front end's output size from ``np.ceil(np.array(idim, dtype=np.float32) / 2)``, decoder
#:   cells appended to a ``ModuleList`` with ``+=``, argparse groups added by the model class
#: keras_functional_guide: the Keras functional API guide -- outputs given as a dict, a shared
#:   LSTM, ``TimeDistributed(Sequential)``, a model used as a layer of another model
#: keras_mlm_forecasting: one builder per architecture (vanilla, stacked, bidirectional, CNN-LSTM
#:   with ``TimeDistributed`` conv/pool/flatten, ConvLSTM2D, encoder-decoder with ``RepeatVector``,
#:   GRUs with ``reset_after=False``), ``input_shape`` on the first layer
#: torch_variants: variants registered by name in a dict (functions and a class registered with
#:   ``register(name)(cls)``), sized from a JSON settings file for every registered name:
#:   ``proj_size``, ``bias=False``, relu RNNs, cell stacks built from a cell class
#: torch_tutorials: the PyTorch tutorials' LSTM tagger and Bi-LSTM CRF (vocabularies counted from
#:   a data file in a loop), the names generator sized by ``len(string.ascii_letters) + 1``, the
#:   two hand-stacked LSTM cells of time-sequence prediction -- each script run with ``runpy``
#: dccrn_complex: DCCRN's speech enhancer -- ``[2] + kernel_num``, ``fft_len // 2 ** len(...)``,
#:   complex LSTMs (a real and an imaginary LSTM) stacked in a loop with conditional sizes and
#:   projections, an ``nn.Sequential`` of them, two configurations built by the script
#: keras_imdb_variants: one functional model per recurrent variant, chosen by an ``if`` chain on a
#:   ``kind`` string and built in a loop (each call its own model: ``recurrent_dropout``, ``unroll``,
#:   ``merge_mode="mul"``, a conv front end with strides and pooling)
#: recsys_sessions: GRU4Rec (the input size depends on an ``embedding_dim`` of -1), NARM, a
#:   hierarchical RNN with a user-level GRU cell, SR-GNN's gated step, a projected LSTM baseline,
#:   the item count read from a JSON file named by an argparse default
#: keras_music_attention: a stacked-LSTM music model sized by the pitches of a notes file
#:   (``sorted(set(...))``), an attention translator (a bidirectional GRU encoder, ``Attention``,
#:   ``Concatenate``, a SimpleRNN over the merged sequence)
#: ini_sweep: sizes from an INI file read with ``configparser`` (``getint``/``getboolean``, a section
#:   proxy handed to a builder, ``%(name)s`` interpolation, ``fallback=``), a star import of
#:   constants re-exported by a package, ``CELLS[cell](*rnn_args, ...)``, ``.to(device)`` on the
#:   model, and an ablation sweep over ``itertools.product``
#: src_layout: a ``src/`` package (found as ruff finds it: the project root's ``src`` folder) run by a
#:   script that puts ``src`` on ``sys.path``; sizes read off modules -- ``conv.out_channels`` of a
#:   ``ModuleList``, ``rnn.hidden_size``/``rnn.bidirectional``, ``embedding.embedding_dim`` -- through
#:   properties, a stack whose input size changes in the loop, ``map(int, s.split(","))``
#: layer_subclasses: subclasses of ``nn.LSTM``/``nn.GRU`` (``*args, **kwargs`` passed on, or an
#:   ``__init__`` of their own) whose ``self.hidden_size``/``self.bidirectional`` size what follows
#: keras_layer_subclasses: a subclass of ``layers.LSTM`` that keeps its ``call`` and a custom
#:   ``Layer`` holding a ``Bidirectional(GRU)``, in a functional model built in a loop
#: torch_registration: layers torch does not register -- a stack kept in a plain list, a plain dict,
#:   a layer built only to read a size from, an attribute assigned twice -- left out of the model
#:   totals as torch's ``parameters()`` leaves them out (LST405 on the plain containers)
#: keras_char_seq2seq: the Keras character-level translation example -- the two vocabularies are
#:   sets filled with ``.add`` from a tab-separated text file of the project, ``sorted(list(...))``
#: keras_subclassed_seq2seq: encoder/decoder ``keras.Model`` subclasses called on ``Input``s, a causal
#:   dilated Conv1D, ``GlobalMaxPooling1D(keepdims=True)``, ``Cropping1D``/``UpSampling1D``/``ZeroPadding1D``
#:   before a GRU
RUNS = [
    ("fairseq_arch", "main.py", [], "torch"),
    ("hf_config", "main.py", [], "torch"),
    ("onmt_opts", "main.py", [], "torch"),
    ("awd_lstm", "main.py", [], "torch"),
    ("deepspeech", "main.py", [], "torch"),
    ("hydra_app", "train.py", ["hydra.output_subdir=null", "hydra/job_logging=disabled",
                               "hydra/hydra_logging=disabled"], "torch"),
    ("keras_examples", "main.py", [], "keras"),
    ("lightning_cli", "train.py", [], "torch"),
    ("nmt_presets", "main.py", [], "torch"),
    ("keras_timeseries", "forecast.py", [], "keras"),
    ("keras_text", "train.py", [], "keras"),
    ("asr_ctc", "train.py", [], "torch"),
    ("multimodal", "run.py", [], "torch"),
    ("keras_video", "main.py", [], "keras"),
    ("seq2seq_tutorial", "train.py", [], "torch"),
    ("keras_tutorials", "main.py", [], "keras"),
    ("forecast_zoo", "run_all.py", [], "torch"),
    ("hydra_template", "train.py", ["hydra.output_subdir=null", "hydra/job_logging=disabled",
                                    "hydra/hydra_logging=disabled"], "torch"),
    ("keras_config_driven", "main.py", [], "keras"),
    ("torch_globals", "train.py", [], "torch"),
    ("stanza_args", "run_tagger.py", [], "torch"),
    ("yacs_overrides", "train_net.py", [], "torch"),
    ("sweep_json", "sweep.py", [], "torch"),
    ("char_rnn", "train.py", [], "torch"),
    ("keras_anomaly", "main.py", [], "keras"),
    ("forecast_lightning", "train.py", [], "torch"),
    ("tacotron_hparams", "train.py", [], "torch"),
    ("gnmt_residual", "train.py", [], "torch"),
    ("elmo_options", "embed.py", [], "torch"),
    ("keras_ner", "train.py", [], "keras"),
    ("keras_subclassed", "main.py", [], "keras"),
    ("kws_dataclass", "train.py", [], "torch"),
    ("keras_cells", "main.py", [], "keras"),
    ("textcls_zoo", "run.py", [], "torch"),
    ("espnet_rnn", "asr_train.py", [], "torch"),
    ("keras_functional_guide", "main.py", [], "keras"),
    ("keras_mlm_forecasting", "run.py", [], "keras"),
    ("torch_variants", "bench.py", [], "torch"),
    ("torch_tutorials", "run_all.py", [], "torch"),
    ("dccrn_complex", "train.py", [], "torch"),
    ("keras_imdb_variants", "imdb_models.py", [], "keras"),
    ("recsys_sessions", "main.py", [], "torch"),
    ("keras_music_attention", "music.py", [], "keras"),
    ("ini_sweep", "train.py", [], "torch"),
    ("src_layout", "run.py", [], "torch"),
    ("layer_subclasses", "train.py", [], "torch"),
    ("keras_layer_subclasses", "main.py", [], "keras"),
    ("torch_registration", "main.py", [], "torch"),
    ("keras_char_seq2seq", "seq2seq.py", [], "keras"),
    ("keras_subclassed_seq2seq", "main.py", [], "keras"),
]


def trace(project: str, script: str, argv: list[str], tracer: str, tmp: Path,
          folder: Optional[Path] = None) -> dict[str, Any]:
    """What the run built: ``layers`` (site, class, params) and, for torch, ``models`` (each
    object of a project model class with the recurrent parameters inside it)."""
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    if project.startswith("hydra"):
        argv = [*argv, f"hydra.run.dir={tmp}"]
    r = subprocess.run([sys.executable, str(ROOT / "tests" / f"{tracer}_trace.py"), script, *argv],
                       cwd=folder or STYLES / project, capture_output=True, text=True, timeout=600, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    truth = json.loads(r.stdout.splitlines()[-1])
    if isinstance(truth, list):
        truth = {"layers": truth}
    assert truth["layers"], "the run built no recurrent layer"
    return truth


@pytest.mark.parametrize("project,script,argv,tracer", RUNS, ids=[r[0] for r in RUNS])
def test_counts_are_what_the_framework_builds(project: str, script: str, argv: list[str], tracer: str,
                                              tmp_path: Path) -> None:
    pytest.importorskip("torch")
    if tracer == "keras":
        pytest.importorskip("keras")
    if project.startswith("hydra"):
        pytest.importorskip("hydra")
    if "lightning" in project:
        pytest.importorskip("lightning")
    run = trace(project, script, argv, tracer, tmp_path)
    truth = run["layers"]
    folder = STYLES / project
    doc = summary_doc([str(folder)], ROOT)
    layers = summary_layers(doc, ROOT)
    truth_at: dict[tuple[str, int, str], list[int]] = {}
    for t in truth:
        truth_at.setdefault((t["path"], t["line"], t["layer"]), []).append(t["params"])
    for (path, line, layer), counts in truth_at.items():
        recs = [x for x in layers if x["path"] == str(folder / path) and x["line"] == line and x["layer"] == layer]
        assert len(recs) == 1, (path, line, layer, "not reported")
        rec = recs[0]
        known = [c for c in built(rec) if c is not None]
        certain = rec["reached"] and rec["params"] is not None and not rec["unknown_configurations"]
        # every size of these projects is in their code and data files: a careful reader knows them
        assert certain, (path, line, layer, rec["unresolved"], rec["unresolved_callers"], rec["unknown_reasons"])
        if certain:
            # exactly the layers the run built there: same counts, none missing, none extra
            assert sorted(set(known)) == sorted(set(counts)), (path, line, layer, known, counts)
        else:
            assert all(c in known for c in counts) or len(known) < len(built(rec)) + rec["unknown_configurations"], \
                (path, line, layer, rec)
    # and no certain count for a layer the run never built (a default branch, a class nobody builds)
    for rec in layers:
        certain = rec["reached"] and rec["params"] is not None and not rec["unknown_configurations"]
        where = (os.path.relpath(rec["path"], folder), rec["line"], rec["layer"])
        assert not certain or where in truth_at, (where, "certain, but the run never built it")
    if "models" in run:  # model totals: the largest object of each model class, sub-models included
        per_class: dict[str, int] = {}
        for m in run["models"]:
            per_class[m["model"]] = max(per_class.get(m["model"], 0), m["params"])
        models = {os.path.relpath(m["model"].partition("::")[0], folder) + "::" + m["model"].partition("::")[2]: m
                  for m in doc["models"]}
        for label, m in models.items():
            if m["params"] is not None and label in per_class:
                assert m["params"] == per_class[label], (label, m, per_class[label])
        missing = [label for label in per_class if label not in models]
        assert not missing, ("model classes the run built, with recurrent layers, not reported", missing)


def test_each_model_object_is_one_configuration() -> None:
    """DeepSpeech builds five ``BatchRNN`` objects (one from the first call, four from a
    generator): each ``BatchRNN`` is one configuration of that model, never four layers summed
    into one; the layer budget sees the largest layer whichever configuration holds it."""
    folder = STYLES / "deepspeech"
    rec = next(x for x in summary([str(folder)], ROOT) if x["line"] == 41)
    per_config = sorted(c["params"] for c in rec["all_configurations"])
    assert per_config == [16_793_600, 19_152_896]
    assert rec["params"] == 19_152_896


def test_fairseq_architectures_and_suppressed_defaults() -> None:
    """``@register_model`` / ``@register_model_architecture`` registries reached from a ``main.py``
    that never names a layer, and model arguments added with ``argument_default=SUPPRESS`` (absent
    from the namespace, so ``getattr(args, "x", default)`` takes the architecture's default)."""
    folder = STYLES / "fairseq_arch"
    rec = next(x for x in summary([str(folder)], ROOT) if x["layer"] == "LSTM")
    assert rec["params"] == 2_101_248 and rec["reached"] and not rec["unknown_configurations"]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_a_class_chosen_by_a_conditional_expression_is_never_absent(tmp_path: Path) -> None:
    """``rnn = nn.LSTM if name == "lstm" else nn.GRU; rnn(...)``: with ``name`` not known the call
    builds one of the two; it is reported as both candidates, never dropped."""
    _write(tmp_path, {"m.py": "import torch.nn as nn\n\n\nclass Enc(nn.Module):\n"
                              "    def __init__(self, name, hidden=32):\n        super().__init__()\n"
                              "        rnn = nn.LSTM if name == 'lstm' else nn.GRU\n"
                              "        self.rnn = rnn(16, hidden)\n"})
    layers = summary([str(tmp_path / "m.py")], tmp_path)
    assert sorted((x["layer"], x["params"]) for x in layers) == [("GRU", 4800), ("LSTM", 6400)]
    assert all(x["chosen_at_run_time"]["candidates"] == ["LSTM", "GRU"] for x in layers)


def test_attribute_mappings_are_read_by_key_and_by_attribute(tmp_path: Path) -> None:
    """OmegaConf / EasyDict configs: ``cfg.model.hidden`` is ``cfg["model"]["hidden"]``, nested
    mappings included; a key that is not there is unknown, never a default."""
    _write(tmp_path, {
        "conf.yaml": "model:\n  hidden: 48\n  layers: 2\n",
        "m.py": "import torch.nn as nn\nfrom easydict import EasyDict\nfrom omegaconf import OmegaConf\n\n"
                "cfg = OmegaConf.load('conf.yaml')\nE = EasyDict({'enc': {'hidden': 24}})\nE.enc.hidden = 40\n"
                "a = nn.LSTM(8, cfg.model.hidden, cfg['model'].layers)\nb = nn.GRU(8, E.enc.hidden)\n"
                "c = nn.GRU(8, cfg.model.width)\nd = nn.GRU(8, getattr(E.enc, 'width', 12))\n"})
    (tmp_path / ".git").mkdir()
    layers = {x["line"]: x for x in summary([str(tmp_path / "m.py")], tmp_path)}
    assert layers[8]["params"] == 4 * (8 * 48 + 48 * 48 + 2 * 48) + 4 * (48 * 48 + 48 * 48 + 2 * 48)
    assert layers[9]["params"] == 3 * (8 * 40 + 40 * 40 + 2 * 40)
    assert layers[10]["params"] is None
    assert "`width` is not a key of" in layers[10]["unresolved"][0]["reason"]
    assert layers[11]["params"] == 3 * (8 * 12 + 12 * 12 + 2 * 12)  # getattr's default: no such key


@pytest.mark.parametrize("config,expect", [
    # the defaults list: a group option under its key, `_self_` last, an interpolation
    ({"conf/config.yaml": "defaults:\n  - enc: big\nhidden_in: 12\n",
      "conf/enc/big.yaml": "size: 64\nin_dim: ${hidden_in}\n"}, 3 * (12 * 64 + 64 * 64 + 2 * 64)),
    # `# @package _global_` and `group@pkg`
    ({"conf/config.yaml": "defaults:\n  - enc@enc: small\n  - extra: g\nhidden_in: 4\n",
      "conf/enc/small.yaml": "size: 8\nin_dim: 4\n", "conf/extra/g.yaml": "# @package _global_\nhidden_in: 4\n"},
     3 * (4 * 8 + 8 * 8 + 2 * 8)),
    # the primary config overrides what its defaults set (`_self_` implicitly last)
    ({"conf/config.yaml": "defaults:\n  - enc: big\nenc:\n  size: 10\n",
      "conf/enc/big.yaml": "size: 64\nin_dim: 2\n"}, 3 * (2 * 10 + 10 * 10 + 2 * 10)),
    # a value required on the command line, a config only in ConfigStore: unknown
    ({"conf/config.yaml": "enc:\n  size: ???\n  in_dim: 3\n"}, None),
    ({"conf/other.yaml": "enc: {size: 3, in_dim: 3}\n"}, None),
])
def test_hydra_main_gets_the_composed_config(tmp_path: Path, config: dict[str, str], expect: int | None) -> None:
    _write(tmp_path, {**config, "app.py": "import hydra\nimport torch.nn as nn\n\n\n"
                                          "@hydra.main(version_base=None, config_path='conf', config_name='config')\n"
                                          "def main(cfg):\n    rnn = nn.GRU(cfg.enc.in_dim, cfg.enc.size)\n\n\n"
                                          "if __name__ == '__main__':\n    main()\n"})
    (tmp_path / ".git").mkdir()
    (rec,) = summary([str(tmp_path / "app.py")], tmp_path)
    assert rec["params"] == expect, rec["unresolved"]
    if expect is None:
        assert rec["unresolved"]


def test_a_model_total_is_the_largest_model_object_not_a_sum_of_alternatives(tmp_path: Path) -> None:
    """``RnnLmModel`` is built once with an LSTM (2,367,488) and once with a GRU (4,334,592) at the
    same call: no object has both, so the model has 4,334,592 parameters, not 6,702,080."""
    cfg = tmp_path / "budget.yaml"
    cfg.write_text("budgets:\n  model: 4_400_000\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "lstmlint", "check", "--no-cache", "--config", str(cfg), "hf_config"],
                       cwd=STYLES, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stdout
    cfg.write_text("budgets:\n  model: 4_300_000\n")
    r = subprocess.run([sys.executable, "-m", "lstmlint", "check", "--no-cache", "--config", str(cfg), "hf_config"],
                       cwd=STYLES, capture_output=True, text=True, env=env, timeout=120)
    assert "LST102 model `RnnLmModel` has 4,334,592 parameters" in r.stdout, r.stdout


NESTED = {
    "pyproject.toml": "",
    "rnn.py": "import torch.nn as nn\n\n\nclass BatchRNN(nn.Module):\n"
              "    def __init__(self, input_size, hidden_size, rnn_type=nn.LSTM):\n        super().__init__()\n"
              "        self.rnn = rnn_type(input_size, hidden_size, bidirectional=True)\n",
    "model.py": "import torch.nn as nn\nfrom rnn import BatchRNN\n\n\nclass Head(nn.Module):\n"
                "    def __init__(self, module):\n        super().__init__()\n        self.module = module\n\n\n"
                "class DeepSpeech(nn.Module):\n    def __init__(self, hidden=256, layers=3):\n        super().__init__()\n"
                "        rnns = [BatchRNN(128, hidden)]\n        for _ in range(layers - 1):\n"
                "            rnns.append(BatchRNN(2 * hidden, hidden))\n        self.rnns = nn.Sequential(*rnns)\n"
                "        self.head = Head(nn.GRU(2 * hidden, 64))\n",
    "main.py": "from model import DeepSpeech\n\nmodel = DeepSpeech()\n",
}


def test_a_model_built_from_sub_models_has_their_total(tmp_path: Path) -> None:
    """``DeepSpeech`` writes no LSTM itself: its three ``BatchRNN`` objects (in another file) and
    the GRU it hands to ``Head`` are its recurrent parameters -- the count torch gives -- and its
    budget is checked on that total; each class keeps its own total too."""
    _write(tmp_path, NESTED)
    run = trace("", "main.py", [], "torch", tmp_path, folder=tmp_path)
    truth = {m["model"]: m["params"] for m in run["models"]}
    doc = summary_doc(["."], tmp_path)
    totals = {os.path.relpath(m["model"].partition("::")[0], tmp_path) + "::" + m["model"].partition("::")[2]:
              m["params"] for m in doc["models"]}
    assert totals["model.py::DeepSpeech"] == truth["model.py::DeepSpeech"] == 4_055_424
    assert totals["rnn.py::BatchRNN"] == 1_576_960 and totals["model.py::Head"] == truth["model.py::Head"]
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  model: 4_000_000\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "lstmlint", "check", "--no-cache", "."], cwd=tmp_path,
                       capture_output=True, text=True, env=env, timeout=120)
    assert "model.py:18:26: LST102 model `DeepSpeech` has 4,055,424 parameters" in r.stdout, r.stdout
    assert "`BatchRNN` has" not in r.stdout  # 1,576,960 at most: within the budget
    summary_text = subprocess.run([sys.executable, "-m", "lstmlint", "summary", "--no-cache", "."], cwd=tmp_path,
                                  capture_output=True, text=True, env=env, timeout=120).stdout
    assert "Model: model.py::DeepSpeech" in summary_text and "total recurrent params: 4,055,424" in summary_text


def test_a_sub_model_total_is_never_partial(tmp_path: Path) -> None:
    """Linting ``rnn.py`` alone (a pre-commit run): ``DeepSpeech``'s GRU is in a file not linted,
    so no total is given for ``DeepSpeech`` -- never one without that GRU."""
    _write(tmp_path, NESTED)
    doc = summary_doc(["rnn.py"], tmp_path)
    totals = {m["model"].rpartition("::")[2]: m["params"] for m in doc["models"]}
    assert totals == {"BatchRNN": 1_576_960, "DeepSpeech": None}, doc["models"]


def test_a_sub_model_held_by_two_models_leaves_the_second_total_unknown(tmp_path: Path) -> None:
    """``enc`` is kept by a ``Tagger`` and by a ``Parser`` (torch counts it in both), and a layer
    built outside any model is kept in the ``Tagger``'s ``nn.ModuleList``: the ``Tagger`` has the
    count torch gives; the ``Parser``, whose encoder lstmlint keeps with the ``Tagger``, has no
    total -- never its own GRU alone."""
    _write(tmp_path, {
        "pyproject.toml": "",
        "main.py": "import torch.nn as nn\n\nfrom m import Encoder, Parser, Tagger\n\n"
                   "enc = Encoder()\nside = nn.LSTM(4, 4)\ntagger = Tagger(enc, side)\nparser = Parser(enc)\n",
        "m.py": "import torch.nn as nn\n\n\nclass Encoder(nn.Module):\n    def __init__(self, h=32):\n"
                "        super().__init__()\n        self.rnn = nn.LSTM(h, h)\n\n\n"
                "class Tagger(nn.Module):\n    def __init__(self, encoder, extra):\n        super().__init__()\n"
                "        self.encoder = encoder\n        self.extras = nn.ModuleList([extra])\n"
                "        self.head = nn.GRU(32, 16)\n\n\n"
                "class Parser(nn.Module):\n    def __init__(self, encoder):\n        super().__init__()\n"
                "        self.encoder = encoder\n        self.arc = nn.GRU(32, 8)\n",
    })
    truth = {m["model"]: m["params"] for m in trace("", "main.py", [], "torch", tmp_path, folder=tmp_path)["models"]}
    totals = {m["model"].rpartition("::")[2]: m for m in summary_doc(["."], tmp_path)["models"]}
    assert totals["Tagger"]["params"] == truth["m.py::Tagger"] == 11_008
    assert truth["m.py::Parser"] == 9_456 and totals["Parser"]["params"] is None
    assert totals["Parser"]["part_of_another_model"] is False


def test_a_sub_model_counts_only_where_torch_registers_it(tmp_path: Path) -> None:
    """An ``Enc()`` built in ``__init__`` only to read its ``out_dim`` (never kept), ``Enc``s
    appended to an ``nn.ModuleList``, ``Enc``s kept in a plain list (torch does not register
    those), ``Enc``s given to ``add_module``: each model's total is what torch counts."""
    _write(tmp_path, {
        "pyproject.toml": "",
        "nets.py": "import torch.nn as nn\n\n\nclass Enc(nn.Module):\n    def __init__(self):\n"
                   "        super().__init__()\n        self.rnn = nn.LSTM(8, 8)\n        self.out_dim = 8\n\n\n"
                   "class Probed(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                   "        probe = Enc()\n        self.head = nn.GRU(probe.out_dim, 4)\n\n\n"
                   "class Appended(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                   "        self.blocks = nn.ModuleList()\n        for _ in range(2):\n"
                   "            self.blocks.append(Enc())\n        self.head = nn.GRU(8, 4)\n\n\n"
                   "class PlainList(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                   "        self.blocks = [Enc(), Enc()]\n        self.head = nn.GRU(8, 4)\n\n\n"
                   "class Added(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                   "        for i in range(3):\n            self.add_module(f'enc{i}', Enc())\n",
        "main.py": "from nets import Added, Appended, PlainList, Probed\n\n"
                   "models = [Probed(), Appended(), PlainList(), Added()]\n",
    })
    truth = {m["model"]: m["params"] for m in trace("", "main.py", [], "torch", tmp_path, folder=tmp_path)["models"]}
    totals = {m["model"].rpartition("::")[2]: m["params"] for m in summary_doc(["."], tmp_path)["models"]}
    assert totals["Probed"] == truth["nets.py::Probed"] == 168
    assert totals["Appended"] == truth["nets.py::Appended"] == 1_320
    assert totals["PlainList"] == truth["nets.py::PlainList"] == 168
    assert totals["Added"] == truth["nets.py::Added"] == 1_728


def test_suppressed_argparse_defaults_leave_the_attribute_unset(tmp_path: Path) -> None:
    """``argparse.SUPPRESS`` (per argument or as the parser's ``argument_default``): the option is
    not on the namespace unless given, so ``getattr(args, name, default)`` takes the default."""
    _write(tmp_path, {"m.py": "import argparse\nimport torch.nn as nn\n\n"
                              "p = argparse.ArgumentParser(argument_default=argparse.SUPPRESS)\n"
                              "p.add_argument('--hidden', type=int)\n"
                              "q = argparse.ArgumentParser()\n"
                              "q.add_argument('--layers', type=int, default=argparse.SUPPRESS)\n"
                              "q.add_argument('--inp', type=int, default=6)\n"
                              "a, b = p.parse_args(), q.parse_args()\n"
                              "r = nn.LSTM(b.inp, getattr(a, 'hidden', 20), getattr(b, 'layers', 2))\n"
                              "s = nn.GRU(b.inp, a.hidden)\n"})
    layers = {x["line"]: x for x in summary([str(tmp_path / "m.py")], tmp_path)}
    assert layers[10]["params"] == 4 * (6 * 20 + 20 * 20 + 40) + 4 * (20 * 20 + 20 * 20 + 40)
    assert layers[11]["params"] is None


def test_paths_built_from_file_name_the_projects_data_files(tmp_path: Path) -> None:
    """``__file__`` is the module's own file: ``os.path.join(os.path.dirname(__file__), ...)`` and
    ``Path(__file__).parent / ...`` name data files of the project wherever it is checked out.
    What depends on the working directory (``Path("x").resolve()``) or lies outside the project
    stays unknown."""
    _write(tmp_path, {
        "pkg/conf/model.json": '{"hidden": 40, "layers": 2}',
        "pkg/__init__.py": "",
        "pkg/m.py": "import json\nimport os\nfrom pathlib import Path\n\nimport torch.nn as nn\n\n"
                    "HERE = os.path.dirname(os.path.abspath(__file__))\n"
                    "with open(os.path.join(HERE, 'conf', 'model.json')) as f:\n    A = json.load(f)\n"
                    "B = json.loads((Path(__file__).resolve().parent / 'conf' / 'model.json').read_text())\n"
                    "C = json.load(open(Path('conf/model.json').resolve()))\n"
                    "D = json.load(open(Path(__file__).parents[2] / 'elsewhere.json'))\n"
                    "a = nn.LSTM(8, A['hidden'], A['layers'])\n"
                    "b = nn.GRU(8, B['hidden'])\n"
                    "c = nn.GRU(8, C['hidden'])\n"
                    "d = nn.GRU(8, D['hidden'])\n"})
    (tmp_path / ".git").mkdir()
    layers = {x["line"]: x for x in summary([str(tmp_path / "pkg" / "m.py")], tmp_path)}
    assert layers[13]["params"] == 4 * (8 * 40 + 40 * 40 + 80) + 4 * (40 * 40 + 40 * 40 + 80)
    assert layers[14]["params"] == 3 * (8 * 40 + 40 * 40 + 80)
    assert layers[15]["params"] is None
    assert "working directory" in layers[15]["unresolved"][0]["reason"]
    assert layers[16]["params"] is None
    assert "`elsewhere.json` is a file outside the project" in layers[16]["unresolved"][0]["reason"]
    # reasons name paths as the project does, never by where it is checked out
    reasons = [u["reason"] for x in layers.values() for u in x["unresolved"]]
    assert reasons and not any(str(tmp_path) in r for r in reasons), reasons


def test_a_registry_filled_by_a_module_imported_for_its_side_effect(tmp_path: Path) -> None:
    """``nmt/__init__.py`` imports ``models`` only so that its ``@register_model`` classes fill
    ``MODEL_REGISTRY``; ``main.py`` (which names no layer) builds through ``build_model``.  The
    helper that builds the layer gives one configuration per model object (each ``Encoder``)."""
    _write(tmp_path, {
        "nmt/__init__.py": "from . import models  # noqa: F401\nfrom .registry import build_model\n",
        "nmt/registry.py": "MODELS = {}\n\n\ndef register_model(name):\n    def wrap(cls):\n"
                           "        MODELS[name] = cls\n        return cls\n    return wrap\n\n\n"
                           "def build_model(name, **kw):\n    return MODELS[name](**kw)\n",
        "nmt/cells.py": "import torch.nn as nn\n\nCELLS = {'gru': lambda i, h, **kw: nn.GRU(i, h, **kw)}\n\n\n"
                        "def make_rnn(cell, i, h, **kw):\n    return CELLS[cell](i, h, **kw)\n",
        "nmt/models.py": "import torch.nn as nn\n\nfrom .cells import make_rnn\nfrom .registry import register_model\n\n\n"
                         "class Encoder(nn.Module):\n    def __init__(self, hidden):\n        super().__init__()\n"
                         "        self.rnn = make_rnn('gru', 8, hidden, num_layers=2)\n\n\n"
                         "@register_model('enc')\nclass Model(nn.Module):\n    def __init__(self, hidden=16):\n"
                         "        super().__init__()\n        self.enc = Encoder(hidden)\n",
        "main.py": "from nmt import build_model\n\nfor h in (16, 32):\n    build_model('enc', hidden=h)\n",
    })
    (tmp_path / ".git").mkdir()
    (rec,) = summary([str(tmp_path)], tmp_path)
    gru2 = [3 * (8 * h + h * h + 2 * h) + 3 * (h * h + h * h + 2 * h) for h in (16, 32)]
    assert sorted(c["params"] for c in rec["all_configurations"]) == gru2  # never their sum
    assert rec["params"] == gru2[1] and rec["reached"] and not rec["unknown_configurations"]


@pytest.mark.parametrize("call,expect", [
    # a custom layer: embedding of the tokens + embedding of the positions (no batch axis)
    ("ops.add(self.tok(x), self.pos(ops.arange(0, ops.shape(x)[-1], 1)))", 3 * (16 * 8 + 8 * 8 + 2 * 8)),
    ("self.tok(x) * ops.expand_dims(ops.sum(self.tok(x), axis=-1), -1)", 3 * (16 * 8 + 8 * 8 + 2 * 8)),
    ("ops.mean(self.tok(x), axis=1, keepdims=True) + self.tok(x)", 3 * (16 * 8 + 8 * 8 + 2 * 8)),
    # shapes that do not broadcast, a reduction over the batch axis, an op not followed: unknown
    ("self.tok(x) + self.pos(ops.arange(0, 7, 1))", None),
    ("ops.sum(self.tok(x), axis=0)", None),
    ("ops.einsum('btd->btd', self.tok(x))", None),
])
def test_keras_ops_in_a_custom_layer_give_the_shape_the_next_layer_sees(tmp_path: Path, call: str,
                                                                          expect: Optional[int]) -> None:
    _write(tmp_path, {"m.py": "import keras\nfrom keras import layers, ops\n\n\n"
                              "class Emb(layers.Layer):\n    def __init__(self):\n        super().__init__()\n"
                              "        self.tok = layers.Embedding(100, 16)\n        self.pos = layers.Embedding(12, 16)\n\n"
                              f"    def call(self, x):\n        return {call}\n\n\n"
                              "inp = keras.Input(shape=(12,))\nout = layers.GRU(8)(Emb()(inp))\n"
                              "model = keras.Model(inp, out)\n"})
    (tmp_path / ".git").mkdir()
    (rec,) = summary([str(tmp_path / "m.py")], tmp_path)
    assert rec["params"] == expect, rec["unresolved"]


def test_enum_members_are_dict_keys(tmp_path: Path) -> None:
    """``RNN_CLASSES = {Cell.LSTM: nn.LSTM, ...}`` looked up with a member (or ``Cell("gru")``)."""
    _write(tmp_path, {"m.py": "from enum import Enum\n\nimport torch.nn as nn\n\n\nclass Cell(Enum):\n"
                              "    LSTM = 'lstm'\n    GRU = 'gru'\n\n\n"
                              "CLASSES = {Cell.LSTM: nn.LSTM, Cell.GRU: nn.GRU}\nSIZES = {Cell.GRU: 12}\n"
                              "a = CLASSES[Cell('gru')](SIZES[Cell.GRU], 20)\n"})
    (rec,) = summary([str(tmp_path / "m.py")], tmp_path)
    assert (rec["layer"], rec["params"]) == ("GRU", 3 * (12 * 20 + 20 * 20 + 40))


_CONV_STACK = ("nn.Sequential(nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU(), "
               "nn.MaxPool2d((2, 1)), nn.Conv2d(8, 16, kernel_size=(3, 3), padding='same'), nn.Dropout(0.1))")


@pytest.mark.parametrize("stack,probe,expect_in", [
    # the CRNN idiom: features(zeros) -> channels x frequency bins feed the RNN
    (_CONV_STACK, "o = self.features(torch.zeros(1, 1, 40, 100))\n        n = o.shape[1] * o.shape[2]", 16 * 10),
    (_CONV_STACK, "n = self.features(torch.rand(1, *(1, 40, 100))).view(1, -1).size(1) // 50", 16 * 10),
    ("nn.Sequential(OrderedDict([('c', nn.Conv1d(40, 24, 5)), ('p', nn.AdaptiveAvgPool1d(7)), ('f', nn.Flatten())]))",
     "n = self.features(torch.zeros(2, 40, 100)).size(-1)", 24 * 7),
    # torch would fail (3 channels given to a 1-channel conv): never a size
    (_CONV_STACK, "n = self.features(torch.zeros(1, 3, 40, 100)).shape[1]", None),
    # a module lstmlint does not follow
    ("nn.Sequential(nn.Conv2d(1, 8, 3), nn.Upsample(scale_factor=2))",
     "n = self.features(torch.zeros(1, 1, 40, 100)).shape[1]", None),
    # arguments not known statically (a `stride=2` in there would change the shape): no size
    ("nn.Sequential(nn.Conv2d(1, 8, 3, **self.conv_kw))",
     "n = self.features(torch.zeros(1, 1, 40, 100)).shape[1]", None),
])
def test_a_dummy_forward_through_a_conv_stack_sizes_the_rnn(tmp_path: Path, stack: str, probe: str,
                                                           expect_in: Optional[int]) -> None:
    _write(tmp_path, {"m.py": "from collections import OrderedDict\n\nimport torch\nimport torch.nn as nn\n\n\n"
                              "class CRNN(nn.Module):\n    def __init__(self, hidden=32):\n        super().__init__()\n"
                              f"        self.features = {stack}\n"
                              f"        with torch.no_grad():\n            {probe}\n"
                              "        self.rnn = nn.GRU(n, hidden)\n\n\nmodel = CRNN()\n"})
    (tmp_path / ".git").mkdir()
    (rec,) = summary([str(tmp_path / "m.py")], tmp_path)
    expect = None if expect_in is None else 3 * (expect_in * 32 + 32 * 32 + 64)
    assert rec["params"] == expect, rec["unresolved"]


def test_a_constructor_behind_a_wrapper_is_unknown_never_not_reached(tmp_path: Path) -> None:
    """``@validated()`` (gluonts) wraps ``__init__``: callers run the wrapper.  When lstmlint cannot
    follow the wrapper into the constructor, the layer is built all the same at run time: its
    sizes are unknown with that reason (LST201 under a budget), never "not reached"."""
    _write(tmp_path, {"m.py": "import functools\n\nimport torch.nn as nn\n\n\n"
                              "def validated(fn):\n    @functools.wraps(fn)\n    def wrapper(self, *args, **kwargs):\n"
                              "        return getattr(fn, '__wrapped__', fn)(self, *args, **kwargs)\n    return wrapper\n\n\n"
                              "class Model(nn.Module):\n    @validated\n    def __init__(self, hidden=32):\n"
                              "        super().__init__()\n        self.rnn = nn.LSTM(8, hidden)\n\n\n"
                              "m = Model(hidden=64)\n"})
    (rec,) = summary([str(tmp_path / "m.py")], tmp_path)
    assert rec["params"] is None and rec["reached"]
    assert "wrapped by the decorator `@validated`" in rec["unresolved"][0]["reason"]


@pytest.mark.parametrize("use,expect_in", [
    ("x = layers.TimeDistributed(enc)(inp)", 24),
    ("x = layers.Reshape((5, 24))(enc(layers.Reshape((40, 3))(inp)))", 24),  # the model called on a tensor
    # the model was built for (8, 3) inputs: on (6, 3) per step Keras raises ValueError -- no size
    ("x = layers.TimeDistributed(small)(keras.Input(shape=(5, 6, 3)))", None),
])
def test_a_functional_model_used_as_a_layer(tmp_path: Path, use: str, expect_in: Optional[int]) -> None:
    _write(tmp_path, {"m.py": "import keras\nfrom keras import layers\n\n"
                              "def encoder(shape):\n    i = keras.Input(shape=shape)\n"
                              "    o = layers.GlobalAveragePooling1D()(layers.Conv1D(24, 3)(i))\n"
                              "    return keras.Model(i, o)\n\n"
                              "enc, small = encoder((None, 3)), encoder((8, 3))\n"
                              "inp = keras.Input(shape=(5, 8, 3))\n"
                              f"{use}\nout = layers.GRU(16)(x)\nmodel = keras.Model(inp, out)\n"})
    (tmp_path / ".git").mkdir()
    (rec,) = summary([str(tmp_path / "m.py")], tmp_path)
    expect = None if expect_in is None else 3 * (expect_in * 16 + 16 * 16 + 2 * 16)
    assert rec["params"] == expect, rec["unresolved"]


def test_callers_through_a_module_level_dict_of_classes(tmp_path: Path) -> None:
    """``MODELS = {"small": Tagger}`` and ``build(name)`` looking it up: ``main.py`` (which names
    no layer) builds ``Tagger`` through the dict with its own sizes.  Without following the dict,
    ``Tagger``'s defaults would be reported as the only configuration -- a wrong number."""
    _write(tmp_path, {
        "pkg/__init__.py": "from .models import build\n",
        "pkg/models.py": "import torch.nn as nn\n\n\nclass Tagger(nn.Module):\n"
                         "    def __init__(self, emb=16, hidden=32):\n        super().__init__()\n"
                         "        self.rnn = nn.LSTM(emb, hidden)\n\n\n"
                         "MODELS = {\n    'tagger': Tagger,\n}\n\n\n"
                         "def build(name, **kw):\n    return MODELS[name](**kw)\n",
        "main.py": "from pkg import build\n\nif __name__ == '__main__':\n    build('tagger', emb=100, hidden=256)\n",
    })
    (tmp_path / ".git").mkdir()
    (rec,) = summary([str(tmp_path / "pkg" / "models.py")], tmp_path)
    assert rec["params"] == 4 * (100 * 256 + 256 * 256 + 512) and not rec["unknown_configurations"], rec


def test_classes_named_by_hydra_targets_are_never_their_defaults_alone(tmp_path: Path) -> None:
    """A class that a ``_target_:`` of the project's YAML files names is built by hydra's
    ``instantiate`` with the sizes written there.  Followed, that is its configuration; not
    followed (no ``@hydra.main`` app here), its defaults are not reported as the only one."""
    _write(tmp_path, {
        "configs/model/big.yaml": "_target_: nets.rnn.Encoder\nhidden: 512\n",
        "nets/__init__.py": "",
        "nets/rnn.py": "import torch.nn as nn\n\n\nclass Encoder(nn.Module):\n"
                       "    def __init__(self, hidden=16):\n        super().__init__()\n"
                       "        self.rnn = nn.GRU(8, hidden)\n",
    })
    (tmp_path / ".git").mkdir()
    (rec,) = summary([str(tmp_path)], tmp_path)
    assert rec["unknown_configurations"] == 1 and rec["unresolved_callers"] == 1
    r = subprocess.run([sys.executable, "-m", "lstmlint", "summary", "--no-cache", "."], cwd=tmp_path,
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert "`_target_` of nets.rnn.Encoder in configs/model/big.yaml" in r.stdout, r.stdout


def test_library_constructors_add_a_configuration_of_unknown_sizes(tmp_path: Path) -> None:
    """``RNNModel.from_pretrained("ckpt")`` (HuggingFace), ``load_from_checkpoint`` (Lightning):
    the library builds the project's class from what a checkpoint holds -- another configuration
    whose sizes are not known, so the one built in the code is not the only one."""
    _write(tmp_path, {"m.py": "import torch.nn as nn\nfrom transformers import PretrainedConfig, PreTrainedModel\n\n\n"
                              "class Cfg(PretrainedConfig):\n    def __init__(self, hidden=32, **kwargs):\n"
                              "        self.hidden = hidden\n        super().__init__(**kwargs)\n\n\n"
                              "class M(PreTrainedModel):\n    def __init__(self, config):\n        super().__init__(config)\n"
                              "        self.rnn = nn.GRU(8, config.hidden)\n\n\n"
                              "a = M(Cfg(hidden=64))\nb = M.from_pretrained('./ckpt')\n"})
    (rec,) = summary([str(tmp_path / "m.py")], tmp_path)
    assert rec["params"] == 3 * (8 * 64 + 64 * 64 + 128) and rec["unknown_configurations"] == 1


def test_a_changed_or_new_hydra_config_is_never_answered_from_the_cache(tmp_path: Path) -> None:
    """The YAML files whose ``_target_``s were read are dependencies of the cached result, and
    the list of them is part of its key: editing one, or adding one, is seen by the next run."""
    _write(tmp_path, {
        "nets/__init__.py": "",
        "nets/rnn.py": "import torch.nn as nn\n\n\nclass Encoder(nn.Module):\n"
                       "    def __init__(self, hidden=16):\n        super().__init__()\n"
                       "        self.rnn = nn.GRU(8, hidden)\n",
    })
    (tmp_path / ".git").mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def unknown_configurations() -> int:
        r = subprocess.run([sys.executable, "-m", "lstmlint", "summary", "--format", "json", "."], cwd=tmp_path,
                           capture_output=True, text=True, env=env, timeout=120)
        (rec,) = json.loads(r.stdout)["layers"]
        return int(rec["unknown_configurations"])

    assert unknown_configurations() == 0
    _write(tmp_path, {"configs/model/big.yaml": "_target_: nets.rnn.Other\nhidden: 512\n"})
    assert unknown_configurations() == 0  # a new file, naming another class
    (tmp_path / "configs/model/big.yaml").write_text("_target_: nets.rnn.Encoder\nhidden: 512\n")
    assert unknown_configurations() == 1  # the same file, edited


def test_the_arm_the_defaults_do_not_take_has_its_count_not_reached() -> None:
    """char_rnn builds a GRU (``--model gru`` by default); the LSTM of the other arm gets the count
    a user who flips the flag would get, marked as not reached, so it never counts as built."""
    layers = {x["layer"]: x for x in summary([str(STYLES / "char_rnn")], ROOT)}
    assert (layers["GRU"]["params"], layers["GRU"]["reached"]) == (121_200, True)
    assert (layers["LSTM"]["params"], layers["LSTM"]["reached"]) == (161_600, False)
