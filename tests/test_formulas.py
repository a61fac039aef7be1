"""Each counting formula, on the worked examples of the reference (verified against torch 2.13 / Keras 3.15)."""

from __future__ import annotations

import pytest

from lstmlint.catalog import lookup
from lstmlint.catalog.formulas import NeedsKnown, Sym, count


def torch_count(name: str, **kw):
    s = dict(num_layers=1, bias=True, bidirectional=False, proj_size=0)
    s.update(kw)
    return count(lookup(f"torch.nn.{name}").spec, s)


@pytest.mark.parametrize("name,kw,params,out", [
    ("LSTM", dict(input_size=4096, hidden_size=200), 3_438_400, 200),
    ("LSTM", dict(input_size=4096, hidden_size=200, bias=False), 3_436_800, 200),
    ("LSTM", dict(input_size=128, hidden_size=256, num_layers=2, bidirectional=True), 2_367_488, 512),
    ("LSTM", dict(input_size=80, hidden_size=512, num_layers=2, proj_size=128), 1_089_536, 128),
    ("LSTM", dict(input_size=80, hidden_size=512, num_layers=3, bidirectional=True, proj_size=128), 4_415_488, 256),
    ("GRU", dict(input_size=300, hidden_size=128, num_layers=2, bidirectional=True), 626_688, 256),
    ("RNN", dict(input_size=10, hidden_size=64), 4_864, 64),
    ("LSTM", dict(input_size=300, hidden_size=100), 160_800, 100),
    ("LSTM", dict(input_size=4096, hidden_size=200, num_layers=2), 3_760_000, 200),
    # proj_size passed positionally to GRU slips through torch's check and adds weight_hr
    ("GRU", dict(input_size=10, hidden_size=20, proj_size=5), 1_120, 5),
])
def test_torch_rnn(name, kw, params, out) -> None:
    c = torch_count(name, **kw)
    assert (c.params, c.output_size) == (params, out)


def test_torch_cells() -> None:
    spec = lookup("torch.nn.LSTMCell").spec
    assert count(spec, dict(input_size=10, hidden_size=0, bias=True)).params == 0
    assert count(spec, dict(input_size=0, hidden_size=20, bias=True)).params == 1_760
    assert count(lookup("torch.nn.GRUCell").spec, dict(input_size=10, hidden_size=20, bias=False)).params == 1_800


def keras_count(name: str, **kw):
    s = dict(use_bias=True, reset_after=True)
    s.update(kw)
    return count(lookup(f"keras.layers.{name}").spec, s)


@pytest.mark.parametrize("name,kw,params", [
    ("LSTM", dict(units=200, input_dim=4096), 3_437_600),
    ("LSTM", dict(units=200, input_dim=4096, use_bias=False), 3_436_800),
    ("GRU", dict(units=200, input_dim=4096), 2_578_800),
    ("GRU", dict(units=200, input_dim=4096, reset_after=False), 2_578_200),
    ("SimpleRNN", dict(units=10, input_dim=5), 160),
    ("LSTMCell", dict(units=10, input_dim=3), 560),
    ("LSTMCell", dict(units=20, input_dim=10), 2_480),
])
def test_keras_rnn(name, kw, params) -> None:
    assert keras_count(name, **kw).params == params


def test_cudnn_layers_have_two_biases() -> None:
    spec = lookup("tensorflow.compat.v1.keras.layers.CuDNNLSTM").spec
    assert count(spec, dict(units=200, input_dim=4096)).params == 3_438_400
    spec = lookup("tensorflow.compat.v1.keras.layers.CuDNNGRU").spec
    assert count(spec, dict(units=200, input_dim=4096)).params == 2_578_800


def test_convlstm() -> None:
    spec = lookup("keras.layers.ConvLSTM2D").spec
    assert count(spec, dict(filters=8, kernel_size=3, input_channels=3, use_bias=True)).params == 3_200
    assert count(spec, dict(filters=4, kernel_size=(3, 2), input_channels=5, use_bias=True)).params == \
        3 * 2 * 5 * 16 + 3 * 2 * 4 * 16 + 16


def test_symbolic_formula_for_unknown_sizes() -> None:
    c = torch_count("LSTM", input_size=Sym("E"), hidden_size=200)
    assert repr(c.params) == "800·E + 161,600"
    c = keras_count("LSTM", units=Sym("u"), input_dim=4096)
    assert repr(c.params) == "4·u² + 16,388·u"


def test_unknown_layer_count_needs_a_value() -> None:
    with pytest.raises(NeedsKnown):
        torch_count("LSTM", input_size=10, hidden_size=20, num_layers=Sym("n"))


def test_macs_are_the_non_bias_weights() -> None:
    c = torch_count("LSTM", input_size=4096, hidden_size=200)
    assert c.macs == 3_438_400 - 8 * 200
    assert keras_count("GRU", units=200, input_dim=4096).macs == 3 * 200 * (4096 + 200)


@pytest.mark.parametrize("qn,expected", [
    ("torch.nn.LSTM", "torch.nn.LSTM"),
    ("torch.nn.modules.rnn.LSTM", "torch.nn.LSTM"),
    ("keras.layers.LSTM", "keras.layers.LSTM"),
    ("tensorflow.keras.layers.GRU", "keras.layers.GRU"),
    ("tf_keras.layers.SimpleRNN", "keras.layers.SimpleRNN"),
    ("keras.layers.recurrent.LSTM", "keras.layers.LSTM"),
    ("keras.src.layers.rnn.lstm.LSTM", "keras.layers.LSTM"),
    ("tensorflow.compat.v1.keras.layers.CuDNNLSTM", "keras.layers.CuDNNLSTM"),
    ("mylib.LSTM", None),
    ("torch.LSTM", None),
    ("keras.ops.LSTM", None),
])
def test_lookup(qn, expected) -> None:
    m = lookup(qn)
    assert (m.qualified_name if m else None) == expected


def test_v1_keras_generation() -> None:
    assert lookup("tensorflow.compat.v1.keras.layers.GRU").generation == "v1"
    assert lookup("keras.layers.GRU").generation == "current"
