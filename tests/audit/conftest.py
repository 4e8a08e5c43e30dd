"""The briefings' pack world, for these tests too (tests/briefings/packs.py)."""

from pathlib import Path

import pytest

from tests.briefings.packs import Table, build_table


@pytest.fixture
def table(db: None, media_root: Path) -> Table:
    return build_table()
