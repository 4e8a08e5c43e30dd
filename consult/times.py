"""The times the API accepts: with their offset, within these years.

A naive time would be read in the server's zone, which the client does not
know; a far year overflows the date arithmetic of reminders and windows.
"""

from datetime import datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.utils import formats, timezone

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


AWARE_DATETIME_SCHEMA = {
    "type": "string",
    "format": "date-time",
    # RFC 3339 with its offset, within the years accepted.
    "pattern": (
        r"^(19[0-9]{2}|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"
        r"(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$"
    ),
    "example": "2027-03-01T09:00:00Z",
}


def format_in_zone(value: datetime | None, zone: str | tzinfo, fmt: str) -> str:
    """``value`` as a clock in ``zone`` reads it, formatted like Django's ``date`` filter.

    The ``date`` filter converts an aware time to the active zone before it
    formats, so a time already turned into the venue's zone is turned back;
    formatting the converted value directly keeps the zone asked for.
    """
    if value is None:
        return ""
    local = timezone.localtime(value, ZoneInfo(zone) if isinstance(zone, str) else zone)
    return formats.date_format(local, fmt)


def utc_text(value: datetime | None, fmt: str = "j F Y, H:i") -> str:
    """``value`` in UTC, labelled so, for messages and stamps read in any zone."""
    return f"{format_in_zone(value, 'UTC', fmt)} UTC"


@cache
def known_timezones() -> frozenset[str]:
    """The IANA zone names this machine knows: a venue's or a viewer's zone is one of them."""
    # available_timezones() walks the zone files on every call.
    return frozenset(available_timezones())
