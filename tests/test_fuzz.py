"""Property-based fuzzing, bounded in time: no exception escapes, output is deterministic,
valid fixtures keep their counts.  Programs come from hypothesmith (valid Python from the
grammar) and from random mutations of the fixtures (truncations, deleted tokens, swapped
arguments, huge numbers)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from lstmlint.config.settings import Config  # noqa: E402
from lstmlint.pipeline.engine import run  # noqa: E402
from lstmlint.pipeline.options import Options  # noqa: E402
from lstmlint.report.diagnostics import json_text  # noqa: E402
from lstmlint.report.layers import summary_json  # noqa: E402
from lstmlint.rules import budget_diagnostics  # noqa: E402

from .conftest import FIXTURES  # noqa: E402

FUZZ = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])
SOURCES = sorted(p for p in FIXTURES.rglob("*.py") if "expected" not in p.parts and p.name != "broken.py")
TEXTS = [p.read_text() for p in SOURCES]


def lint(tmp: Path, text: str) -> tuple[str, str]:
    f = tmp / "fuzzed.py"
    f.write_text(text, encoding="utf-8")
    cfg = Config()
    result = run([f], cfg, Options(cwd=tmp, root=tmp, follow_importers=False))
    diags = sorted(result.diagnostics + budget_diagnostics(result.records, cfg, tmp), key=lambda d: d.sort_key())
    assert not [d for d in diags if d.code == "LST902"], [d.message for d in diags if d.code == "LST902"]
    return json_text(diags), summary_json(result.records)


_TOKEN = re.compile(r"\w+|[^\w\s]")


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(TEXTS))
    kind = draw(st.sampled_from(["truncate", "delete", "swap", "huge", "duplicate"]))
    if kind == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        return text
    m = tokens[draw(st.integers(0, len(tokens) - 1))]
    if kind == "delete":
        return text[: m.start()] + text[m.end():]
    if kind == "huge":
        nums = [t for t in tokens if t.group().isdigit()]
        if nums:
            n = nums[draw(st.integers(0, len(nums) - 1))]
            big = draw(st.sampled_from(["10 ** 10 ** 10", "-1", "0", "2 ** 64", "[0] * 10 ** 12", "1e308", "None"]))
            return text[: n.start()] + big + text[n.end():]
        return text
    if kind == "duplicate":
        return text + "\n" + text
    # swap two arguments of a call
    calls = list(re.finditer(r"\(([^()]*?),\s*([^()]*?)\)", text))
    if not calls:
        return text
    c = calls[draw(st.integers(0, len(calls) - 1))]
    return text[: c.start()] + f"({c.group(2)}, {c.group(1)})" + text[c.end():]


@FUZZ
@given(text=mutated())
def test_mutated_fixtures_never_crash_and_are_deterministic(tmp_path_factory, text: str) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")
    assert lint(tmp, text) == lint(tmp, text)


@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(src=st.data())
def test_generated_programs_never_crash(tmp_path_factory, src) -> None:
    hypothesmith = pytest.importorskip("hypothesmith")
    code = src.draw(hypothesmith.from_grammar())
    # make the prefilter let it through, with a layer call whose arguments are the generated code's names
    prog = "import torch.nn as nn\nfrom keras import layers\n" + code + "\nrnn = nn.LSTM(10, 20)\n"
    tmp = tmp_path_factory.mktemp("gen")
    a = lint(tmp, prog)
    assert a == lint(tmp, prog)


def test_valid_fixtures_keep_their_counts_when_reformatted(tmp_path) -> None:
    """Whitespace and comments do not change a count."""
    for path, text in zip(SOURCES, TEXTS):
        if "mistakes" in path.name:
            continue
        reformatted = re.sub(r"(?m)^(\s*)(\w+ = )", r"\1# a comment\n\1\2", text)
        f1, f2 = tmp_path / "a", tmp_path / "b"
        f1.mkdir(exist_ok=True)
        f2.mkdir(exist_ok=True)
        (f1 / path.name).write_text(text)
        (f2 / path.name).write_text(reformatted)
        r1 = run([f1 / path.name], Config(), Options(cwd=f1, root=f1, follow_importers=False))
        r2 = run([f2 / path.name], Config(), Options(cwd=f2, root=f2, follow_importers=False))
        assert [r.params for r in r1.records] == [r.params for r in r2.records], path.name


_ = io


def test_one_job_and_several_jobs_agree(tmp_path, monkeypatch) -> None:
    """Parallel workers give the same output as one worker (forced on the small fixture tree)."""
    from lstmlint.pipeline import engine
    monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", 1)  # parallel reading too
    out = []
    for jobs in (1, 2, 3):
        result = run([FIXTURES], Config(), Options(cwd=FIXTURES, root=FIXTURES, jobs=jobs, parallel_min_chars=0))
        cfg = Config()
        diags = sorted(result.diagnostics + budget_diagnostics(result.records, cfg, FIXTURES), key=lambda d: d.sort_key())
        out.append((json_text(diags), summary_json(result.records), result.files_checked, result.files_parsed))
    assert out[0] == out[1] == out[2]
