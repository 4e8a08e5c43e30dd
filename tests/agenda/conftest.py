"""Fixtures shared by the agenda tests."""

from tests.agenda.cycle import cycle, media_root  # noqa: F401  (items and documents tests)
from tests.agenda.tables import table  # noqa: F401  (the quarter's table, for session tests)
