"""The after-action report goes into the next briefing pack: published, to those who read
it, once; a draft stays the secretariat's."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from briefings.selectors.audiences import Audience, pack_audience
from briefings.selectors.content import pack_content
from crises.services import exercises as services
from tests.crises.conftest import CrisisWorld
from tests.crises.exercise_helpers import add_inject, make_exercise

pytestmark = pytest.mark.django_db


def test_a_published_report_is_in_the_next_pack_of_its_readers(cw: CrisisWorld) -> None:
    exercise = services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
    inject = add_inject(cw, exercise, "Low on fuel", to="RUS")
    services.inject_release(inject=inject, user=cw.sec)
    services.exercise_end(exercise=exercise, user=cw.sec)
    report = services.aar_draft(exercise=exercise, user=cw.sec)
    session = cw.table.session
    assert pack_audience(user=cw.user("sec"), session=session).exercise_reports == ()

    services.aar_update(
        report=report,
        user=cw.sec,
        text="<p>The hotline worked.</p>",
        improvements=[
            services.ImprovementInput(
                "Test the hotline monthly", timezone.localdate() + timedelta(days=30)
            )
        ],
        publish=True,
    )
    for name in ("sec", "us", "ru"):
        audience = pack_audience(user=cw.user(name), session=session)
        assert audience.exercise_reports == (report.pk,)
        assert Audience.from_json(audience.as_json()) == audience
        content = pack_content(session=session, audience=audience, viewer=cw.user(name))
        [view] = content.exercise_reports
        assert view.title == exercise.title
        assert "The hotline worked." in view.text_html
        assert view.improvements[0].startswith("Test the hotline monthly")
    for name in ("fr", "de"):
        assert pack_audience(user=cw.user(name), session=session).exercise_reports == ()


def test_a_report_ended_after_the_session_began_waits_for_the_next_pack(cw: CrisisWorld) -> None:
    exercise = services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
    with time_machine.travel(cw.table.session.starts_at + timedelta(days=1), tick=False):
        services.exercise_end(exercise=exercise, user=cw.sec)
        report = services.aar_draft(exercise=exercise, user=cw.sec)
        services.aar_update(report=report, user=cw.sec, text="<p>Late</p>", publish=True)
    # Ended after this session began: it waits for the session after it.
    assert pack_audience(user=cw.user("sec"), session=cw.table.session).exercise_reports == ()
