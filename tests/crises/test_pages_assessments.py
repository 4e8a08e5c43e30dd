"""The assessment pages: a delegation scores the open round on one form, the secretariat
releases it and may ask again, every participant reads the released picture; the seal
holds on every page, refusals leave nothing saved, and queries do not grow with rows."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crises.models import Assessment, AssessmentRound, Score
from crises.services import assessments as assessment_services
from crises.services import threats as threat_services
from crises.services.assessments import ScoreInput
from tests.crises.conftest import CrisisWorld, build_crisis_world
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SECRET = "US-ONLY rationale: the intercepts are rehearsals"


SVG = "{http://www.w3.org/2000/svg}"


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def detail(cw: CrisisWorld) -> str:
    return reverse("crises:assessment_detail", kwargs={"public_id": cw.assessment.public_id})


def score_data(cw: CrisisWorld, values: list[tuple[Any, Any]], **extra: str) -> dict[str, Any]:
    data: dict[str, Any] = dict(extra)
    for threat, (likelihood, impact) in zip(cw.threats, values, strict=True):
        prefix = f"t-{threat.public_id}-"
        data |= {
            f"{prefix}likelihood": likelihood,
            f"{prefix}impact": impact,
            f"{prefix}trend": "rising",
            f"{prefix}confidence": "high",
            f"{prefix}rationale": f"{SECRET} ({threat.title})",
        }
    return data


def text(response: Any) -> str:
    return response.content.decode()


def test_a_delegate_scores_every_threat_on_one_form(cw: CrisisWorld) -> None:
    us = client_for(cw.user("us"))
    page = us.get(detail(cw))
    assert page.status_code == 200
    body = text(page)
    assert "Your delegation's scores, round 1" in body
    assert body.count('type="radio" name="t-') == 3 * (5 + 5 + 3 + 3)
    assert "0 parties have scored round 1" in body

    response = us.post(detail(cw), score_data(cw, [(4, 5), (2, 3), (1, 1)]))
    assert response.status_code == 302
    saved = {s.threat_id: (s.likelihood, s.impact) for s in Score.objects.all()}
    assert saved == {cw.threats[0].pk: (4, 5), cw.threats[1].pk: (2, 3), cw.threats[2].pk: (1, 1)}
    assert {s.party.code for s in Score.objects.all()} == {"USA"}

    # The form comes back filled with the delegation's own scores.
    again = text(us.get(detail(cw)))
    prefix = f"t-{cw.threats[0].public_id}-"
    assert re.search(rf'name="{prefix}likelihood" value="4"[^>]*checked', again)
    assert re.search(rf'name="{prefix}impact" value="5"[^>]*checked', again)
    assert "Your delegation has scored this round" in again
    assert "1 party has scored round 1" in again


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([(7, 3), (2, 3), (1, 1)], "Likelihood is scored from 1 to 5."),
        ([(3, 0), (2, 3), (1, 1)], "Impact is scored from 1 to 5."),
        ([(3, ""), (2, 3), (1, 1)], "Give the impact from 1 to 5."),
    ],
)
def test_a_score_off_the_scale_is_shown_on_the_form_and_nothing_saved(
    cw: CrisisWorld, values: list[tuple[Any, Any]], message: str
) -> None:
    response = client_for(cw.user("us")).post(detail(cw), score_data(cw, values))
    assert response.status_code == 400
    assert message in text(response)
    assert not Score.objects.exists()


def test_after_the_deadline_no_form_is_offered_and_a_post_is_refused(cw: CrisisWorld) -> None:
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        us = client_for(cw.user("us"))
        page = text(us.get(detail(cw)))
        assert "Your delegation's scores" not in page
        assert "Closed at the deadline, not yet released" in page
        response = us.post(detail(cw), score_data(cw, [(3, 3), (3, 3), (3, 3)]))
    assert response.status_code == 400
    assert "closed at its deadline; scores are no longer taken" in text(response)
    assert not Score.objects.exists()


def test_who_holds_no_seat_gets_no_form_and_is_refused(cw: CrisisWorld) -> None:
    for name in ("de", "csto", "sec"):
        client = client_for(cw.user(name))
        assert "Your delegation's scores" not in text(client.get(detail(cw))), name
        response = client.post(detail(cw), score_data(cw, [(3, 3), (3, 3), (3, 3)]))
        assert response.status_code == 403, name
    assert not Score.objects.exists()


def test_readers_only(cw: CrisisWorld) -> None:
    anonymous = Client().get(detail(cw))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert client_for(cw.user("outsider")).get(detail(cw)).status_code == 404
    response = client_for(cw.user("outsider")).post(detail(cw), score_data(cw, [(3, 3)] * 3))
    assert response.status_code == 404
    missing = reverse("crises:assessment_detail", kwargs={"public_id": Score().public_id})
    assert client_for(cw.user("us")).get(missing).status_code == 404
    assert not Score.objects.exists()


def test_a_delegate_speaking_for_two_seat_holders_chooses_the_party(cw: CrisisWorld) -> None:
    MembershipFactory(delegation=cw.table.parties["NATO"].delegation, user=cw.user("us"))
    us = client_for(cw.user("us"))
    body = text(us.get(detail(cw)))
    assert 'name="party"' in body
    response = us.post(detail(cw), score_data(cw, [(2, 2)] * 3, party="NATO"))
    assert response.status_code == 302
    assert {s.party.code for s in Score.objects.all()} == {"NATO"}
    # Another delegation's code is no choice of theirs: refused, nothing saved.
    response = us.post(detail(cw), score_data(cw, [(5, 5)] * 3, party="RUS"))
    assert response.status_code == 400
    assert Score.objects.filter(likelihood=5).count() == 0


def _score(cw: CrisisWorld, name: str, values: list[tuple[int, int]], rationale: str = "") -> None:
    assessment_services.scores_submit(
        user=cw.user(name),
        assessment=cw.assessment,
        answers=[
            ScoreInput(
                threat=threat,
                likelihood=likelihood,
                impact=impact,
                trend="steady",
                confidence="medium",
                rationale=rationale or f"{name} on {threat.title}",
            )
            for threat, (likelihood, impact) in zip(cw.threats, values, strict=False)
        ],
    )


def _pages(cw: CrisisWorld) -> list[str]:
    return [
        detail(cw),
        reverse("crises:assessment_list"),
        reverse("crises:crisis_detail", kwargs={"public_id": cw.crisis.public_id}),
        reverse("crises:crisis_list"),
        reverse("crises:threat_list"),
        reverse("crises:threat_trend"),
        cw.table.session.get_absolute_url(),
    ]


def test_no_page_shows_another_party_s_unreleased_scores(cw: CrisisWorld) -> None:
    """Russia, NATO and the secretariat never read the US scores or rationale before
    release, on any page; the US reads its own."""
    _score(cw, "us", [(5, 4), (5, 4), (5, 4)], rationale=SECRET)
    _score(cw, "ru", [(1, 2), (1, 2), (1, 2)])
    for name in ("ru", "nato", "sec", "fr"):
        client = client_for(cw.user(name))
        for url in _pages(cw):
            response = client.get(url)
            assert response.status_code == 200, (name, url)
            assert SECRET not in text(response), (name, url)
    ru_page = text(client_for(cw.user("ru")).get(detail(cw)))
    prefix = f"t-{cw.threats[0].public_id}-"
    # Russia's form is filled with its own scores, never the US ones.
    assert re.search(rf'name="{prefix}likelihood" value="1"[^>]*checked', ru_page)
    assert not re.search(rf'name="{prefix}likelihood" value="5"[^>]*checked', ru_page)
    assert "2 parties have scored round 1" in ru_page
    assert "No round has been released yet" in ru_page
    # The secretariat sees who has answered, to decide on release, never what.
    sec_page = text(client_for(cw.sec).get(detail(cw)))
    assert "Russian Federation (RUS), United States of America (USA)" in sec_page
    assert "Release round 1" in sec_page
    assert "5 / 4" not in sec_page
    assert SECRET in text(client_for(cw.user("us")).get(detail(cw)))


def test_release_is_the_secretariat_s_and_shows_the_picture(cw: CrisisWorld) -> None:
    _score(cw, "us", [(1, 1), (2, 2), (3, 3)], rationale=SECRET)
    _score(cw, "ru", [(5, 5), (2, 2), (3, 3)])
    _score(cw, "nato", [(1, 1), (2, 2), (3, 3)])
    _score(cw, "fr", [(5, 5), (2, 2), (3, 3)])
    release = reverse("crises:round_release", kwargs={"public_id": cw.assessment.public_id})
    for name in ("us", "ru", "de"):
        assert client_for(cw.user(name)).post(release).status_code == 404, name
    assert Client().post(release).status_code == 302  # to the login page
    assert not AssessmentRound.objects.filter(released_at__isnull=False).exists()

    assert client_for(cw.sec).post(release).status_code == 302
    assert AssessmentRound.objects.get().released_at is not None
    page = text(client_for(cw.user("ru")).get(detail(cw)))
    # The risk matrix, the divergence chart and the threats over the quarters, each an
    # image of its SVG with its title (the trend was missing from the page: walkthrough).
    assert page.count('src="data:image/svg+xml;base64,') == 3
    assert 'alt="Risk matrix, CCB/T/1 round 1' in page
    assert "Over the quarters" in page
    assert f'href="{reverse("crises:threat_trend")}"' in page
    assert "Round 1, released" in page
    # Threat 0: 1, 1, 5, 5 → median 3, quartiles 1 and 5, spread 4.
    assert "median 3, quartiles 1\N{EN DASH}5 (IQR 4)" in page
    assert "<td>Views diverged" not in page  # a first round has no verdict
    # Anonymised: Russia reads its own name and "A participant" for the others.
    assert "Russian Federation (RUS)" in page
    assert "A participant" in page
    assert "United States of America (USA)" not in page
    charts = [
        base64.b64decode(encoded).decode()
        for encoded in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    ]
    assert len(charts) == 3
    assert all("United States" not in chart for chart in charts)
    assert "A participant" in charts[1]  # the divergence chart labels each party's mark
    # The trend: one point per quarter for each of the round's three threats (one quarter
    # released here), beside its table.
    trend = ET.fromstring(charts[2])
    assert "Threats over quarters" in (trend.findtext(f"{SVG}title") or "")
    trend_table = page.split("These threats' median and spread")[1].split("</table>")[0]
    assert trend_table.count("<tr><td>") == len(cw.threats)
    assert SECRET in page  # rationales are part of the released picture
    assert "Views have not converged on every threat." in page
    # The score form and the release button are no longer offered.
    assert "Your delegation's scores" not in page
    sec_page = text(client_for(cw.sec).get(detail(cw)))
    assert "Release round" not in sec_page
    assert "Open round 2" in sec_page


def test_a_further_round_is_offered_only_while_views_diverge(cw: CrisisWorld) -> None:
    _score(cw, "us", [(1, 1), (2, 2), (3, 3)])
    _score(cw, "ru", [(5, 5), (2, 2), (3, 3)])
    assessment_services.round_release(user=cw.sec, assessment=cw.assessment)
    url = reverse("crises:round_open_next", kwargs={"public_id": cw.assessment.public_id})
    deadline = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    assert client_for(cw.user("us")).post(url, {"deadline": deadline}).status_code == 404
    response = client_for(cw.sec).post(url, {"deadline": "next week"})
    assert response.status_code == 302
    assert AssessmentRound.objects.count() == 1
    assert client_for(cw.sec).post(url, {"deadline": deadline}).status_code == 302
    second = AssessmentRound.objects.get(number=2)
    assert list(second.threats.all()) == [cw.threats[0]]
    # Round 1's picture stays shown while round 2 is scored.
    page = text(client_for(cw.user("us")).get(detail(cw)))
    assert "Your delegation's scores, round 2" in page
    assert "Round 1, released" in page
    assert page.count('type="radio" name="t-') == 5 + 5 + 3 + 3


def test_a_further_round_closing_after_the_session_opens_is_refused_on_the_page(
    cw: CrisisWorld,
) -> None:
    _score(cw, "us", [(1, 1), (2, 2), (3, 3)])
    _score(cw, "ru", [(5, 5), (2, 2), (3, 3)])
    assessment_services.round_release(user=cw.sec, assessment=cw.assessment)
    url = reverse("crises:round_open_next", kwargs={"public_id": cw.assessment.public_id})
    late = (cw.assessment.session.starts_at + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    response = client_for(cw.sec).post(url, {"deadline": late}, follow=True)
    assert response.status_code == 200
    number = cw.assessment.session.number
    assert f"Round 2 closes before session {number} opens." in text(response)
    assert AssessmentRound.objects.filter(assessment=cw.assessment).count() == 1


def test_no_further_round_is_offered_once_views_converge(cw: CrisisWorld) -> None:
    _score(cw, "us", [(3, 3), (2, 2), (4, 4)])
    _score(cw, "ru", [(3, 3), (2, 2), (4, 4)])
    assessment_services.round_release(user=cw.sec, assessment=cw.assessment)
    page = text(client_for(cw.sec).get(detail(cw)))
    assert "Views have converged on every threat." in page
    assert "Open round 2" not in page


@pytest.mark.parametrize(
    ("moment", "deadline", "venue", "utc"),
    [
        # Vienna keeps CET (UTC+1) in winter and CEST (UTC+2) in summer.
        (
            datetime(2027, 1, 5, 9, 0, tzinfo=UTC),
            datetime(2027, 1, 12, 11, 0, tzinfo=UTC),
            "12 January 2027, 12:00",
            "12 January 2027, 11:00 UTC",
        ),
        (
            datetime(2027, 7, 5, 9, 0, tzinfo=UTC),
            datetime(2027, 7, 12, 11, 0, tzinfo=UTC),
            "12 July 2027, 13:00",
            "12 July 2027, 11:00 UTC",
        ),
    ],
    ids=["winter", "summer"],
)
def test_the_deadline_reads_in_the_venue_s_zone(
    db: None, moment: datetime, deadline: datetime, venue: str, utc: str
) -> None:
    with time_machine.travel(moment, tick=False):
        cw = build_crisis_world()
        AssessmentRound.objects.update(deadline=deadline)
        page = text(client_for(cw.user("us")).get(detail(cw)))
    assert cw.table.session.venue_timezone == "Europe/Vienna"
    assert f'<td class="deadline-venue">{venue}</td>' in page
    assert f'<td class="deadline-utc">{utc}</td>' in page
    assert "Deadline (Europe/Vienna, venue)" in page


def test_opening_an_assessment(db: None) -> None:
    cw = build_crisis_world()
    other = cw.table.session
    # A fresh regular session to assess (the world's session already has its assessment).
    from tests.minutes.conftest import build_world

    table = build_world(number="CCB/T/2", starts_at=timezone.now() + timedelta(days=40))
    table.session.status = "scheduled"
    table.session.save(update_fields=["status"])
    cw.table.users["sec"] = table.user("sec")  # the same account, as saved again
    url = reverse("crises:assessment_open")
    retired = threat_services.threat_retire(threat=cw.threats[2], user=cw.sec)
    page = client_for(cw.sec).get(url)
    assert page.status_code == 200
    assert "CCB/T/2" in text(page)
    assert cw.threats[0].title in text(page)
    assert retired.title not in text(page)
    data = {
        "session": str(table.session.public_id),
        "threats": [str(cw.threats[0].public_id), str(cw.threats[1].public_id)],
        "deadline": (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%d %H:%M"),
        "attribution": "attributed",
        "convergence_threshold": "0.5",
    }
    # The deadline falls after the session opens: refused with the service's reason.
    late = data | {"deadline": (timezone.now() + timedelta(days=50)).strftime("%Y-%m-%d %H:%M")}
    response = client_for(cw.sec).post(url, late)
    assert response.status_code == 400
    assert "The first round closes before session CCB/T/2 opens." in text(response)
    assert Assessment.objects.count() == 1
    # A delegate does not find the page.
    assert client_for(cw.user("us")).post(url, data).status_code == 404
    assert Assessment.objects.count() == 1
    response = client_for(cw.sec).post(url, data)
    assert response.status_code == 302
    opened = Assessment.objects.get(session=table.session)
    assert opened.convergence_threshold == Decimal("0.5")
    assert opened.attribution == "attributed"
    assert set(opened.threats.all()) == set(cw.threats[:2])
    assert other != table.session


def _grow(cw: CrisisWorld, extra: int) -> None:
    """``extra`` more threats in the assessment and its round, scored by four parties."""
    threats = [
        threat_services.threat_create(user=cw.sec, title=f"Extra threat {n}", crisis=cw.crisis)
        for n in range(extra)
    ]
    cw.assessment.threats.add(*threats)
    AssessmentRound.objects.get(assessment=cw.assessment).threats.add(*threats)
    cw.threats.extend(threats)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("released", [False, True], ids=["open", "released"])
def test_queries_do_not_grow_with_threats_and_parties(
    cw: CrisisWorld, score: Callable[..., None], released: bool
) -> None:
    def run(names: tuple[str, ...]) -> dict[str, int]:
        for name in names:
            _score(cw, name, [(n % 5 + 1, (n * 2) % 5 + 1) for n in range(len(cw.threats))])
        counts = {}
        for viewer in ("us", "sec"):
            counts[viewer] = _queries(client_for(cw.user(viewer)), detail(cw))
        return counts

    if released:
        small = run(("us", "ru"))
        # Compare two released rounds of different sizes: a fresh round 2 on all threats.
        assessment_services.round_release(user=cw.sec, assessment=cw.assessment)
        small = {viewer: _queries(client_for(cw.user(viewer)), detail(cw)) for viewer in small}
        AssessmentRound.objects.filter(assessment=cw.assessment).delete()
        Score.objects.all().delete()
        new_round = AssessmentRound.objects.create(
            assessment=cw.assessment, number=1, deadline=timezone.now() + timedelta(days=5)
        )
        _grow(cw, 5)
        new_round.threats.set(cw.threats)
        run(("us", "ru", "nato", "fr"))
        assessment_services.round_release(user=cw.sec, assessment=cw.assessment)
        large = {viewer: _queries(client_for(cw.user(viewer)), detail(cw)) for viewer in small}
    else:
        small = run(("us",))
        _grow(cw, 5)
        large = run(("us", "ru", "nato", "fr"))
    assert large == small


def _assessment_rows(client: Client) -> dict[str, tuple[str, str]]:
    """The assessments list read back: session number → (state, deadline)."""
    page = text(client.get(reverse("crises:assessment_list")))
    rows = re.findall(
        r"Threat assessment for ([^<]+)</a></td>.*?"
        r'<td class="assessment-state">([^<]*)</td>\s*'
        r'<td class="assessment-deadline">([^<]*)</td>',
        page,
        re.DOTALL,
    )
    return {number: (state, deadline) for number, state, deadline in rows}


def _viewers() -> dict[str, Client]:
    accounts = get_user_model().objects.filter(username__in=("us", "sec"))
    return {account.username: client_for(account) for account in accounts}


def test_the_list_says_where_each_assessment_stands_and_its_deadline(db: None) -> None:
    """Open for scores, closed and awaiting release, or released, by the latest round, with
    its deadline in the venue's zone; read in the list's queries however many are listed."""
    from tests.minutes.conftest import build_world

    url = reverse("crises:assessment_list")
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=UTC), tick=False):
        cw = build_crisis_world()
        AssessmentRound.objects.update(deadline=datetime(2027, 1, 12, 11, 0, tzinfo=UTC))
        viewers = _viewers()
        small = {name: _queries(client, url) for name, client in viewers.items()}
        assert _assessment_rows(viewers["us"]) == {
            "CCB/T/1": ("Round 1 open for scores", "12 January 2027, 12:00 (Europe/Vienna)")
        }
        # CCB/T/1: round 1 released, round 2 asked again on the split threat.
        _score(cw, "us", [(1, 1), (2, 2), (3, 3)])
        _score(cw, "ru", [(5, 5), (2, 2), (3, 3)])
        assessment_services.round_release(user=cw.sec, assessment=cw.assessment)
        assessment_services.round_open_next(
            user=cw.sec,
            assessment=cw.assessment,
            deadline=datetime(2027, 1, 14, 11, 0, tzinfo=UTC),
        )
        opened = {}
        for n, month in ((2, 4), (3, 7), (4, 10)):  # one regular session a quarter
            table = build_world(
                number=f"CCB/T/{n}", starts_at=datetime(2027, month, 15, 9, 0, tzinfo=UTC)
            )
            table.session.status = "scheduled"
            table.session.save(update_fields=["status"])
            opened[n] = assessment_services.assessment_open(
                user=table.user("sec"),
                session=table.session,
                threats=cw.threats,
                deadline=datetime(2027, 1, 22, 10, 15, tzinfo=UTC),
            )
        # CCB/T/3: round 1 closed yesterday, not released.
        AssessmentRound.objects.filter(assessment=opened[3]).update(
            deadline=datetime(2027, 1, 4, 16, 30, tzinfo=UTC)
        )
        # CCB/T/4: round 1 scored and released before its deadline.
        assessment_services.scores_submit(
            user=cw.user("us"),
            assessment=opened[4],
            answers=[ScoreInput(threat=cw.threats[0], likelihood=2, impact=3, trend="steady",
                                confidence="low")],
        )  # fmt: skip
        assessment_services.round_release(user=cw.sec, assessment=opened[4])
        viewers = _viewers()  # build_world saved the accounts again: signed in afresh
        rows = _assessment_rows(viewers["us"])
        large = {name: _queries(client, url) for name, client in viewers.items()}
    assert rows == {
        "CCB/T/1": ("Round 2 open for scores", "14 January 2027, 12:00 (Europe/Vienna)"),
        "CCB/T/2": ("Round 1 open for scores", "22 January 2027, 11:15 (Europe/Vienna)"),
        "CCB/T/3": ("Round 1 closed, awaiting release", "4 January 2027, 17:30 (Europe/Vienna)"),
        "CCB/T/4": ("Round 1 released", "22 January 2027, 11:15 (Europe/Vienna)"),
    }
    assert large == small
