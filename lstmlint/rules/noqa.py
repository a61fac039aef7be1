"""``# noqa`` comments: which findings they suppress (``suppressed``), the ones that suppress nothing
(LST903, ``unused_noqa``) and ``lstmlint check --add-noqa`` (``add_noqa``), which writes them."""

from __future__ import annotations

import io
import os
import re
import tokenize
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from ..records import Diagnostic, RunResult

if TYPE_CHECKING:
    from ..resolve.module import ModuleInfo

NOQA_RE = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:[\s,]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)
FILE_NOQA_RE = re.compile(r"^#\s*lstmlint:\s*noqa\b", re.IGNORECASE | re.MULTILINE)


def record_lines(result: RunResult, infos: dict[str, "ModuleInfo"]) -> None:
    """Keep the source lines of the linted files (for ``# noqa`` and CI fingerprints)."""
    for p, i in infos.items():
        text = i.parsed.text if i.parsed else None
        if text:
            result.lines[p] = text.splitlines()
            if FILE_NOQA_RE.search(text):
                result.file_noqa.add(p)


def suppressed(result: RunResult, d: Diagnostic, used: Optional[set[tuple[str, int, str]]] = None) -> bool:
    """Whether a ``# noqa`` on one of the finding's lines (or a file-level ``# lstmlint: noqa``)
    covers it; ``used`` collects (path, line, code) of the comments that did."""
    if d.path in result.file_noqa:
        return True
    lines = result.lines.get(d.path)
    if not lines:
        return False
    for ln in range(d.line, min(d.end_line, len(lines)) + 1):
        for m in NOQA_RE.finditer(lines[ln - 1]):
            codes = m.group("codes")
            if not codes:
                if used is not None:
                    used.add((d.path, ln, ""))
                return True
            hit = next((c.upper() for c in re.split(r"[\s,]+", codes) if c and d.code.startswith(c.upper())), None)
            if hit:
                if used is not None:
                    used.add((d.path, ln, hit))
                return True
    return False


def unused_noqa(result: RunResult, used: set[tuple[str, int, str]]) -> list[Diagnostic]:
    """LST903: ``# noqa: LSTxxx`` comments in the linted files that suppressed nothing of lstmlint's
    (like ruff's RUF100).  Only codes of lstmlint are judged: ``# noqa: E501`` belongs to others,
    and a bare ``# noqa`` may be there for another tool."""
    from . import BY_CODE
    out: list[Diagnostic] = []
    for path, lines in result.lines.items():
        if path in result.file_noqa:
            continue
        for i, text in enumerate(lines, 1):
            if "noqa" not in text.lower():
                continue
            for m in NOQA_RE.finditer(text):
                codes = m.group("codes")
                if not codes or not _is_comment(text, m.start()):
                    continue
                stale = [c.upper() for c in re.split(r"[\s,]+", codes)
                         if c.upper().startswith("LST") and (path, i, c.upper()) not in used
                         and any(r.startswith(c.upper()) for r in BY_CODE)]
                if stale:
                    col = m.start() + 1
                    out.append(Diagnostic(path, i, col, i, m.end() + 1, "LST903",
                                          f"unused `noqa` for {', '.join(stale)}: nothing of "
                                          f"{'that code' if len(stale) == 1 else 'those codes'} is reported here",
                                          "warning"))
    return out


def _is_comment(line: str, pos: int) -> bool:
    """Whether ``pos`` (the ``#`` of a noqa match) starts a comment, not text inside a string."""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(line).readline):
            if tok.type == tokenize.COMMENT and tok.start[1] <= pos < tok.end[1]:
                return True
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return "#" not in line[:pos]
    return False


def add_noqa(diags: list[Diagnostic], cwd: Path) -> tuple[int, list[str]]:
    """Write ``# noqa: CODE`` on the first line of each finding that a comment can end (a line ending
    in a backslash or inside a string cannot: the next line of the finding is taken), merging with
    an existing ``# noqa: ...``.  Files are rewritten in place with their encoding and line endings
    kept.  Returns the number of comments written and the files whose findings could not all get one.
    Findings of files that are not checked (LST9xx) are left alone."""
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diags:
        if not d.code.startswith("LST9"):
            by_file.setdefault(d.path, []).append(d)
    written, missed = 0, []
    for path, items in sorted(by_file.items()):
        full = cwd / path
        try:
            data = full.read_bytes()
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            text = data.decode(encoding)
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
            missed.append(path)
            continue
        lines = text.splitlines(keepends=True)
        ends = _comment_lines(text)
        want: dict[int, list[str]] = {}
        for d in items:
            at = next((ln for ln in range(d.line, max(d.line, d.end_line) + 1) if ln in ends), None)
            if at is None:
                missed.append(path)
                continue
            codes = want.setdefault(at, [])
            if d.code not in codes:
                codes.append(d.code)
        changed = False
        for ln, codes in want.items():
            new = _with_noqa(lines[ln - 1], codes)
            if new != lines[ln - 1]:
                lines[ln - 1] = new
                written += 1
                changed = True
        if changed:
            tmp = full.with_name(full.name + ".lstmlint-tmp")
            tmp.write_bytes("".join(lines).encode(encoding))
            os.replace(tmp, full)
    return written, sorted(set(missed))


def _comment_lines(text: str) -> set[int]:
    """Lines whose end is outside a string and not a backslash continuation (a comment can go there)."""
    inside: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                inside.update(range(tok.start[0], tok.end[0]))
    except (tokenize.TokenError, SyntaxError):
        return set()
    out = set()
    for i, line in enumerate(text.splitlines(), 1):
        if i not in inside and not line.rstrip().endswith("\\"):
            out.add(i)
    return out


def _with_noqa(line: str, codes: list[str]) -> str:
    body = line.rstrip("\r\n")
    eol = line[len(body):]
    m = next((m for m in NOQA_RE.finditer(body) if _is_comment(body, m.start())), None)
    if m is None:
        return f"{body.rstrip()}  # noqa: {', '.join(codes)}{eol}"
    present = [c.upper() for c in re.split(r"[\s,]+", m.group("codes") or "") if c]
    if not m.group("codes"):
        return line  # a bare noqa already covers everything
    missing = [c for c in codes if not any(c.startswith(p) for p in present)]
    if not missing:
        return line
    return body[:m.end()] + ", " + ", ".join(missing) + body[m.end():] + eol


def commentable_line(lines: list[str], first: int, last: int) -> Optional[int]:
    """The first line of ``first..last`` (1-based) whose end can take a comment, or None."""
    ends = _comment_lines("".join(lines) if any(ln.endswith("\n") for ln in lines) else "\n".join(lines))
    return next((ln for ln in range(first, max(first, last) + 1) if ln in ends), None)


def with_noqa(line: str, codes: list[str]) -> str:
    """``line`` (without its newline) with ``# noqa: CODES`` added or merged into its noqa comment."""
    return _with_noqa(line, codes)


def without_codes(line: str, codes: list[str]) -> str:
    """``line`` with ``codes`` taken out of its ``# noqa:`` comment; the comment goes when nothing
    is left in it (the fix of LST903)."""
    drop = {c.upper() for c in codes}
    for m in NOQA_RE.finditer(line):
        if not m.group("codes") or not _is_comment(line, m.start()):
            continue
        kept = [c for c in re.split(r"[\s,]+", m.group("codes")) if c and c.upper() not in drop]
        if kept:
            return line[:m.start()] + "# noqa: " + ", ".join(kept) + line[m.end():]
        before, after = line[:m.start()].rstrip(), line[m.end():].strip()
        if after.startswith("#"):  # another comment follows: keep it
            return f"{before}  {after}" if before else after
        return before + (f"  # {after}" if after else "")
    return line
