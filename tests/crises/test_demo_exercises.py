"""The exercises' demo: one exercise played and reported, one ready to run; the players
read what reached them; seeding twice changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import import_module

import pytest
import time_machine
from django.contrib.auth import get_user_model

from consult import parallel
from crises.demo import exercises as demo_exercises
from crises.models import Exercise, ImprovementItem, Inject, Response
from crises.models.exercises import AAR_PARALLEL, EXERCISE_PARALLEL
from crises.selectors.exercises import exercise_list, inject_list, report_of, response_list
from crises.services import exercises as services

pytestmark = pytest.mark.django_db

DAY = datetime(2027, 2, 3, 9, 0, tzinfo=UTC)


def test_a_played_and_a_ready_exercise_seeded_once() -> None:
    users = get_user_model().objects
    # Reads too under the pinned clock: the demo memberships and invitations are dated by it.
    with time_machine.travel(DAY, tick=False):
        for name in ("members.demo", "agenda.demo", "minutes.demo", "crises.demo"):
            import_module(name).seed()
        demo_exercises.seed()
        counts = (Exercise.objects.count(), Inject.objects.count(), Response.objects.count())
        demo_exercises.seed()
        assert (Exercise.objects.count(), Inject.objects.count(), Response.objects.count()) == (
            counts
        )
        played = Exercise.objects.get(title=demo_exercises.PLAYED)
        ready = Exercise.objects.get(title=demo_exercises.READY)
        assert played.status == Exercise.Status.ENDED
        assert ready.status == Exercise.Status.DRAFT
        assert {p.code for p in ready.parties.all()} >= {"USA", "RUS"}
        # The played one in Russian, confirmed; the authoritative text is English.
        version = parallel.version_for(played, EXERCISE_PARALLEL, "ru")
        assert (version.language, version.state) == ("ru", "confirmed")
        assert version["title"] == demo_exercises.PLAYED_RU[0]
        assert parallel.version_for(played, EXERCISE_PARALLEL, "en")["title"] == played.title
        rus, usa = users.get(username="delegate-rus"), users.get(username="delegate-usa")
        secretary = users.get(username="secretariat")

        report = report_of(user=usa, exercise=played)
        assert report is not None
        assert report.published_at is not None
        assert ImprovementItem.objects.filter(report=report).count() == 2
        # Its report in Russian too, confirmed; the English text stays authoritative.
        translated = parallel.version_for(report, AAR_PARALLEL, "ru")
        assert (translated.language, translated.state) == ("ru", "confirmed")
        assert translated["text"].startswith("<h2>Перехват над Балтикой, зима</h2>")
        assert parallel.version_for(report, AAR_PARALLEL, "en")["text"] == report.text
        assert [r.party.code for r in response_list(user=rus, exercise=played)] == ["RUS"]
        assert len(inject_list(user=usa, exercise=played)) == 2  # the secret one was disclosed

        # The ready exercise, run as the "done when" runs it.
        assert not exercise_list(user=rus).filter(pk=ready.pk).exists()
        services.exercise_start(exercise=ready, user=secretary)
        secret = ready.injects.get(recipient__code="RUS")
        services.inject_release(inject=secret, user=secretary)
        assert list(inject_list(user=rus, exercise=ready)) == [secret]
        assert list(inject_list(user=usa, exercise=ready)) == []
        services.response_record(inject=secret, user=rus, text="We ask NATO to clear it.")
        services.inject_disclose(inject=secret, user=secretary)
        assert list(inject_list(user=usa, exercise=ready)) == [secret]
