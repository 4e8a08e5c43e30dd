"""Tabletop exercises: the MSEL, live play, secrecy of injects, responses and the AAR."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from consult.errors import ApplicationError
from crises.models import Exercise, ExerciseEvent, Inject, Response
from crises.selectors import exercises as selectors
from crises.services import exercises as services
from crises.services.exercises import ImprovementInput
from minutes.models import ActionPoint
from minutes.services import record as record_services
from tests.crises.conftest import CrisisWorld
from tests.crises.exercise_helpers import add_inject, make_exercise
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


def read(cw: CrisisWorld, name: str, exercise: Exercise) -> list[str]:
    return [i.text for i in selectors.inject_list(user=cw.user(name), exercise=exercise)]


def running(cw: CrisisWorld) -> Exercise:
    exercise = make_exercise(cw)
    return services.exercise_start(exercise=exercise, user=cw.sec)


class TestPreparing:
    def test_the_secretariat_drafts_an_exercise_with_a_sanitised_scenario(
        self, cw: CrisisWorld
    ) -> None:
        exercise = make_exercise(cw)
        assert exercise.status == Exercise.Status.DRAFT
        assert exercise.session == cw.crisis.session
        assert exercise.facilitator == cw.sec
        assert "<script>" not in exercise.scenario
        assert "airliner" in exercise.scenario
        assert {p.code for p in exercise.parties.all()} == {"USA", "RUS", "NATO"}

    def test_a_delegate_cannot_prepare_an_exercise(self, cw: CrisisWorld) -> None:
        with pytest.raises(PermissionDenied):
            services.exercise_create(user=cw.user("us"), title="Mine", crisis=cw.crisis, parties=[])
        assert not Exercise.objects.exists()

    def test_an_exercise_is_on_an_item_or_a_crisis_not_both_nor_neither(
        self, cw: CrisisWorld
    ) -> None:
        parties = [cw.table.parties["USA"]]
        choices: list[dict[str, Any]] = [{}, {"crisis": cw.crisis, "item": cw.table.items[0]}]
        for kwargs in choices:
            with pytest.raises(ApplicationError, match="one agenda item or on one crisis"):
                services.exercise_create(user=cw.sec, title="T", parties=parties, **kwargs)
        assert not Exercise.objects.exists()

    def test_players_are_delegations_invited_to_the_session(self, cw: CrisisWorld) -> None:
        stranger = PartyFactory(code="ZZZ")
        with pytest.raises(ApplicationError, match="ZZZ is not invited"):
            services.exercise_create(user=cw.sec, title="T", crisis=cw.crisis, parties=[stranger])
        with pytest.raises(ApplicationError, match="Choose the delegations"):
            services.exercise_create(user=cw.sec, title="T", crisis=cw.crisis, parties=[])
        assert not Exercise.objects.exists()

    def test_a_secret_inject_goes_to_a_player_only(self, cw: CrisisWorld) -> None:
        exercise = make_exercise(cw)
        with pytest.raises(ApplicationError, match="does not take part"):
            add_inject(cw, exercise, "To France", to="FRA")
        assert not Inject.objects.exists()

    def test_a_recipient_of_an_inject_keeps_playing(self, cw: CrisisWorld) -> None:
        exercise = make_exercise(cw)
        add_inject(cw, exercise, "To Russia", to="RUS")
        with pytest.raises(ApplicationError, match="Injects go to RUS"):
            services.exercise_update(
                exercise=exercise,
                user=cw.sec,
                title="T",
                scenario="",
                objectives="",
                parties=[cw.table.parties["USA"]],
            )
        assert exercise.parties.count() == 3

    def test_injects_are_numbered_in_order_and_follow_ups_stay_in_the_exercise(
        self, cw: CrisisWorld
    ) -> None:
        exercise = make_exercise(cw)
        first = add_inject(cw, exercise, "First")
        second = add_inject(cw, exercise, "Second", follow_up=first, scheduled_after=5)
        assert (first.order, second.order) == (1, 2)
        other = make_exercise(cw)
        with pytest.raises(ApplicationError, match="another exercise"):
            add_inject(cw, other, "Elsewhere", follow_up=first)
        with pytest.raises(ApplicationError, match="between 0 and"):
            add_inject(cw, other, "Later", scheduled_after=-1)
        assert not other.injects.exists()


class TestSecrecy:
    def test_the_msel_is_the_secretariats_until_release(self, cw: CrisisWorld) -> None:
        exercise = running(cw)
        add_inject(cw, exercise, "Airliner squawks 7700", to="RUS")
        add_inject(cw, exercise, "Hotline rings")
        assert read(cw, "sec", exercise) == ["Airliner squawks 7700", "Hotline rings"]
        for name in ("us", "ru", "nato", "fr", "outsider"):
            assert read(cw, name, exercise) == []

    def test_a_secret_inject_reaches_its_recipient_alone_until_disclosed(
        self, cw: CrisisWorld
    ) -> None:
        exercise = running(cw)
        secret = add_inject(cw, exercise, "Your jet is low on fuel", to="RUS")
        services.inject_release(inject=secret, user=cw.sec)
        assert read(cw, "ru", exercise) == ["Your jet is low on fuel"]
        for name in ("us", "nato", "fr", "de", "ua", "outsider"):
            assert read(cw, name, exercise) == []
        with pytest.raises(Http404):
            selectors.inject_get(user=cw.user("us"), public_id=secret.public_id)

        services.inject_disclose(inject=secret, user=cw.sec)
        for name in ("us", "ru", "nato"):
            assert read(cw, name, exercise) == ["Your jet is low on fuel"]
        # Disclosure opens it to the players, not to the session's other delegations.
        for name in ("fr", "de", "outsider"):
            assert read(cw, name, exercise) == []

    def test_an_inject_to_all_reaches_every_player_from_its_release(self, cw: CrisisWorld) -> None:
        exercise = running(cw)
        inject = add_inject(cw, exercise, "Hotline rings")
        services.inject_release(inject=inject, user=cw.sec)
        for name in ("us", "ru", "nato"):
            assert read(cw, name, exercise) == ["Hotline rings"]
        assert read(cw, "fr", exercise) == []

    def test_players_see_the_exercise_once_started_and_others_never(self, cw: CrisisWorld) -> None:
        exercise = make_exercise(cw)

        def listed(name: str) -> bool:
            return selectors.exercise_list(user=cw.user(name)).filter(pk=exercise.pk).exists()

        assert listed("sec")
        assert not listed("us")
        services.exercise_start(exercise=exercise, user=cw.sec)
        assert listed("us")
        assert listed("ru")
        assert not listed("fr")
        assert not listed("outsider")
        with pytest.raises(Http404):
            selectors.exercise_get(user=cw.user("fr"), public_id=exercise.public_id)

    def test_a_response_is_read_by_its_party_and_the_secretariat_also_after_disclosure(
        self, cw: CrisisWorld
    ) -> None:
        exercise = running(cw)
        secret = add_inject(cw, exercise, "Your jet is low on fuel", to="RUS")
        services.inject_release(inject=secret, user=cw.sec)
        services.response_record(inject=secret, user=cw.user("ru"), text="We divert to Kaliningrad")
        services.inject_disclose(inject=secret, user=cw.sec)

        def answers(name: str) -> list[str]:
            return [r.text for r in selectors.response_list(user=cw.user(name), exercise=exercise)]

        assert answers("sec") == answers("ru") == ["We divert to Kaliningrad"]
        assert answers("us") == answers("nato") == []


class TestLivePlay:
    def test_start_pause_resume_and_end_in_order(self, cw: CrisisWorld) -> None:
        exercise = make_exercise(cw)
        with pytest.raises(ApplicationError, match="draft exercise cannot be paused"):
            services.exercise_pause(exercise=exercise, user=cw.sec)
        with pytest.raises(PermissionDenied):
            services.exercise_start(exercise=exercise, user=cw.user("us"))
        exercise = services.exercise_start(exercise=exercise, user=cw.sec)
        started = exercise.started_at
        exercise = services.exercise_pause(exercise=exercise, user=cw.sec)
        exercise = services.exercise_start(exercise=exercise, user=cw.sec)
        assert exercise.started_at == started
        exercise = services.exercise_end(exercise=exercise, user=cw.sec)
        assert exercise.status == Exercise.Status.ENDED
        assert exercise.ended_at is not None
        with pytest.raises(ApplicationError, match="ended exercise cannot be started"):
            services.exercise_start(exercise=exercise, user=cw.sec)
        assert ExerciseEvent.objects.filter(kind=ExerciseEvent.Kind.STATUS).count() == 4

    def test_an_inject_is_released_once_and_only_while_running(self, cw: CrisisWorld) -> None:
        exercise = make_exercise(cw)
        inject = add_inject(cw, exercise, "Hotline rings")
        with pytest.raises(ApplicationError, match="it is draft"):
            services.inject_release(inject=inject, user=cw.sec)
        services.exercise_start(exercise=exercise, user=cw.sec)
        with pytest.raises(PermissionDenied):
            services.inject_release(inject=inject, user=cw.user("us"))
        services.inject_release(inject=inject, user=cw.sec)
        with pytest.raises(ApplicationError, match="Inject 1 is already released"):
            services.inject_release(inject=inject, user=cw.sec)
        assert ExerciseEvent.objects.filter(kind=ExerciseEvent.Kind.RELEASED).count() == 1

    def test_disclosure_is_of_a_released_secret_inject_once(self, cw: CrisisWorld) -> None:
        exercise = running(cw)
        to_all = add_inject(cw, exercise, "Hotline rings")
        secret = add_inject(cw, exercise, "Low on fuel", to="RUS")
        with pytest.raises(ApplicationError, match="not released yet"):
            services.inject_disclose(inject=secret, user=cw.sec)
        services.inject_release(inject=to_all, user=cw.sec)
        with pytest.raises(ApplicationError, match="went to everyone"):
            services.inject_disclose(inject=to_all, user=cw.sec)
        services.inject_release(inject=secret, user=cw.sec)
        with pytest.raises(PermissionDenied):
            services.inject_disclose(inject=secret, user=cw.user("ru"))
        services.inject_disclose(inject=secret, user=cw.sec)
        with pytest.raises(ApplicationError, match="already disclosed"):
            services.inject_disclose(inject=secret, user=cw.sec)

    def test_scheduled_injects_are_released_when_due_while_running(self, cw: CrisisWorld) -> None:
        start = timezone.now().replace(microsecond=0)
        with time_machine.travel(start, tick=False):
            exercise = running(cw)
            soon = add_inject(cw, exercise, "Soon", scheduled_after=10)
            later = add_inject(cw, exercise, "Later", scheduled_after=30)
            add_inject(cw, exercise, "By hand")
        assert services.injects_release_due(now=start + timedelta(minutes=9)) == 0
        with time_machine.travel(start + timedelta(minutes=10), tick=False):
            assert services.injects_release_due(now=timezone.now()) == 1
            assert services.injects_release_due(now=timezone.now()) == 0
        soon.refresh_from_db()
        assert soon.released_at == start + timedelta(minutes=10)
        assert soon.released_by is None
        services.exercise_pause(exercise=exercise, user=cw.sec)
        assert services.injects_release_due(now=start + timedelta(minutes=31)) == 0
        services.exercise_start(exercise=exercise, user=cw.sec)
        assert services.injects_release_due(now=start + timedelta(minutes=31)) == 1
        later.refresh_from_db()
        assert later.released_at is not None
        assert exercise.injects.filter(released_at__isnull=True).count() == 1


class TestResponses:
    def test_a_player_answers_an_inject_it_reads(self, cw: CrisisWorld) -> None:
        exercise = running(cw)
        inject = add_inject(cw, exercise, "Hotline rings")
        services.inject_release(inject=inject, user=cw.sec)
        response = services.response_record(inject=inject, user=cw.user("us"), text="We answer")
        assert response.party.code == "USA"
        assert response.responded_by == cw.user("us")
        assert ExerciseEvent.objects.filter(response=response).exists()

    def test_an_unreleased_or_anothers_secret_inject_is_answered_as_missing(
        self, cw: CrisisWorld
    ) -> None:
        exercise = running(cw)
        unreleased = add_inject(cw, exercise, "Later")
        secret = add_inject(cw, exercise, "Low on fuel", to="RUS")
        services.inject_release(inject=secret, user=cw.sec)
        for inject in (unreleased, secret):
            with pytest.raises(Http404):
                services.response_record(inject=inject, user=cw.user("us"), text="Guess")
        assert not Response.objects.exists()

    def test_a_party_not_playing_cannot_respond(self, cw: CrisisWorld) -> None:
        exercise = running(cw)
        inject = add_inject(cw, exercise, "Hotline rings")
        services.inject_release(inject=inject, user=cw.sec)
        with pytest.raises(Http404):
            services.response_record(inject=inject, user=cw.user("fr"), text="Me too")
        with pytest.raises(PermissionDenied, match="does not take part"):
            services.response_record(
                inject=inject, user=cw.user("ru"), text="As the US", party=cw.table.parties["USA"]
            )
        with pytest.raises(PermissionDenied, match="Only a delegation taking part"):
            services.response_record(inject=inject, user=cw.sec, text="As the chair")
        assert not Response.objects.exists()

    def test_a_disclosed_secret_inject_is_answered_by_its_recipient_only(
        self, cw: CrisisWorld
    ) -> None:
        exercise = running(cw)
        secret = add_inject(cw, exercise, "Low on fuel", to="RUS")
        services.inject_release(inject=secret, user=cw.sec)
        services.inject_disclose(inject=secret, user=cw.sec)
        with pytest.raises(ApplicationError, match="only it responds"):
            services.response_record(inject=secret, user=cw.user("us"), text="Ours")
        assert not Response.objects.exists()

    def test_no_response_after_the_end_nor_an_empty_one(self, cw: CrisisWorld) -> None:
        exercise = running(cw)
        inject = add_inject(cw, exercise, "Hotline rings")
        services.inject_release(inject=inject, user=cw.sec)
        with pytest.raises(ApplicationError, match="The response is required"):
            services.response_record(inject=inject, user=cw.user("us"), text="  ")
        services.exercise_end(exercise=exercise, user=cw.sec)
        with pytest.raises(ApplicationError, match="has ended"):
            services.response_record(inject=inject, user=cw.user("us"), text="Late")
        assert not Response.objects.exists()


class TestEventFeed:
    def test_each_reader_is_told_only_what_it_reads_and_moves_past_the_rest(
        self, cw: CrisisWorld
    ) -> None:
        exercise = running(cw)
        secret = add_inject(cw, exercise, "Low on fuel", to="RUS")
        services.inject_release(inject=secret, user=cw.sec)
        services.response_record(inject=secret, user=cw.user("ru"), text="Diverting")

        def kinds(name: str, after: int = 0) -> tuple[list[str], int]:
            events, last = selectors.event_feed(user=cw.user(name), exercise=exercise, after=after)
            return [e.kind for e in events], last

        newest = ExerciseEvent.objects.order_by("-id").first()
        assert newest is not None
        assert kinds("ru") == (["status", "released", "response"], newest.id)
        assert kinds("sec") == (["status", "released", "response"], newest.id)
        assert kinds("us") == (["status"], newest.id)
        assert kinds("us", after=newest.id) == ([], newest.id)

        services.inject_disclose(inject=secret, user=cw.sec)
        assert kinds("us", after=newest.id)[0] == ["disclosed"]


class TestAfterActionReport:
    def played(self, cw: CrisisWorld) -> Exercise:
        exercise = running(cw)
        inject = add_inject(cw, exercise, "Low on fuel", to="RUS", expected_response="Divert")
        add_inject(cw, exercise, "Never sent")
        services.inject_release(inject=inject, user=cw.sec)
        services.response_record(inject=inject, user=cw.user("ru"), text="Diverting <b>now</b>")
        return exercise

    def test_the_aar_is_drafted_from_the_timeline_after_the_end(self, cw: CrisisWorld) -> None:
        exercise = self.played(cw)
        with pytest.raises(ApplicationError, match="once the exercise has ended"):
            services.aar_draft(exercise=exercise, user=cw.sec)
        services.exercise_end(exercise=exercise, user=cw.sec)
        with pytest.raises(PermissionDenied):
            services.aar_draft(exercise=exercise, user=cw.user("ru"))
        report = services.aar_draft(exercise=exercise, user=cw.sec)
        for fragment in ("Low on fuel", "Russia", "Divert", "Diverting &lt;b&gt;now", "Never sent"):
            assert fragment in report.text
        with pytest.raises(ApplicationError, match="already drafted"):
            services.aar_draft(exercise=exercise, user=cw.sec)

    def test_the_aar_is_the_secretariats_until_published(self, cw: CrisisWorld) -> None:
        exercise = self.played(cw)
        services.exercise_end(exercise=exercise, user=cw.sec)
        report = services.aar_draft(exercise=exercise, user=cw.sec)
        assert selectors.report_of(user=cw.user("us"), exercise=exercise) is None
        with pytest.raises(ApplicationError, match="The report is empty"):
            services.aar_update(report=report, user=cw.sec, text=" ")
        services.aar_update(report=report, user=cw.sec, text="<p>Lessons</p>", publish=True)
        assert selectors.report_of(user=cw.user("us"), exercise=exercise) is not None
        assert selectors.report_of(user=cw.user("fr"), exercise=exercise) is None

    def test_confirmed_improvements_become_action_points_once(self, cw: CrisisWorld) -> None:
        exercise = self.played(cw)
        services.exercise_end(exercise=exercise, user=cw.sec)
        report = services.aar_draft(exercise=exercise, user=cw.sec)
        due = date(2031, 1, 31)
        with pytest.raises(ApplicationError, match="Improvement 1: France did not take part"):
            services.aar_update(
                report=report,
                user=cw.sec,
                text="<p>Lessons</p>",
                improvements=[ImprovementInput("Test", due, cw.table.parties["FRA"])],
            )
        services.aar_update(
            report=report,
            user=cw.sec,
            text="<p>Lessons</p>",
            improvements=[
                ImprovementInput("Test the hotline monthly", due, cw.table.parties["RUS"]),
                ImprovementInput("Share squawk codes", due),
            ],
        )
        with pytest.raises(ApplicationError, match="no minutes yet"):
            services.aar_improvements_to_action_points(report=report, user=cw.sec)
        minutes = record_services.minutes_create(session=exercise.session, user=cw.sec)
        for code in ("RUS",):
            record_services.attendance_record(
                minutes=minutes,
                party=cw.table.parties[code],
                user=cw.sec,
                delegates=[cw.user("ru")],
            )
        with pytest.raises(PermissionDenied):
            services.aar_improvements_to_action_points(report=report, user=cw.user("ru"))
        assert services.aar_improvements_to_action_points(report=report, user=cw.sec) == 2
        points = ActionPoint.objects.filter(minutes=minutes).order_by("description")
        assert [(p.description, p.owner_id) for p in points] == [
            ("Share squawk codes", None),
            ("Test the hotline monthly", cw.table.parties["RUS"].pk),
        ]
        with pytest.raises(ApplicationError, match="already an action point"):
            services.aar_improvements_to_action_points(report=report, user=cw.sec)
