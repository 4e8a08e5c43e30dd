"""The times the API accepts: with their offset, within these years.

A naive time would be read in the server's zone, which the client does not
know; a far year overflows the date arithmetic of reminders and windows.
"""

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
