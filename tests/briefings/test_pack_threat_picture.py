"""The pack's threat picture, read back from the PDFs: the released picture (charts and
tables) for every participant, a delegation's sealed scores in its own pack only, and a
release or a new score changing the content version so the packs are rebuilt."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from agenda.models import Session
from briefings.selectors.audiences import pack_audience
from briefings.selectors.content import pack_content
from briefings.selectors.versions import pack_content_version
from crises.models import Assessment
from crises.services import assessments as assessment_services
from crises.services import crises as crisis_services
from crises.services import threats as threat_services
from crises.services.assessments import ScoreInput
from tests.briefings.packs import Table, build_packs, copy_of, pages_text, read

COLLISION, SABOTAGE = "Mid-air collision over the Baltic", "Cable sabotage in the Baltic"
US_RELEASED = "US ROUND ONE: intercepts are getting closer"
US_SEALED = "US SEALED ROUND TWO: we now expect fewer incidents"
RU_SEALED = "RU SEALED ROUND TWO: no change in our view"


def _submit(table: Table, code: str, assessment: Assessment, values: list[Any]) -> None:
    threats = list(assessment.threats.order_by("title"))  # Cable sabotage, Mid-air collision
    assessment_services.scores_submit(
        user=table.user(code),
        assessment=assessment,
        answers=[
            ScoreInput(
                threat=next(t for t in threats if t.title == title),
                likelihood=likelihood,
                impact=impact,
                trend="rising",
                confidence="medium",
                rationale=rationale,
            )
            for title, likelihood, impact, rationale in values
        ],
    )


def _assess(table: Table) -> Assessment:
    """Round 1 scored by the US, Russia and NATO and released; round 2 open on the collision
    (its likelihood spread, 1, is not below the threshold of 1)."""
    Session.objects.filter(pk=table.session.pk).update(kind=Session.Kind.REGULAR)
    table.session.refresh_from_db()
    sec = table.secretary
    crisis = crisis_services.crisis_create(
        user=sec, session=table.session, title="Baltic Sea airspace incidents",
        region="Baltic Sea", on=timezone.localdate(),
    )  # fmt: skip
    threats = [
        threat_services.threat_create(user=sec, title=title, crisis=crisis, region="Baltic Sea")
        for title in (COLLISION, SABOTAGE)
    ]
    assessment = assessment_services.assessment_open(
        user=sec, session=table.session, threats=threats,
        deadline=timezone.now() + timedelta(days=5),
    )  # fmt: skip
    _submit(table, "USA", assessment, [(COLLISION, 4, 5, US_RELEASED), (SABOTAGE, 2, 2, "")])
    _submit(table, "RUS", assessment, [(COLLISION, 2, 5, ""), (SABOTAGE, 2, 2, "")])
    _submit(table, "NATO", assessment, [(COLLISION, 4, 4, ""), (SABOTAGE, 3, 2, "")])
    assessment_services.round_release(user=sec, assessment=assessment)
    assessment_services.round_open_next(
        user=sec, assessment=assessment, deadline=timezone.now() + timedelta(days=6)
    )
    _submit(table, "USA", assessment, [(COLLISION, 3, 5, US_SEALED)])
    _submit(table, "RUS", assessment, [(COLLISION, 2, 4, RU_SEALED)])
    return assessment


def _text(table: Table, code: str) -> str:
    return " ".join(pages_text(read(copy_of(table.user(code), table.session).file)))


@pytest.mark.django_db
def test_each_pack_shows_the_released_picture_and_only_its_own_sealed_scores(
    table: Table,
) -> None:
    _assess(table)
    build_packs(table.session, only=[table.user("USA"), table.user("RUS")])
    usa, rus = _text(table, "USA"), _text(table, "RUS")
    for text in (usa, rus):
        assert "Threat picture" in text
        assert "Risk matrix" in text
        # collision: likelihood 2, 4, 4 -> median 4 (3 to 4); impact 4, 5, 5 -> 5 (4.5 to 5)
        assert f"{COLLISION}: likelihood 4, impact 5, spread 1" in text
        # sabotage: likelihood 2, 2, 3 -> 2 (2 to 2.5); impact 2 throughout
        assert f"{SABOTAGE}: likelihood 2, impact 2, spread 0.5" in text
        assert "4 (3\N{EN DASH}4)" in text
        assert "5 (4.5\N{EN DASH}5)" in text
        assert US_RELEASED in text  # released rationales are the participants'
        assert "A participant" in text  # anonymised for everyone but the party itself
    assert "Your delegation's scores" in usa
    assert US_SEALED in usa
    assert RU_SEALED not in usa
    assert RU_SEALED in rus
    assert US_SEALED not in rus
    # Each saw their own party named in an anonymised picture: never one render for both.
    assert copy_of(table.user("USA"), table.session).render_id != (
        copy_of(table.user("RUS"), table.session).render_id
    )


@pytest.mark.django_db
def test_no_sealed_score_reaches_the_secretariat_or_another_delegation(table: Table) -> None:
    _assess(table)
    secretariat = pack_audience(user=table.secretary, session=table.session)
    assert secretariat.own_scores == ()
    assert (
        pack_content(session=table.session, audience=secretariat, viewer=table.secretary).own_scores
        is None
    )
    nato = pack_audience(user=table.user("NATO"), session=table.session)
    assert nato.own_scores == ()  # NATO has not scored round 2
    assert nato.threat_assessment is not None
    usa = pack_audience(user=table.user("USA"), session=table.session)
    rus = pack_audience(user=table.user("RUS"), session=table.session)
    assert len(usa.own_scores) == len(rus.own_scores) == 1
    assert set(usa.own_scores).isdisjoint(rus.own_scores)
    assert usa.threat_parties == (table.parties["USA"].pk,)
    # A render built for the US is not the Russians' to receive.
    assert not usa.within(rus)
    content = pack_content(session=table.session, audience=usa, viewer=table.user("USA"))
    assert content.own_scores is not None
    assert [s.rationale for s in content.own_scores.scores] == [US_SEALED]
    assert content.classification == "Confidential · includes delegation-only notes"


@pytest.mark.django_db
def test_a_pack_without_an_assessment_has_no_threat_picture(table: Table) -> None:
    audience = pack_audience(user=table.user("USA"), session=table.session)
    assert (audience.threat_assessment, audience.own_scores) == (None, ())
    content = pack_content(session=table.session, audience=audience, viewer=table.user("USA"))
    assert content.threat_picture is None
    assert content.own_scores is None


@pytest.mark.django_db
def test_a_release_and_a_new_score_change_the_content_version(table: Table) -> None:
    Session.objects.filter(pk=table.session.pk).update(kind=Session.Kind.REGULAR)
    table.session.refresh_from_db()
    sec = table.secretary
    threat = threat_services.threat_create(user=sec, title=COLLISION, region="Baltic Sea")
    assessment = assessment_services.assessment_open(
        user=sec, session=table.session, threats=[threat],
        deadline=timezone.now() + timedelta(days=5),
    )  # fmt: skip
    versions = [pack_content_version(session=table.session)]
    _submit(table, "USA", assessment, [(COLLISION, 4, 5, "first")])
    versions.append(pack_content_version(session=table.session))
    _submit(table, "USA", assessment, [(COLLISION, 3, 5, "changed our mind")])
    versions.append(pack_content_version(session=table.session))
    assessment_services.round_release(user=sec, assessment=assessment)
    versions.append(pack_content_version(session=table.session))
    assert len(set(versions)) == 4
    assert pack_content_version(session=table.session) == versions[-1]
