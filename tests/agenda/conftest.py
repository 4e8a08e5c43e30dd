"""The agenda's worlds: thin fixtures over the table of tests/worlds.py."""

from pathlib import Path

import pytest
from time_machine import TimeMachineFixture

from consult.quarters import Quarter
from tests.agenda.cycle import Cycle, build_cycle
from tests.agenda.tables import Table, build_table
from tests.clock import quarter_moment


@pytest.fixture
def cycle(db: None, media_root: Path, time_machine: TimeMachineFixture) -> Cycle:
    """The cycle of the current quarter, on the 20th day of it (items and documents tests)."""
    time_machine.move_to(quarter_moment(Quarter.current()), tick=True)
    return build_cycle()


@pytest.fixture
def table(db: None, time_machine: TimeMachineFixture, request: pytest.FixtureRequest) -> Table:
    """The table of the current quarter, on the 20th day of it: sessions a month
    ahead (the factory's default) and a fortnight back fall within it. A test
    with a ``clock`` fixture of its own keeps its day."""
    quarter = Quarter.current()
    if "clock" not in request.fixturenames:
        time_machine.move_to(quarter_moment(quarter), tick=True)
    return build_table(quarter)
