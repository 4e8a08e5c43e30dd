"""The briefings' pack world, for these tests too (tests/briefings/packs.py)."""

import pytest

from tests.briefings.packs import Table, build_table


@pytest.fixture
def table(db, media_root) -> Table:
    return build_table()
