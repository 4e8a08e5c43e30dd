"""An exercise on the crisis world's Baltic crisis, played by the US, Russia and NATO."""

from __future__ import annotations

from crises.models import Exercise, Inject
from crises.services import exercises as services
from tests.crises.conftest import CrisisWorld


def make_exercise(cw: CrisisWorld, *, codes: tuple[str, ...] = ("USA", "RUS", "NATO")) -> Exercise:
    return services.exercise_create(
        user=cw.sec,
        title="Baltic intercept tabletop",
        crisis=cw.crisis,
        parties=[cw.table.parties[code] for code in codes],
        scenario="<p>A fighter closes on an airliner.</p><script>alert(1)</script>",
        objectives="Test the hotline.",
    )


def add_inject(
    cw: CrisisWorld, exercise: Exercise, text: str, *, to: str | None = None, **kwargs: object
) -> Inject:
    return services.inject_add(
        exercise=exercise,
        user=cw.sec,
        text=text,
        recipient=cw.table.parties[to] if to else None,
        **kwargs,  # type: ignore[arg-type]
    )
