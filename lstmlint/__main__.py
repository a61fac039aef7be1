import os
import sys

# `python -m lstmlint` puts the current folder first on sys.path: a linted tree with its own
# `argparse.py` or `typing.py` would then be imported by lstmlint itself.  Linted code is never
# imported; drop that entry before anything else is.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from .frontends.cli import main  # noqa: E402

raise SystemExit(main())
