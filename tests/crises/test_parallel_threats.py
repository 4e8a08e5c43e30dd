"""The threat list in parallel texts (consult/parallel.py): a threat's title and description
written in one authoritative language and translated into the others; the refusals, the
version each reader gets on the threat list, the scoring form, the picture and trend pages
and their charts, the briefing pack, the reminders and the API, and the secretariat's
translations page."""

# ruff: noqa: RUF001 (Russian and French text)
from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from briefings.selectors.audiences import pack_audience
from briefings.selectors.content import pack_content
from briefings.services.pdf_compose import pack_html
from consult.errors import ApplicationError
from crises.models import AssessmentRound, Threat
from crises.models.assessments import THREAT_PARALLEL
from crises.services import assessments as assessment_services
from crises.services import threats as services
from crises.services.reminders import round_remind
from members.services.profiles import profile_language_set
from notices.models import Notification
from tests.crises.api import api
from tests.crises.conftest import CrisisWorld
from tests.parallel import client_for, page_queries, reload
from tests.parallel import columns as parallel_columns

pytestmark = pytest.mark.django_db

DESCRIPTION = "Two aircraft <closer> than 20 feet over international waters."
RU_TITLE = "Столкновение в воздухе"
RU_DESCRIPTION = "Два самолёта ближе 20 футов над международными водами."
FR_TITLE = "Collision en vol"
FR_DESCRIPTION = "Deux aéronefs à moins de 20 pieds au-dessus des eaux internationales."
LIST = "/threats/"


def columns(threat: Threat) -> dict[str, Any]:
    """The threat's authoritative text and every translation column, as stored."""
    return parallel_columns(threat, THREAT_PARALLEL, "title", "description", "language")


def translate(cw: CrisisWorld, threat: Threat, language: str, title: str, description: str,
              user: Any = None) -> Threat:  # fmt: skip
    return services.threat_translation_set(
        threat=threat,
        user=user or cw.sec,
        language=language,
        title=title,
        description=description,
    )


def edit(cw: CrisisWorld, threat: Threat, **changes: Any) -> Threat:
    fresh = reload(threat)
    values = {
        "title": fresh.title,
        "description": fresh.description,
        "region": fresh.region,
        "crisis": fresh.crisis,
        **changes,
    }
    return services.threat_update(threat=fresh, user=cw.sec, **values)


@pytest.fixture
def threat(cw: CrisisWorld) -> Threat:
    """The world's first threat ("Mid-air collision", on the open assessment) with a
    description, in Russian (unofficial) and French (confirmed)."""
    subject = edit(cw, cw.threats[0], description=DESCRIPTION)
    translate(cw, subject, "ru", RU_TITLE, RU_DESCRIPTION)
    translate(cw, subject, "fr", FR_TITLE, FR_DESCRIPTION)
    services.threat_translation_confirm(threat=subject, user=cw.sec, language="fr")
    return reload(subject)


def outdate_russian(threat: Threat) -> None:
    Threat.objects.filter(pk=threat.pk).update(translation_state_ru="outdated")


# --- The authoritative language --------------------------------------------------------


def test_the_secretariat_names_the_language_a_threat_is_written_in(cw: CrisisWorld) -> None:
    assert cw.threats[0].language == "en"  # by default
    russian = services.threat_create(user=cw.sec, title="Глушение GNSS", language="ru")
    assert russian.language == "ru"
    page = client_for(cw.sec).post(
        "/threats/new/", {"title": "Brouillage GNSS", "region": "", "language": "fr"}
    )
    assert page.status_code == 302
    assert Threat.objects.get(title="Brouillage GNSS").language == "fr"
    created = api(cw.sec).post(
        "/api/v1/threats/", {"title": "GNSS jamming", "language": "ru"}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["authoritative_language"] == "ru"
    assert Threat.objects.get(title="GNSS jamming").language == "ru"


def test_a_threat_in_no_working_language_is_refused_and_nothing_listed(cw: CrisisWorld) -> None:
    before = Threat.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.threat_create(user=cw.sec, title="Jamming", language="de")
    assert "language" in refused.value.fields
    assert api(cw.sec).post(
        "/api/v1/threats/", {"title": "Jamming", "language": "de"}, format="json"
    ).status_code == 400  # fmt: skip
    page = client_for(cw.sec).post("/threats/new/", {"title": "Jamming", "language": "de"})
    assert page.status_code == 400
    assert Threat.objects.count() == before


def test_an_edit_keeps_the_language_the_threat_was_written_in(cw: CrisisWorld) -> None:
    url = f"/threats/{cw.threats[0].public_id}/edit/"
    assert 'id="id_language"' not in client_for(cw.sec).get(url).content.decode()
    assert 'id="id_language"' in client_for(cw.sec).get("/threats/new/").content.decode()


# --- Services ---------------------------------------------------------------------------


def test_a_translation_is_unofficial_until_the_secretariat_confirms_it(cw: CrisisWorld) -> None:
    subject = edit(cw, cw.threats[0], description=DESCRIPTION)
    translate(cw, subject, "ru", f"  {RU_TITLE} ", f" {RU_DESCRIPTION}\n")
    fresh = reload(subject)
    assert fresh.translation_state_ru == "unofficial"
    assert (fresh.title_translation_ru, fresh.description_translation_ru) == (
        RU_TITLE,
        RU_DESCRIPTION,
    )
    assert fresh.translation_state_fr in ("", None)
    # The authoritative text and its language are untouched.
    assert (fresh.title, fresh.description, fresh.language) == (
        "Mid-air collision",
        DESCRIPTION,
        "en",
    )
    services.threat_translation_confirm(threat=subject, user=cw.sec, language="ru")
    assert reload(subject).translation_state_ru == "confirmed"
    summaries = set(AuditEntry.objects.values_list("summary", flat=True))
    assert "Wrote the ru translation of “Mid-air collision” (unofficial)." in summaries
    assert "Confirmed the ru translation of “Mid-air collision”." in summaries


@pytest.mark.parametrize("username", ["us", "ru", "outsider"])
def test_only_the_secretariat_translates_or_confirms(
    cw: CrisisWorld, threat: Threat, username: str
) -> None:
    before = columns(threat)
    user = cw.user(username)
    with pytest.raises(PermissionDenied, match="Only the secretariat may translate"):
        translate(cw, threat, "ru", "Другое", "Другое.", user=user)
    with pytest.raises(PermissionDenied, match="Only the secretariat may confirm"):
        services.threat_translation_confirm(threat=threat, user=user, language="ru")
    assert columns(threat) == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "“de” is not a working language; use one of en, ru, fr."),
        ("", "“” is not a working language; use one of en, ru, fr."),
        ("en", "English is this text's authoritative language"),
    ],
)
def test_an_unknown_or_the_authoritative_language_is_refused(
    cw: CrisisWorld, threat: Threat, language: str, message: str
) -> None:
    before = columns(threat)
    with pytest.raises(ApplicationError) as refused:
        translate(cw, threat, language, "Title", "Text.")
    assert message in refused.value.message
    assert "language" in refused.value.fields
    with pytest.raises(ApplicationError) as refused:
        services.threat_translation_confirm(threat=threat, user=cw.sec, language=language)
    assert message in refused.value.message
    assert columns(threat) == before


def test_a_threat_written_in_russian_takes_an_english_translation(cw: CrisisWorld) -> None:
    russian = services.threat_create(user=cw.sec, title=RU_TITLE, language="ru")
    with pytest.raises(ApplicationError, match="Russian is this text's authoritative language"):
        translate(cw, russian, "ru", RU_TITLE, "")
    translate(cw, russian, "en", "Mid-air collision", "")
    assert reload(russian).translation_state_en == "unofficial"


def test_a_translation_without_its_title_or_description_is_refused(
    cw: CrisisWorld, threat: Threat
) -> None:
    before = columns(threat)
    with pytest.raises(ApplicationError, match="The title is required"):
        translate(cw, threat, "ru", "  ", RU_DESCRIPTION)
    with pytest.raises(ApplicationError, match="The title is longer than 240 characters"):
        translate(cw, threat, "ru", "Д" * 241, RU_DESCRIPTION)
    # The threat has a description: its translation must have one too.
    with pytest.raises(ApplicationError, match="The description is required") as refused:
        translate(cw, threat, "ru", RU_TITLE, "  ")
    assert "description" in refused.value.fields
    with pytest.raises(ApplicationError, match="longer than 5,000 characters"):
        translate(cw, threat, "ru", RU_TITLE, "д" * 5001)
    assert columns(threat) == before


def test_confirming_a_missing_or_outdated_translation_is_refused(cw: CrisisWorld) -> None:
    subject = cw.threats[1]
    before = columns(subject)
    with pytest.raises(ApplicationError, match="This text has no Russian translation to confirm"):
        services.threat_translation_confirm(threat=subject, user=cw.sec, language="ru")
    assert columns(subject) == before
    translate(cw, subject, "ru", "Диверсия на кабелях", "")
    edit(cw, subject, title="Sabotage of undersea cables")
    before = columns(subject)
    assert before["translation_state_ru"] == "outdated"
    with pytest.raises(ApplicationError, match="The Russian translation is outdated"):
        services.threat_translation_confirm(threat=subject, user=cw.sec, language="ru")
    assert columns(subject) == before


def test_editing_the_authoritative_text_outdates_every_translation(
    cw: CrisisWorld, threat: Threat
) -> None:
    def states(subject: Any) -> tuple[str, str]:
        return subject.translation_state_ru, subject.translation_state_fr

    # The region and the crisis are no part of the text: nothing is outdated.
    assert states(edit(cw, threat, region="Gulf of Finland", crisis=None)) == (
        "unofficial",
        "confirmed",
    )
    assert states(edit(cw, threat, title="A mid-air collision")) == ("outdated", "outdated")
    # Writing an outdated translation again makes it current (unofficial).
    translate(cw, threat, "fr", FR_TITLE, FR_DESCRIPTION)
    assert reload(threat).translation_state_fr == "unofficial"
    # The description alone changing outdates too.
    assert states(edit(cw, threat, description="Closer still."))[1] == "outdated"


def test_the_api_edit_outdates_the_translations(cw: CrisisWorld, threat: Threat) -> None:
    response = api(cw.sec).patch(
        f"/api/v1/threats/{threat.public_id}/", {"description": "Closer still."}, format="json"
    )
    assert response.status_code == 200
    assert (reload(threat).translation_state_ru, reload(threat).translation_state_fr) == (
        "outdated",
        "outdated",
    )
    assert {"language": "ru", "state": "outdated"} in response.json()["available_languages"]


# --- The reader's version on the pages ----------------------------------------------------


def test_the_threat_list_names_each_threat_in_the_readers_language(
    cw: CrisisWorld, threat: Threat
) -> None:
    russian = client_for(cw.user("ru"), "ru").get(LIST).content.decode()
    assert f'<span lang="ru">{RU_TITLE}</span> <small class="state state-unofficial">' in russian
    assert f'<small lang="ru">{RU_DESCRIPTION}</small>' in russian
    assert "Mid-air collision" not in russian
    french = client_for(cw.user("fr"), "fr").get(LIST).content.decode()
    assert f'<span lang="fr">{FR_TITLE}</span> <small class="state state-confirmed">' in french
    english = client_for(cw.user("us")).get(LIST).content.decode()
    assert '<span lang="en">Mid-air collision</span><br>' in english
    # The plain description is escaped, as the threat's own always was.
    assert "Two aircraft &lt;closer&gt; than 20 feet" in english


def test_without_a_current_translation_the_list_gives_the_authoritative_text_with_a_note(
    cw: CrisisWorld, threat: Threat
) -> None:
    outdate_russian(threat)
    russian = client_for(cw.user("ru"), "ru").get(LIST).content.decode()
    assert RU_TITLE not in russian
    assert (
        '<span lang="en">Mid-air collision</span> <small class="parallel-note" title="' in russian
    )
    assert "Перевод на язык «русский» устарел" in russian
    # "Cable sabotage" has no Russian version at all.
    assert '<span lang="en">Cable sabotage</span> <small class="parallel-note"' in russian
    assert "Версии этого текста на языке «русский» пока нет." in russian


def test_retiring_a_threat_names_it_in_the_readers_language(
    cw: CrisisWorld, threat: Threat
) -> None:
    page = client_for(cw.sec, "ru").post(f"/threats/{threat.public_id}/retire/", follow=True)
    assert f"Угроза «{RU_TITLE}» исключена" in page.content.decode()
    assert reload(threat).retired_at is not None


def test_the_scoring_form_names_each_threat_in_the_readers_language(
    cw: CrisisWorld, threat: Threat
) -> None:
    url = cw.assessment.get_absolute_url()
    page = client_for(cw.user("ru"), "ru").get(url).content.decode()
    assert f'<legend><span lang="ru">{RU_TITLE}</span> <small class="state state-unofficial">' in (
        page
    )
    assert f'<p class="meta" lang="ru">{RU_DESCRIPTION}</p>' in page
    outdate_russian(threat)
    page = client_for(cw.user("ru")).get(url).content.decode()
    assert '<legend><span lang="en">Mid-air collision</span> <small class="parallel-note"' in page
    assert RU_DESCRIPTION not in page


def _charts(page: str) -> list[str]:
    return [
        base64.b64decode(encoded).decode()
        for encoded in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    ]


@pytest.fixture
def released(cw: CrisisWorld, score: Callable[..., None], threat: Threat) -> Threat:
    """Round 1 scored by the four seat-holders and released."""
    score("us", [(1, 1), (2, 2), (3, 3)])
    score("ru", [(5, 5), (2, 2), (3, 3)])
    score("nato", [(1, 1), (2, 2), (3, 3)])
    score("fr", [(5, 5), (2, 2), (3, 3)])
    assessment_services.round_release(user=cw.sec, assessment=cw.assessment)
    return threat


def test_the_picture_its_charts_and_the_trend_name_the_threats_in_the_readers_language(
    cw: CrisisWorld, released: Threat
) -> None:
    url = cw.assessment.get_absolute_url()
    russian = client_for(cw.user("ru"), "ru").get(url).content.decode()
    row = f'<span lang="ru">{RU_TITLE}</span> <small class="state state-unofficial">'
    # The matrix's table, the divergence's, the trend's, and the threat's own heading.
    assert russian.count(row) == 4
    assert f'<h4 id="threat-{released.public_id}"><span lang="ru">{RU_TITLE}</span>' in russian
    assert f"Позиции по угрозе «{RU_TITLE}»" in russian
    charts = _charts(russian)
    assert len(charts) == 3
    assert all(RU_TITLE in chart and "Mid-air collision" not in chart for chart in charts)
    trend = client_for(cw.user("ru")).get("/threats/trend/").content.decode()
    assert row in trend
    assert RU_TITLE in _charts(trend)[0]
    # An English reader of the same picture gets charts of their own, in English.
    english = client_for(cw.user("us")).get(url).content.decode()
    assert all("Mid-air collision" in chart and RU_TITLE not in chart for chart in _charts(english))
    # The translation outdated: the Russian reader's charts name the authoritative title.
    outdate_russian(released)
    outdated = client_for(cw.user("ru")).get(url).content.decode()
    assert RU_TITLE not in outdated
    assert all("Mid-air collision" in chart for chart in _charts(outdated))
    assert '<span lang="en">Mid-air collision</span> <small class="parallel-note"' in outdated


def test_the_crisis_page_names_its_threats_in_the_readers_language(
    cw: CrisisWorld, threat: Threat
) -> None:
    page = client_for(cw.user("fr"), "fr").get(cw.crisis.get_absolute_url()).content.decode()
    assert f'<li><span lang="fr">{FR_TITLE}</span> <small class="state state-confirmed">' in page


def test_the_pack_names_the_threats_in_its_readers_language(
    cw: CrisisWorld, released: Threat
) -> None:
    reader = cw.user("ru")
    audience = pack_audience(user=reader, session=cw.table.session)
    with translation.override("ru"):
        content = pack_content(session=cw.table.session, audience=audience, viewer=reader)
        html = pack_html(content)
    picture = content.threat_picture
    assert picture is not None
    assert RU_TITLE in [row.title for row in picture.matrix_rows]
    assert RU_TITLE in [row.title for row in picture.trend_rows]
    assert html.count(f'<span lang="ru">{RU_TITLE}</span> <span class="pack-muted">') == 3
    assert "(неофициальный перевод)" in html
    assert all(RU_TITLE in svg for svg in re.findall(r"<svg.*?</svg>", html, re.DOTALL))
    # Without a current translation, the authoritative title with the short note.
    outdate_russian(released)
    with translation.override("ru"):
        outdated = pack_html(
            pack_content(session=cw.table.session, audience=audience, viewer=reader)
        )
    assert RU_TITLE not in outdated
    assert (
        '<span lang="en">Mid-air collision</span> <span class="pack-muted">(на языке '
        "«английский»: перевод устарел)</span>"
    ) in outdated


def test_a_delegations_own_sealed_scores_in_the_pack_name_the_threats_in_its_language(
    cw: CrisisWorld, score: Callable[..., None], threat: Threat
) -> None:
    score("ru", [(5, 5), (2, 2), (3, 3)])
    reader = cw.user("ru")
    audience = pack_audience(user=reader, session=cw.table.session)
    with translation.override("ru"):
        content = pack_content(session=cw.table.session, audience=audience, viewer=reader)
    assert content.own_scores is not None
    [translated] = [s.threat for s in content.own_scores.scores if not s.threat.authoritative]
    assert (translated["title"], translated.language) == (RU_TITLE, "ru")


def test_the_reminder_names_the_unscored_threats_in_each_recipients_language(
    cw: CrisisWorld, threat: Threat
) -> None:
    profile_language_set(user=cw.user("ru"), language="ru")
    current = AssessmentRound.objects.get(assessment=cw.assessment)
    assert round_remind(round_id=current.pk, now=current.deadline - timedelta(days=2)) > 0
    russian = Notification.objects.get(user=cw.user("ru")).body
    assert f"- {RU_TITLE}\n" in russian
    assert "- Cable sabotage\n" in russian  # no Russian version: its authoritative title
    english = Notification.objects.get(user=cw.user("us")).body
    assert "- Mid-air collision\n" in english
    assert RU_TITLE not in english


# --- API ------------------------------------------------------------------------------------


def test_the_api_answers_in_the_language_asked_for(cw: CrisisWorld, threat: Threat) -> None:
    client = api(cw.user("us"))
    russian = client.get("/api/v1/threats/", HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    row = next(row for row in russian if row["id"] == str(threat.public_id))
    assert (row["language"], row["authoritative"], row["translation_state"]) == (
        "ru",
        False,
        "unofficial",
    )
    assert (row["title"], row["description"]) == (RU_TITLE, RU_DESCRIPTION)
    assert row["authoritative_language"] == "en"
    assert row["available_languages"] == [
        {"language": "en", "state": "authoritative"},
        {"language": "ru", "state": "unofficial"},
        {"language": "fr", "state": "confirmed"},
    ]
    assert row["language_note"] == ""
    # Field names and enum values are never translated.
    assert row["crisis"]["status"] == "watch"
    detail = f"/api/v1/threats/{threat.public_id}/"
    french = client.get(detail, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert (french["language"], french["translation_state"], french["title"]) == (
        "fr",
        "confirmed",
        FR_TITLE,
    )
    english = client.get(detail, HTTP_ACCEPT_LANGUAGE="en").json()
    assert (english["language"], english["authoritative"], english["title"]) == (
        "en",
        True,
        "Mid-air collision",
    )
    assert english["description"] == DESCRIPTION


def test_the_api_serves_the_authoritative_text_for_an_outdated_translation(
    cw: CrisisWorld, threat: Threat
) -> None:
    outdate_russian(threat)
    row = api(cw.user("us")).get(
        f"/api/v1/threats/{threat.public_id}/", HTTP_ACCEPT_LANGUAGE="ru"
    ).json()  # fmt: skip
    assert (row["language"], row["authoritative"], row["translation_state"], row["title"]) == (
        "en",
        True,
        "authoritative",
        "Mid-air collision",
    )
    assert {"language": "ru", "state": "outdated"} in row["available_languages"]
    assert row["language_note"].startswith("Перевод на язык «русский» устарел")


def test_the_api_charts_name_the_threats_in_the_language_asked_for(
    cw: CrisisWorld, released: Threat
) -> None:
    client = api(cw.user("us"))
    for name in ("assessment-picture-matrix", "assessment-picture-divergence"):
        url = reverse(name, kwargs={"id": cw.assessment.public_id})
        assert RU_TITLE in client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Mid-air collision" in english
        assert RU_TITLE not in english


def test_a_threat_named_in_passing_is_named_in_the_language_asked_for(
    cw: CrisisWorld, released: Threat
) -> None:
    client = api(cw.user("us"))
    russian = {"title": RU_TITLE, "title_language": "ru", "title_authoritative": False}
    named = [
        row["threat"]
        for row in client.get(
            f"/api/v1/assessments/{cw.assessment.public_id}/picture/", HTTP_ACCEPT_LANGUAGE="ru"
        ).json()["threats"]
    ]
    named += [
        row["threat"]
        for row in client.get("/api/v1/threats/trend/", HTTP_ACCEPT_LANGUAGE="ru").json()
    ]
    named += [
        row["threat"]
        for row in client.get("/api/v1/scores/", HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    ]
    named += client.get(
        f"/api/v1/assessments/{cw.assessment.public_id}/", HTTP_ACCEPT_LANGUAGE="ru"
    ).json()["threats"]
    ours = [
        {key: threat[key] for key in russian}
        for threat in named
        if threat["id"] == str(released.public_id)
    ]
    assert len(ours) == 7  # the picture, the trend, four parties' scores, the assessment
    assert all(threat == russian for threat in ours)
    english = client.get(
        f"/api/v1/assessments/{cw.assessment.public_id}/", HTTP_ACCEPT_LANGUAGE="en"
    ).json()["threats"]
    assert {"title": "Mid-air collision", "title_language": "en", "title_authoritative": True} in [
        {key: threat[key] for key in russian} for threat in english
    ]


def test_the_schema_documents_the_threats_languages(db: None) -> None:
    from consult.parallel_api import PARALLEL_TEXT_FIELDS

    schema = api(None).get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    for field in PARALLEL_TEXT_FIELDS:
        assert field in schema["Threat"]["properties"], field
    assert schema["Threat"]["properties"]["description"]["type"] == "string"
    assert "language" in schema["ThreatWriteRequest"]["properties"]
    assert "language" not in schema["PatchedThreatUpdateRequest"]["properties"]


# --- The secretariat's translations page --------------------------------------------------


def test_the_secretariat_adds_updates_and_confirms_translations_on_its_page(
    cw: CrisisWorld, threat: Threat
) -> None:
    secretariat = client_for(cw.sec)
    url = f"/threats/{threat.public_id}/translations/"
    assert f'href="{url}"' in secretariat.get(LIST).content.decode()
    assert f'href="{url}"' in secretariat.get(f"/threats/{threat.public_id}/edit/").content.decode()
    page = secretariat.get(url + "?lang=ru")
    assert page.status_code == 200
    html = page.content.decode()
    assert RU_TITLE in html
    assert "Unofficial translation" in html
    assert "Confirmed translation" in html
    # The authoritative text beside the form, its plain description escaped; back to the list.
    assert '<h3 lang="en">Mid-air collision</h3>' in html
    assert "Two aircraft &lt;closer&gt; than 20 feet" in html
    assert f'<a href="{LIST}">' in html
    assert '<textarea name="text"' in html  # plain text, as the description is
    response = secretariat.post(
        url, {"language": "ru", "title": "Новое название", "text": RU_DESCRIPTION}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}?lang=ru"
    assert reload(threat).title_translation_ru == "Новое название"
    before = columns(threat)
    refused = secretariat.post(url, {"language": "en", "title": "Title", "text": "Text."})
    assert refused.status_code == 400
    assert "English is this text&#x27;s authoritative language" in refused.content.decode()
    assert secretariat.post(url, {"language": "ru", "title": "Да", "text": " "}).status_code == 400
    assert columns(threat) == before
    secretariat.post(url + "confirm/", {"language": "ru"})
    assert reload(threat).translation_state_ru == "confirmed"
    follow = secretariat.post(url + "confirm/", {"language": "xx"}, follow=True).content.decode()
    assert "“xx” is not a working language" in follow


def test_confirming_an_outdated_translation_on_the_page_is_refused_clearly(
    cw: CrisisWorld, threat: Threat
) -> None:
    outdate_russian(threat)
    url = f"/threats/{threat.public_id}/translations/confirm/"
    html = client_for(cw.sec).post(url, {"language": "ru"}, follow=True).content.decode()
    assert "The Russian translation is outdated" in html
    assert reload(threat).translation_state_ru == "outdated"


@pytest.mark.parametrize("username", ["us", "ru", "csto", "outsider", None])
def test_the_translations_page_is_refused_to_delegates_and_others(
    cw: CrisisWorld, threat: Threat, username: str | None
) -> None:
    client = client_for(cw.user(username) if username else None)
    url = f"/threats/{threat.public_id}/translations/"
    before = columns(threat)
    assert client.get(url).status_code in (404, 302)
    response = client.post(url, {"language": "ru", "title": "X", "text": "X"})
    assert response.status_code in (404, 302)
    response = client.post(url + "confirm/", {"language": "ru"})
    assert response.status_code in (404, 302)
    assert columns(threat) == before
    if username:
        assert url not in client.get(LIST).content.decode()


# --- Queries --------------------------------------------------------------------------------


def _more(cw: CrisisWorld, count: int) -> None:
    """``count`` more threats of the world's crisis, each in Russian and French."""
    for number in range(count):
        added = services.threat_create(
            user=cw.sec, title=f"Threat {number}", description="d", crisis=cw.crisis
        )
        translate(cw, added, "ru", f"Угроза {number}", "о")
        translate(cw, added, "fr", f"Menace {number}", "d")


@pytest.mark.parametrize("username", ["sec", "ru"])
def test_the_threat_list_costs_the_same_with_few_or_many_threats(
    cw: CrisisWorld,
    threat: Threat,
    username: str,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    reader = client_for(cw.user(username), "ru")
    urls: list[tuple[str, dict[str, Any]]] = [
        (LIST, {}),
        ("/api/v1/threats/", {"HTTP_ACCEPT_LANGUAGE": "ru"}),
    ]
    few = [page_queries(reader, url, **headers) for url, headers in urls]
    _more(cw, 12)
    assert Threat.objects.count() == len(cw.threats) + 12
    for (url, headers), budget in zip(urls, few, strict=True):
        with django_assert_max_num_queries(budget):
            response = reader.get(url, **headers)
        assert "Угроза 11" in response.content.decode()
