"""Retention: how far back the history a repository or backup keeps reaches.

The format accepts retention as free text or as a mapping of counts
(`{daily: 7, weekly: 4, monthly: 12}`, restic's and borgmatic's `keep-*`
names too). Rules need one typed value: the window, the age of the oldest
restore point kept. A count of N periods keeps history N periods back; the
window is the longest of them. Text is read when it is a duration (`30d`,
`12w`) or a "keep-within"-like form of one; other text stays unknown (None).
"""

from __future__ import annotations

import re
from functools import lru_cache

from archlint.model.durations import Duration, duration_seconds
from archlint.model.parsing import Problem, TextCache

# Period names (as written, after stripping a `keep-`/`keep_` prefix) in seconds.
_PERIODS: dict[str, int] = {
    "hourly": 3600,
    "daily": 86400,
    "weekly": 7 * 86400,
    "monthly": 30 * 86400,
    "yearly": 365 * 86400,
    "annual": 365 * 86400,
}
# Counts that keep the newest N backups whatever their age: no time window.
_LAST = ("last", "latest")
_WITHIN_RE = re.compile(r"(?:keep[-_ ]?)?within[-_ :=]*\s*(\S+)")


def retention_window(retention: str | dict[str, int] | None) -> Duration | None:
    """The age of the oldest restore point kept, or None when it is not stated or not known."""
    if retention is None:
        return None
    if isinstance(retention, dict):
        return _mapping_window(tuple(retention.items()))
    return _TEXT_WINDOWS[retention.strip()]


# Cached like the texts below: every copy in a repository asks about its one mapping.
@lru_cache(maxsize=4096)
def _mapping_window(retention: tuple[tuple[str, int], ...]) -> Duration | None:
    seconds: list[int] = []
    for name, count in retention:
        period = re.sub(r"^keep[-_]", "", name.lower())
        if period in _PERIODS:
            seconds.append(count * _PERIODS[period])
        elif period not in _LAST:
            return None  # a name archlint cannot read: the window is unknown
    return Duration.from_seconds(max(seconds)) if seconds else None


def _text_window(text: str) -> Duration | None:
    match = _WITHIN_RE.fullmatch(text)
    candidate = match[1] if match else text
    try:
        return Duration(duration_seconds(candidate), text)
    except Problem:
        return None


# A rule asks for the window of each copy of each datastore: thousands of asks
# about the few retention texts a model has.
_TEXT_WINDOWS = TextCache(_text_window)
