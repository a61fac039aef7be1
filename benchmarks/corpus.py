#!/usr/bin/env python3
"""Build the real-code benchmark corpus from the package index (nothing of it is committed).

    python benchmarks/corpus.py                  # into benchmarks/corpus/ (git-ignored)
    python benchmarks/corpus.py --dest /tmp/corpus

``projects/<name>/``: the source distribution (or wheel) of each ML project in PROJECTS,
unpacked as it is published (``pip download --no-deps``).  ``examples/<pkg>-<name>/``: every
sub-folder of the ``examples/`` folders those and EXAMPLE_SOURCES ship, side by side, each an
independent small project (their own ``main.py``/``model.py``/``train.py``...), which is where
module names collide.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PROJECTS = ["keras", "fairseq", "nemo-toolkit", "flair", "OpenNMT-py", "speechbrain", "allennlp", "stanza",
            "darts", "pytorch-forecasting", "neuralforecast", "gluonts"]
#: packages downloaded only for the example projects they ship
EXAMPLE_SOURCES = ["skorch", "opacus", "pyro-ppl", "pytorch-ignite"]


def download(name: str, into: Path) -> Path | None:
    for flags in (["--no-binary", ":all:"], []):
        before = set(into.iterdir())
        r = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", *flags, "-d", str(into), name],
                           capture_output=True, text=True)
        new = set(into.iterdir()) - before
        if r.returncode == 0 and new:
            return sorted(new)[0]
    print(f"  could not download {name}", file=sys.stderr)
    return None


def unpack(archive: Path, dest: Path) -> Path:
    tmp = Path(tempfile.mkdtemp(dir=dest.parent))
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as z:
            z.extractall(tmp)
    else:
        with tarfile.open(archive) as t:
            t.extractall(tmp, filter="data")
    entries = list(tmp.iterdir())
    top = entries[0] if len(entries) == 1 and entries[0].is_dir() else tmp
    if dest.exists():
        shutil.rmtree(dest)
    shutil.move(str(top), dest)
    shutil.rmtree(tmp, ignore_errors=True)
    # keep Python sources and the files that mark a project; drop data, docs, binaries
    for f in list(dest.rglob("*")):
        if f.is_file() and f.suffix not in (".py", ".toml", ".cfg", ".yaml", ".yml", ".json") and f.name != "setup.py":
            f.unlink()
    return dest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dest", type=Path, default=Path(__file__).parent / "corpus")
    ap.add_argument("--downloads", type=Path, default=None, help="a folder of already downloaded archives")
    ns = ap.parse_args()
    dest: Path = ns.dest.resolve()
    (dest / "projects").mkdir(parents=True, exist_ok=True)
    (dest / "examples").mkdir(parents=True, exist_ok=True)
    dl = ns.downloads or dest / ".downloads"
    dl.mkdir(parents=True, exist_ok=True)
    for name in PROJECTS + EXAMPLE_SOURCES:
        key = name.lower().replace("-", "_")
        found = sorted((a for a in dl.iterdir() if a.name.lower().replace("-", "_").startswith(key + "_")
                        and a.name[len(key) + 1:len(key) + 2].isdigit()),
                       key=lambda a: not a.name.endswith(".tar.gz"))  # source distributions first
        archive = found[0] if found else None
        if archive is None:
            print(f"downloading {name}")
            archive = download(name, dl)
        if archive is None:
            continue
        scratch = dest / ".unpacked" / key
        scratch.parent.mkdir(exist_ok=True)
        unpack(archive, scratch)
        ex_dirs = [d for d in [scratch / "examples", *sorted(scratch.glob("*/examples"))] if d.is_dir()]
        for ex in sorted(p for d in ex_dirs for p in d.iterdir()):
            if ex.is_dir() and any(ex.rglob("*.py")):
                target = dest / "examples" / f"{key}-{ex.name}"
                if target.exists():
                    shutil.rmtree(target)
                shutil.copytree(ex, target)
        if name in PROJECTS:
            target = dest / "projects" / key
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(scratch), target)
        else:
            shutil.rmtree(scratch)
    shutil.rmtree(dest / ".unpacked", ignore_errors=True)
    n = sum(1 for _ in dest.rglob("*.py"))
    print(f"{dest}: {n} Python files; {len(list((dest / 'examples').iterdir()))} example projects")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
