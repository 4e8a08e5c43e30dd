"""The embedded set-up (SQLite under runserver) under twenty parallel identical writes."""

from pathlib import Path

import pytest

from tests.embedded_load import PARALLEL, embedded_server, run_all, while_locked

pytestmark = pytest.mark.embedded


def test_parallel_identical_writes_never_fail_and_object_once(tmp_path: Path) -> None:
    """Writers wait their turn for SQLite's lock: no 500, one objection for twenty identical
    POSTs, and a write that still finds the lock held is answered 503 with Retry-After."""
    with embedded_server(tmp_path) as (base, targets):
        # First: the storm of identical token requests ends with this address
        # locked for failed logins (each replayed one-time code is a failure).
        locked = while_locked(tmp_path, base, targets)
        outcomes, objections = run_all(base, targets)

    answers = {kind: dict(outcome.statuses) for kind, outcome in outcomes.items()}
    # One token for one one-time code; each replay is a failed login, refused (400)
    # until the address is locked for them (429).
    tokens = answers.pop("tokens")
    assert tokens[200] == 1
    assert set(tokens) <= {200, 400, 429}
    assert sum(tokens.values()) == PARALLEL
    assert answers == {
        "papers": {201: PARALLEL},
        "positions": {201: PARALLEL},
        "objections": {201: PARALLEL},
        "agenda items": {201: PARALLEL},
        "transitions": {200: 1, 400: PARALLEL - 1},
    }
    assert objections == 1
    assert locked == {"api": (503, "5"), "page": (503, "5")}
