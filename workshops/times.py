"""Times of day of sessions and activities: checking a start and an end, the hours between."""

import datetime as dt

from flask_babel import gettext as _

from ponte.errors import PonteError


def check_times(
    start: dt.time | None, end: dt.time | None
) -> tuple[dt.time | None, dt.time | None]:
    """Refuse an end without a start, or an end that is not after the start."""
    if end is not None and start is None:
        raise PonteError("invalid_times", _("Give a start time before an end time."))
    if start is not None and end is not None and end <= start:
        raise PonteError("invalid_times", _("The end time must be after the start time."))
    return start, end


def hours_between(start: dt.time | None, end: dt.time | None) -> float | None:
    """The hours from ``start`` to ``end`` on one day (None unless both are set)."""
    if start is None or end is None or end <= start:
        return None
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return round(minutes / 60, 2)


def time_range(start: dt.time | None, end: dt.time | None) -> str:
    """ "10:00–12:30", "10:00", or "" (how pages and the Report print a time of day)."""
    if start is None:
        return ""
    if end is None:
        return f"{start:%H:%M}"
    return f"{start:%H:%M}–{end:%H:%M}"
