"""Bank answer patterns, matched in linear time with RE2: learner input never meets a
backtracking engine, so a pattern like `(a+)+$` cannot hang the bot."""

from __future__ import annotations

from functools import lru_cache

import re2

# Banks hold a few hundred patterns; each is compiled once per case mode and shared.
_CACHE_SIZE = 4096


class PatternError(ValueError):
    """A pattern RE2 cannot compile: bad syntax, or a backtracking-only feature such as a
    lookaround or a backreference."""


def _message(error: re2.error) -> str:
    detail = error.args[0] if error.args else ""
    return detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)


@lru_cache(maxsize=_CACHE_SIZE)
def compile_pattern(pattern: str, case_sensitive: bool = False) -> re2._Regexp[str]:
    """The compiled pattern, or PatternError with RE2's reason."""
    options = re2.Options()
    options.case_sensitive = case_sensitive
    options.log_errors = False  # the reason goes into PatternError, not to stderr
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        raise PatternError(_message(error)) from None


def fully_matches(pattern: str, text: str, case_sensitive: bool = False) -> bool:
    """Whether the whole of `text` matches `pattern` (fullmatch semantics)."""
    return compile_pattern(pattern, case_sensitive).fullmatch(text) is not None
