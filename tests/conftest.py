from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from lstmlint.frontends.cli import main

# the wall-clock bound per file makes results depend on machine load; tests that are not about
# the bound use a generous one so that they stay deterministic on a loaded CI machine
os.environ.setdefault("LSTMLINT_FILE_SECONDS", "60")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture(autouse=True)
def _own_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test reads only a cache it created: a fresh ``$LSTMLINT_CACHE_DIR`` per test (subprocesses
    inherit it), so a warm ``.lstmlint_cache/`` in the checkout can never answer a golden test.
    The cache's own tests use the project folder's ``.lstmlint_cache/`` in their ``tmp_path``."""
    if request.node.get_closest_marker("project_cache"):
        monkeypatch.delenv("LSTMLINT_CACHE_DIR", raising=False)
    else:
        monkeypatch.setenv("LSTMLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run the CLI in-process in a given folder."""

    def _run(args: list[str], cwd: Path = FIXTURES) -> CliResult:
        monkeypatch.chdir(cwd)
        buf = io.StringIO()
        code = main(args, stdout=buf)
        err = capsys.readouterr().err
        return CliResult(code, buf.getvalue(), err)

    return _run


def update_expected() -> bool:
    return os.environ.get("LSTMLINT_UPDATE_EXPECTED") == "1"
