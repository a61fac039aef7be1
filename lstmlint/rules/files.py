"""Files that cannot be checked (LST901, LST902) and suppressions that suppress nothing (LST903).

LST901/LST902 are reported by the file reader and the per-file isolation of the engine
(``analysis.py``), LST903 by the suppression step (``noqa.py``); they have no check here.
"""

from __future__ import annotations

from .base import Invalid, K, Rule, Valid

RULES: tuple[Rule, ...] = (
    Rule("LST901", "file-not-checked", "A file could not be read or parsed.",
         "Reports files that are not valid Python 3, cannot be decoded, are too large, or cannot be read.",
         "A file lstmlint cannot read may hide layers over budget.",
         "def broken(:\n    pass  # LST901",
         "Fix the syntax error, or exclude the file with `exclude:` in `.lstmlint.yaml`.",
         valid=(
             Valid("import torch.nn as nn\n\ndef build():\n    return nn.LSTM(8, 8)\n"),
         ),
         invalid=(
             Invalid("import torch.nn as nn\n\ndef build(:\n    return nn.LSTM(8, 8)\n", 3, 11,
                     "case.py is not valid Python 3: invalid syntax (line 3)"),
         )),
    Rule("LST902", "internal-error", "lstmlint failed while analysing a file.",
         "Reports an unexpected error inside lstmlint for one file (or for a file that may build its models); "
         "the other files are still checked.",
         "The file's layers were not checked, or the sizes the failing file passes are not known.",
         "(any file that triggers a bug)",
         "Please report it with the file; exclude the file meanwhile."),
    Rule("LST903", "unused-noqa", "A `# noqa: LSTxxx` comment suppresses nothing.",
         "Reports lstmlint codes in `# noqa:` comments of linted files that no finding on that line (or "
         "on the lines of the call it ends) uses, like ruff's RUF100.  Codes of other tools and bare "
         "`# noqa` comments are left alone.",
         "A stale suppression hides the next real finding: after a layer shrinks below its budget, "
         "`# noqa: LST101` stays and silently lets it grow again.",
         "rnn = layers.LSTM(64)  # noqa: LST501  (LST903: the layer can use cuDNN, nothing to suppress)",
         "Remove the code from the comment (or the comment).  Turn the rule off with `ignore: [LST903]`.",
         severity="warning",
         valid=(
             Valid(K + "x = layers.LSTM(64, recurrent_dropout=0.2)  # noqa: LST501, E501\n"),
             Valid(K + "x = layers.LSTM(64)  # noqa: E501\n"),
         ),
         invalid=(
             Invalid(K + "x = layers.LSTM(64)  # noqa: LST501\n", 2, 22,
                     "unused `noqa` for LST501: nothing of that code is reported here"),
         )),
)
