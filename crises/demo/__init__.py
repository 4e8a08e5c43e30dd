"""The crises demo, on top of the members, agenda and minutes demos: dossiers, threat
assessments and the alert (``dossiers``, which seeds the off-ramps and norms of
``registers``), then the tabletop exercises (``exercises``). ``seed`` is the entry point
the demo command calls.

Idempotent: what exists is left alone, so running it twice changes nothing.
"""

from typing import TextIO

from crises.demo import dossiers, exercises


def seed(*, stdout: TextIO | None = None) -> None:
    dossiers.seed(stdout=stdout)
    exercises.seed(stdout=stdout)
