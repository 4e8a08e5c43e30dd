"""The demo's search copy: ``seed_demo`` leaves it built, so the demo's words are found at once.

Beat refreshes the copy every minute; without this, a fresh demo would find
nothing until the first refresh, and nothing at all where no beat runs.
"""

from __future__ import annotations

from typing import TextIO

from analytics.services.search_index import search_index_refresh


def seed(*, stdout: TextIO) -> None:
    written = search_index_refresh(full=True)
    stdout.write(f"Search index: {sum(written.values())} texts indexed.\n")
