"""The crisis toolkit's demo: two dossiers, a threat list, two released quarters, this
quarter's round open; the seal holds on it; seeding twice changes nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from importlib import import_module
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import escape

from agenda.demo.sessions import demo_quarter
from agenda.models import Document
from consult.access import Distribution
from crises.charts import score_text
from crises.demo import dossiers as demo
from crises.demo import paper as paper_demo
from crises.models import Assessment, AssessmentRound, Crisis, CrisisTransition, Score, Threat
from crises.selectors.assessments import score_list
from crises.selectors.pictures import assessment_picture, threat_trends
from crises.services import assessments as services
from crises.statistics import Spread, Verdict

pytestmark = pytest.mark.django_db

# Mid-quarter, and the last days of a quarter (the demo's session is then next quarter's).
DAYS = [datetime(2027, 2, 3, 9, 0, tzinfo=UTC), datetime(2027, 6, 27, 16, 0, tzinfo=UTC)]


def _seed_all() -> None:
    for name in ("members.demo", "agenda.demo", "minutes.demo"):
        import_module(name).seed()
    demo.seed()


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of the crises app and of the tables the demo writes to elsewhere."""
    models = [*apps.get_app_config("crises").get_models(include_auto_created=True)]
    models += [apps.get_model("agenda", "Invitation"), apps.get_model("audit", "AuditEntry")]
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models
    }


@pytest.fixture(params=DAYS, ids=["mid-quarter", "quarter-end"])
def seeded(request: pytest.FixtureRequest) -> Any:
    with time_machine.travel(request.param, tick=False):
        _seed_all()
        yield request.param


def test_two_dossiers_with_dated_histories_and_links_seeded_once() -> None:
    with time_machine.travel(DAYS[0], tick=False):
        _seed_all()
        before = _rows()
        demo.seed()
        assert _rows() == before
        quarter = demo_quarter()
    assert Crisis.objects.count() == 2
    assert Threat.objects.count() == len(demo.THREATS) == 10
    baltic = Crisis.objects.get(title=demo.BALTIC)
    black_sea = Crisis.objects.get(title=demo.BLACK_SEA)
    for crisis, statuses in (
        (baltic, ["watch", "active", "de_escalating"]),
        (black_sea, ["watch", "active", "de_escalating", "active"]),
    ):
        transitions = list(CrisisTransition.objects.filter(crisis=crisis).order_by("on", "pk"))
        assert [t.to_status for t in transitions] == statuses
        days = [t.on for t in transitions]
        assert days == sorted(days)
        assert days[-1] <= DAYS[0].date()
        assert days[0] < days[-1]
        assert crisis.status == statuses[-1]
        assert crisis.items.count() == 2
        assert crisis.documents.count() == 1
        assert crisis.statements.exists()
        assert crisis.communiques.count() == 1
    assert baltic.action_points.count() == 2
    assert baltic.session.quarter == str(quarter - 1)
    assert black_sea.session.quarter == str(quarter - 2)
    assert Threat.objects.filter(crisis=baltic).count() == 3
    assert Threat.objects.filter(crisis=black_sea).count() == 3
    # One threat reads in Russian too, confirmed; the others only in English.
    translated = Threat.objects.exclude(translation_state_ru__isnull=True).exclude(
        translation_state_ru=""
    )
    intercepts: Any = translated.get()
    assert (intercepts.title, intercepts.language) == (demo.THREATS[0].title, "en")
    assert (intercepts.title_translation_ru, intercepts.translation_state_ru) == (
        demo.THREAT_TRANSLATIONS_RU["intercepts"][0],
        "confirmed",
    )


def test_two_released_quarters_and_one_open_round(seeded: datetime) -> None:
    usa, rus, secretary = _user("delegate-usa"), _user("delegate-rus"), _user("secretariat")
    quarter = demo_quarter()
    older = Assessment.objects.get(session__quarter=str(quarter - 2))
    last = Assessment.objects.get(session__quarter=str(quarter - 1))
    current = Assessment.objects.get(session__quarter=str(quarter))
    for assessment, rounds in ((older, 1), (last, 2)):
        released = list(AssessmentRound.objects.filter(assessment=assessment).order_by("number"))
        assert len(released) == rounds
        opened = assessment.created_at
        for each in released:
            scored = Score.objects.filter(round=each)
            assert scored.exists()
            assert opened <= each.created_at
            assert all(opened < s.created_at < each.deadline for s in scored)
            assert each.released_at is not None
            assert each.deadline < each.released_at < assessment.session.starts_at
            opened = each.released_at
        for reader in (usa, rus, secretary, _user("analyst")):
            assert assessment_picture(user=reader, assessment=assessment) is not None

    # Last quarter: round 2 asked again where round 1 had not converged; views converged
    # on most, and diverged on strikes on merchant shipping.
    picture = assessment_picture(user=rus, assessment=last)
    assert picture is not None
    assert picture.round.number == 2
    verdicts = {threat.threat.title: threat.verdict for threat in picture.threats}
    assert list(verdicts.values()).count(Verdict.CONVERGED) >= 3
    assert [t for t, v in verdicts.items() if v == Verdict.DIVERGED] == [
        "Strikes on merchant shipping in the Black Sea corridor"
    ]
    by_party = {
        p.party_code: (p.likelihood, p.impact) for p in picture.ranked_by_spread()[0].positions
    }
    assert by_party["USA"] != by_party["RUS"]
    # Round 2 asked again exactly where round 1 left the spread at or above the threshold.
    first = AssessmentRound.objects.get(assessment=last, number=1)
    assert set(picture.round.threats.values_list("pk", flat=True)) == set(
        services.threats_to_ask_again(first)
    )
    # Each party scored its own way.
    vectors = {
        code: tuple(
            Score.objects.filter(round=first, party__code=code)
            .order_by("threat__title")
            .values_list("likelihood", "impact")
        )
        for code in demo.TABLE
    }
    assert len(set(vectors.values())) == len(demo.TABLE)

    # Every threat has a point in each released quarter, also those settled in round 1.
    trends = threat_trends(user=usa)
    assert len(trends) == 10
    assert all(len(trend.points) == 2 for trend in trends)

    # This quarter: open, its deadline ahead and before the session opens.
    [open_round] = AssessmentRound.objects.filter(assessment=current)
    assert open_round.released_at is None
    assert timezone.now() < open_round.deadline < current.session.starts_at
    assert assessment_picture(user=secretary, assessment=current) is None
    assert [p.code for p in services.scoring_parties(user=usa, assessment=current)] == ["USA"]
    us_scores = Score.objects.filter(round=open_round, party__code="USA")
    assert 0 < us_scores.count() < open_round.threats.count()
    assert set(score_list(user=usa, round=open_round)) == set(us_scores)
    # Sealed: neither Russia nor the secretariat reads the United States' scores.
    assert not score_list(user=rus, round=open_round).filter(party__code="USA").exists()
    assert not score_list(user=secretary, round=open_round).exists()

    # The walk-through: the US scores the rest, the secretariat releases, Russia reads.
    unscored = open_round.threats.exclude(pk__in=us_scores.values("threat"))
    services.scores_submit(
        user=usa,
        assessment=current,
        answers=[
            services.ScoreInput(
                threat=threat, likelihood=3, impact=4, trend="steady", confidence="medium"
            )
            for threat in unscored
        ],
    )
    services.round_release(user=secretary, assessment=current)
    unsealed = score_list(user=rus, round=open_round).filter(party__code="USA")
    assert unsealed.count() == open_round.threats.count()


def test_an_acknowledged_alert_raised_by_the_united_states_on_the_baltic_crisis(
    seeded: datetime,
) -> None:
    from crises.models import Alert, AlertDelivery

    alert = Alert.objects.select_related("party", "crisis").get()
    assert alert.party.code == "USA"
    assert alert.crisis is not None
    assert alert.crisis.title == demo.BALTIC
    deliveries = AlertDelivery.objects.filter(alert=alert)
    assert deliveries.filter(party__isnull=False).count() >= 4
    assert not deliveries.filter(acknowledged_at__isnull=True).exists()


def test_off_ramps_and_norms_are_seeded_once_through_the_services(seeded: Any) -> None:
    from crises.demo.registers import NORMS, OFF_RAMPS
    from crises.models import Incident, IncidentResponse, Norm, OffRamp, Stance
    from crises.selectors.registers import norm_adherence_table, off_ramp_board

    black_sea = Crisis.objects.get(title=demo.BLACK_SEA)
    assert OffRamp.objects.filter(crisis=black_sea).count() == len(OFF_RAMPS) == 3
    expected_stances = sum(len(stances) for *_rest, stances in OFF_RAMPS)
    assert Stance.objects.count() == expected_stances
    assert Norm.objects.count() == len(NORMS) == 4
    assert Incident.objects.count() == 4
    assert IncidentResponse.objects.count() == 4
    with time_machine.travel(seeded, tick=False):
        before = Stance.objects.count(), Norm.objects.count(), Incident.objects.count()
        demo.seed()
        assert (Stance.objects.count(), Norm.objects.count(), Incident.objects.count()) == before
        usa, rus = _user("delegate-usa"), _user("delegate-rus")
        statuses = {o.title: o.status for o in OffRamp.objects.all()}
        assert statuses["Neutral monitoring of the corridor"] == "endorsed_by_some"
        # Russia's private stance: the current one for Russia, its public one for the US.
        for user, russia in ((usa, "opposes"), (rus, "open")):
            board = off_ramp_board(user=user, crisis=black_sea)
            row = next(r for r in board.rows if r.off_ramp.title.startswith("Neutral"))
            codes = [party.code for party in board.parties]
            assert row.stances[codes.index("RUS")].position == russia  # type: ignore[union-attr]
        norm = Norm.objects.get(title="Notice before large exercises")
        table = {e.party.code: e.current.level for e in norm_adherence_table(user=usa, norm=norm)}
        assert table == {"USA": "adheres", "RUS": "does_not", "NATO": "adheres", "EU": "adheres"}


def test_the_threat_picture_paper_reads_last_quarters_released_picture(seeded: Any) -> None:
    """The paper once spoke of "twelve threats" and "mean likelihood": it is written from the
    picture released last quarter, each threat's medians and spread as computed here from
    the demo's own scores (round 2's where a threat was asked again)."""
    quarter = demo_quarter()
    paper = Document.objects.get(
        session__quarter=str(quarter), session__kind="regular", title=paper_demo.TITLE
    )
    assert paper.distribution == Distribution.SEAT_HOLDERS
    assert paper.item is not None
    assert paper.item.title == paper_demo.ITEM
    body = paper.versions.get(number=paper.current_version).body_html
    last = Assessment.objects.get(session__quarter=str(quarter - 1))
    assert f"At {last.session.number}, four seat-holders" in body
    assert "the ten threats of the shared list in two rounds" in body
    assert "asking again on the five threats" in body
    assert not re.search(r"\b(twelve|mean)\b", body, re.IGNORECASE)
    assert "Spreads: the widest (1.75) on “Strikes on merchant shipping" in body
    rows = {
        title: (likelihood, impact, spread)
        for title, likelihood, impact, spread in re.findall(
            r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>", body
        )
    }
    expected = {}
    for threat in demo.THREATS:
        scores = demo.LAST_QUARTER_SECOND.get(threat.key) or demo.LAST_QUARTER_FIRST[threat.key]
        likelihood = Spread.of([s[0] for s in scores.values()])
        impact = Spread.of([s[1] for s in scores.values()])
        expected[escape(threat.title)] = (
            score_text(likelihood.median),
            score_text(impact.median),
            score_text(max(likelihood.iqr, impact.iqr)),
        )
    assert rows == expected
    # Shipping, asked again: likelihood 5, 1, 4, 3 and impact 5, 2, 4, 4.
    shipping = next(t for t in demo.THREATS if t.key == "shipping")
    assert rows[escape(shipping.title)][:2] == ("3.5", "4")


def test_the_threat_picture_paper_is_filed_once(seeded: Any) -> None:
    papers = Document.objects.filter(title=paper_demo.TITLE)
    assert papers.count() == 1
    demo.seed()
    assert papers.count() == 1
    assert papers.get().current_version == 1
