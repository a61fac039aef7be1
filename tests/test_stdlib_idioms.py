"""Python, standard-library and small framework idioms: INI configurations read with ``configparser``, ``itertools``
sweeps, sets, properties and ``__getattr__``, ``np.reshape`` and ``Module.to(device)``:
each value is what the standard library itself gives for the same text (the expected sizes here
are computed with the real ``configparser``), and what lstmlint cannot follow is unknown."""

from __future__ import annotations

import configparser
from pathlib import Path
from typing import Any

import pytest

from .test_idioms import built
from .test_projects import gru, lstm, summary, write

INI = """\
[DEFAULT]
base = 64

[model]
Hidden_Size = 256
layers = 2
bidirectional = yes
attention = %(base)s
"""


def _only(root: Path) -> dict[str, Any]:
    (rec,) = summary([str(root)], root)
    return rec


def _two_layers(tmp_path: Path, source: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The records of a one-file project ``m.py`` with two layer calls."""
    write(tmp_path, {"pyproject.toml": "", "m.py": source})
    first, second = summary([str(tmp_path)], tmp_path)
    return first, second


def _real(text: str = INI) -> configparser.ConfigParser:
    cp = configparser.ConfigParser()
    cp.read_string(text)
    return cp


def test_getint_section_proxies_defaults_and_interpolation(tmp_path: Path) -> None:
    real = _real()
    hidden, base = real.getint("model", "hidden_size"), real["model"].getint("attention")
    write(tmp_path, {
        "pyproject.toml": "",
        "config.ini": INI,
        "train.py": (
            "import configparser\nfrom torch import nn\n\n"
            "cfg = configparser.ConfigParser()\ncfg.read('config.ini')\nm = cfg['model']\n"
            "rnn = nn.LSTM(m.getint('attention'), cfg.getint('model', 'HIDDEN_SIZE'),\n"
            "              num_layers=int(m['layers']), bidirectional=m.getboolean('bidirectional'))\n"
        ),
    })
    rec = _only(tmp_path)
    bi = 2 * lstm(base, hidden) + 2 * 4 * (2 * hidden * hidden + hidden * hidden + 2 * hidden)
    assert rec["params"] == bi and rec["reached"] and not rec["unknown_configurations"]


def test_fallbacks_set_and_case_kept(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": "",
        "config.ini": "[model]\nHidden = 32\n",
        "train.py": (
            "import configparser, sys\nfrom torch import nn\n\n"
            "cfg = configparser.ConfigParser()\ncfg.optionxform = str\ncfg.read('config.ini')\n"
            "cfg.set('model', 'Hidden', '512')\n"
            "nn.GRU(cfg.getint('model', 'Hidden'), cfg['model'].getint('missing', 16))\n"
            "if '--wide' in sys.argv:\n    cfg['model']['Hidden'] = '1024'\n"
            "nn.GRU(cfg.getint('model', 'Hidden'), 8)\n"
        ),
    })
    first, second = summary([str(tmp_path)], tmp_path)
    assert first["params"] == gru(512, 16) and first["reached"] and not first["unknown_configurations"]
    # a change in a branch that may or may not run: not a stale 512
    assert second["params"] is None and "condition" in second["unresolved"][0]["reason"]


def test_what_configparser_cannot_be_followed_in_is_unknown(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": "",
        "config.ini": "[model]\nhidden = 32\n",
        "train.py": (
            "import configparser\nfrom torch import nn\nfrom helpers import tweak\n\n"
            "a = configparser.ConfigParser()\na.read('config.ini')\ntweak(a)\n"
            "b = configparser.ConfigParser()\nb.read('absent.ini')\n"  # read() skips a missing file
            "nn.LSTM(a.getint('model', 'hidden'), 8)\nnn.GRU(b.getint('model', 'hidden', fallback=4), 8)\n"
        ),
    })
    layers = summary([str(tmp_path)], tmp_path)
    assert [x["params"] for x in layers] == [None, None]
    assert all(x["unresolved"] for x in layers)


def test_itertools_sweeps_and_to_device(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": "",
        "sweep.py": (
            "import itertools\nimport torch\nfrom torch import nn\n\n"
            "class Net(nn.Module):\n    def __init__(self, h, n):\n        super().__init__()\n"
            "        self.rnn = nn.LSTM(10, h, n).to(torch.device('cpu'))\n\n"
            "for h, n in itertools.product([16, 32], [1, 2]):\n    Net(h, n).cuda().eval()\n"
            "for a, b in itertools.combinations([4, 8, 12], 2):\n    nn.GRU(a, b)\n"
            "for h in itertools.chain([2], range(3, 5)):\n    nn.GRU(1, h)\n"
        ),
    })
    layers = summary([str(tmp_path)], tmp_path)
    by_line = {x["line"]: x for x in layers}
    assert sorted(c["params"] for c in by_line[8]["all_configurations"]) == \
        sorted(lstm(10, h, n) for h in (16, 32) for n in (1, 2))
    assert sorted(built(by_line[13])) == sorted(gru(a, b) for a, b in [(4, 8), (4, 12), (8, 12)])
    assert sorted(built(by_line[15])) == sorted(gru(1, h) for h in (2, 3, 4))
    assert all(x["unknown_configurations"] == 0 for x in layers)


def test_keras_2_module_paths_and_np_reshape(tmp_path: Path) -> None:
    """Keras 2 code (``keras.layers.recurrent``, ``keras.layers.wrappers``) sized from an array
    reshaped with ``np.reshape``; the counts are what Keras 3 builds for the same layers."""
    import os
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    write(tmp_path, {
        "pyproject.toml": "",
        "m.py": (
            "import numpy as np\nfrom keras.models import Sequential\n"
            "from keras.layers.recurrent import GRU\nfrom keras.layers.wrappers import TimeDistributed\n"
            "from keras.layers.core import Dense\n\n"
            "X = np.zeros((100, 3))\nX = np.reshape(X, (X.shape[0], 1, X.shape[1]))\n"
            "m = Sequential()\nm.add(GRU(8, input_shape=(X.shape[1], X.shape[2]), return_sequences=True))\n"
            "m.add(TimeDistributed(Dense(2)))\n"
        ),
    })
    (rec,) = summary([str(tmp_path)], tmp_path)
    real = keras.Sequential([keras.Input((1, 3)), keras.layers.GRU(8, return_sequences=True)])
    assert rec["params"] == real.count_params()


def test_sets_of_known_values(tmp_path: Path) -> None:
    """``set``/``frozenset``/``{...}``/set comprehensions, ``.add``/``.update``/``|=``, ``|``/``&``/``-``:
    the sizes are what Python gives; a set changed where lstmlint cannot follow is unknown."""
    write(tmp_path, {
        "pyproject.toml": "",
        "m.py": (
            "import sys\nfrom torch import nn\nfrom helpers import fill\n\n"
            "chars = set()\nfor w in ['lstm', 'gru', 'rnn']:\n    for c in w:\n        chars.add(c)\n"
            "nn.GRU(len(chars), 4)\n"                                      # line 9: l s t m g r u n = 8
            "a = {1, 2, 3} | frozenset([3, 4])\nb = {x * 2 for x in range(4)} - {0}\nb |= {100}\n"
            "nn.LSTM(len(a), len(b))\n"                                    # line 13: 4, 4
            "c = set('abc')\nif len(sys.argv) > 5:\n    c.add('z')\n"
            "nn.RNN(len(c), 2)\n"                                          # line 17: unknown (branch)
            "d = set('ab')\nfill(d)\nnn.RNN(len(d), 2)\n"                # line 20: unknown (escaped)
            "e = sorted({30, 10, 20})\nnn.GRU(e[0], e[-1])\n"             # line 22: 10, 30
        ),
    })
    by_line = {x["line"]: x for x in summary([str(tmp_path)], tmp_path)}
    assert by_line[9]["params"] == gru(8, 4)
    assert by_line[13]["params"] == lstm(4, 4)
    assert by_line[17]["params"] is None
    assert by_line[20]["params"] is None
    assert by_line[22]["params"] == gru(10, 30)


def test_properties_with_setters_and_getattr(tmp_path: Path) -> None:
    """A property wins over the instance's own values (``s.hidden = 10`` calls its setter, which
    stores 20: the old evaluator stored 10 and counted a GRU of 10 -- a wrong number); a config
    class's ``__getattr__`` answers the attributes it does not have."""
    first, second = _two_layers(tmp_path, (
            "from torch import nn\n\n"
            "class Conf:\n    def __init__(self, **kw):\n        self._d = dict(kw)\n\n"
            "    def __getattr__(self, name):\n        return self._d[name]\n\n"
            "class Sized:\n    def __init__(self):\n        self._h = 16\n\n"
            "    @property\n    def hidden(self):\n        return self._h\n\n"
            "    @hidden.setter\n    def hidden(self, v):\n        self._h = v * 2\n\n"
            "c = Conf(hidden=40, inp=12)\nnn.LSTM(c.inp, c.hidden)\n"
            "s = Sized()\ns.hidden = 10\nnn.GRU(4, s.hidden)\n"
    ))
    assert first["params"] == lstm(12, 40)
    assert second["params"] == gru(4, 20)


def test_embedding_from_pretrained_and_tensors_from_arrays(tmp_path: Path) -> None:
    first, second = _two_layers(tmp_path, (
            "import numpy as np\nimport torch\nfrom torch import nn\n\nW = np.zeros((100, 50), dtype='float32')\n"
            "emb = nn.Embedding.from_pretrained(torch.from_numpy(W), freeze=True)\n"
            "nn.LSTM(emb.embedding_dim, 64)\n"
            "t = torch.tensor([[1.0, 2.0, 3.0]])\nnn.GRU(t.shape[1], 8)\n"
    ))
    assert first["params"] == lstm(50, 64)
    assert second["params"] == gru(3, 8)
