"""An after-action report's text as a parallel text without a title (consult/parallel.py):
translated per working language by the secretariat, confirmed, outdated by an edit; the
version each reader gets on the report's page, in the briefing pack and in the API; the
refusals, which leave nothing saved; and the queries, which do not grow with
translations or reports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEntry
from briefings.selectors.audiences import Audience
from briefings.selectors.content import ExerciseReportView, pack_content
from briefings.selectors.versions import pack_content_version
from briefings.services.pdf_compose import pack_html
from consult.errors import ApplicationError
from crises.models import AfterActionReport, Exercise
from crises.models.exercises import AAR_PARALLEL
from crises.services import exercises as services
from tests.crises.api import api
from tests.crises.conftest import CrisisWorld
from tests.crises.exercise_helpers import add_inject, make_exercise
from tests.parallel import client_for, page_queries, reload
from tests.parallel import columns as parallel_columns
from tests.parallel import translations_url as parallel_translations_url

pytestmark = pytest.mark.django_db

TEXT = "<p>The hotline worked within minutes.</p>"
RU_TEXT = "<p>Горячая линия сработала за несколько минут.</p>"
FR_TEXT = "<p>La ligne directe a fonctionné en quelques minutes.</p>"
OUTDATED_NOTE = "Перевод на язык «русский» устарел"


def _ended(cw: CrisisWorld) -> Exercise:
    exercise = services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
    inject = add_inject(cw, exercise, "Radar shows a fighter.")
    services.inject_release(inject=inject, user=cw.sec)
    return services.exercise_end(exercise=exercise, user=cw.sec)


def _publish(cw: CrisisWorld, report: AfterActionReport, text: str = TEXT, **kwargs: Any) -> Any:
    return services.aar_update(report=report, user=cw.sec, text=text, publish=True, **kwargs)


@pytest.fixture
def report(cw: CrisisWorld) -> AfterActionReport:
    """The published report of an ended exercise played by the US, Russia and NATO."""
    drafted = services.aar_draft(exercise=_ended(cw), user=cw.sec)
    return _publish(cw, drafted)


def columns(report: AfterActionReport) -> dict[str, Any]:
    return parallel_columns(report, AAR_PARALLEL, "text", "language")


def translate(cw: CrisisWorld, report: AfterActionReport, language: str, text: str = "") -> Any:
    texts = {"ru": RU_TEXT, "fr": FR_TEXT}
    return services.aar_translation_set(
        report=report, user=cw.sec, language=language, text=text or texts[language]
    )


def report_url(report: AfterActionReport) -> str:
    return reverse("crises:exercise_report", kwargs={"public_id": report.exercise.public_id})


def translations_url(report: AfterActionReport, *, confirm: bool = False) -> str:
    return parallel_translations_url("crises:aar", report.exercise.public_id, confirm=confirm)


def api_url(report: AfterActionReport) -> str:
    return f"/api/v1/exercises/{report.exercise.public_id}/report/"


# --- Services ---------------------------------------------------------------------------


def test_a_translation_is_unofficial_until_confirmed_sanitised_and_audited(
    cw: CrisisWorld, report: AfterActionReport
) -> None:
    translate(cw, report, "ru", text="<p>Горячая линия <script>x</script>сработала.</p>")
    fresh = reload(report)
    assert fresh.text_translation_ru == "<p>Горячая линия сработала.</p>"  # sanitised
    assert fresh.translation_state_ru == "unofficial"
    assert fresh.translation_state_fr in ("", None)
    assert (fresh.text, fresh.language) == (TEXT, "en")
    services.aar_translation_confirm(report=report, user=cw.sec, language="ru")
    assert reload(report).translation_state_ru == "confirmed"
    summaries = set(AuditEntry.objects.values_list("summary", flat=True))
    assert f"Wrote the ru translation of “{report}” (unofficial)." in summaries
    assert f"Confirmed the ru translation of “{report}”." in summaries


def test_a_draft_is_translated_before_it_is_published(cw: CrisisWorld) -> None:
    draft = services.aar_draft(exercise=_ended(cw), user=cw.sec)
    translate(cw, draft, "ru")
    assert reload(draft).translation_state_ru == "unofficial"
    assert reload(draft).published_at is None


def test_editing_the_text_outdates_every_translation_and_nothing_else_does(
    cw: CrisisWorld, report: AfterActionReport
) -> None:
    translate(cw, report, "ru")
    translate(cw, report, "fr")
    services.aar_translation_confirm(report=report, user=cw.sec, language="fr")
    # The same text with an improvement plan: the text is unchanged, nothing is outdated.
    due = timezone.localdate() + timedelta(days=30)
    _publish(cw, report, improvements=[services.ImprovementInput("Drill monthly", due)])
    unchanged = reload(report)
    assert (unchanged.translation_state_ru, unchanged.translation_state_fr) == (
        "unofficial",
        "confirmed",
    )
    _publish(cw, report, text="<p>The hotline worked, late.</p>")
    edited = reload(report)
    assert (edited.translation_state_ru, edited.translation_state_fr) == ("outdated", "outdated")
    assert edited.text_translation_ru == RU_TEXT  # kept, to be rewritten
    # Writing an outdated translation again makes it current (unofficial).
    translate(cw, report, "fr")
    assert reload(report).translation_state_fr == "unofficial"


@pytest.mark.parametrize("username", ["us", "ru", "de", "outsider"])
def test_only_the_secretariat_translates_or_confirms(
    cw: CrisisWorld, report: AfterActionReport, username: str
) -> None:
    translate(cw, report, "ru")
    before = columns(report)
    user = cw.user(username)
    with pytest.raises(PermissionDenied, match="Only the secretariat may translate"):
        services.aar_translation_set(report=report, user=user, language="fr", text=FR_TEXT)
    with pytest.raises(PermissionDenied, match="Only the secretariat may confirm"):
        services.aar_translation_confirm(report=report, user=user, language="ru")
    assert columns(report) == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "“de” is not a working language; use one of en, ru, fr."),
        ("", "“” is not a working language; use one of en, ru, fr."),
        ("en", "English is this text's authoritative language"),
    ],
)
def test_an_unknown_or_the_authoritative_language_is_refused(
    cw: CrisisWorld, report: AfterActionReport, language: str, message: str
) -> None:
    translate(cw, report, "ru")
    before = columns(report)
    with pytest.raises(ApplicationError) as refused:
        services.aar_translation_set(report=report, user=cw.sec, language=language, text=RU_TEXT)
    assert message in refused.value.message
    assert "language" in refused.value.fields
    with pytest.raises(ApplicationError) as refused:
        services.aar_translation_confirm(report=report, user=cw.sec, language=language)
    assert message in refused.value.message
    assert columns(report) == before


def test_an_empty_translation_is_refused(cw: CrisisWorld, report: AfterActionReport) -> None:
    before = columns(report)
    for empty in (" ", "<p> </p>", "<script>x</script>"):
        with pytest.raises(ApplicationError, match="The text is required") as refused:
            services.aar_translation_set(report=report, user=cw.sec, language="ru", text=empty)
        assert "text" in refused.value.fields
    assert columns(report) == before


def test_confirming_a_missing_or_outdated_translation_is_refused(
    cw: CrisisWorld, report: AfterActionReport
) -> None:
    before = columns(report)
    with pytest.raises(ApplicationError, match="This text has no Russian translation to confirm"):
        services.aar_translation_confirm(report=report, user=cw.sec, language="ru")
    assert columns(report) == before
    translate(cw, report, "ru")
    _publish(cw, report, text="<p>Edited.</p>")
    outdated = columns(report)
    assert outdated["translation_state_ru"] == "outdated"
    with pytest.raises(ApplicationError, match="The Russian translation is outdated"):
        services.aar_translation_confirm(report=report, user=cw.sec, language="ru")
    assert columns(report) == outdated


# --- The reader's version: the report's page, the pack, the API ---------------------------


def test_a_russian_reader_reads_the_published_report_in_russian(
    cw: CrisisWorld, report: AfterActionReport
) -> None:
    translate(cw, report, "ru")
    html = client_for(cw.user("ru"), "ru").get(report_url(report)).content.decode()
    assert f'<article class="rich-text" lang="ru">{RU_TEXT}</article>' in html
    assert TEXT not in html
    assert 'class="state state-unofficial">Неофициальный перевод' in html
    # The English reader, and the same Russian reader asking for English by ?lang=.
    english = client_for(cw.user("us")).get(report_url(report)).content.decode()
    assert f'<article class="rich-text" lang="en">{TEXT}</article>' in english
    assert RU_TEXT not in english
    asked = client_for(cw.user("ru")).get(report_url(report) + "?lang=en").content.decode()
    assert f'<article class="rich-text" lang="en">{TEXT}</article>' in asked


def test_an_outdated_or_missing_translation_gives_the_authoritative_text_with_the_note(
    cw: CrisisWorld, report: AfterActionReport
) -> None:
    reader = client_for(cw.user("ru"), "ru")
    missing = reader.get(report_url(report)).content.decode()
    assert f'<article class="rich-text" lang="en">{TEXT}</article>' in missing
    assert '<p class="parallel-note" role="note">' in missing
    translate(cw, report, "ru")
    _publish(cw, report, text="<p>Revised.</p>")
    html = reader.get(report_url(report)).content.decode()
    assert '<article class="rich-text" lang="en"><p>Revised.</p></article>' in html
    assert RU_TEXT not in html
    assert f'<p class="parallel-note" role="note">{OUTDATED_NOTE}' in html


def _pack_reports(cw: CrisisWorld, *reports: AfterActionReport) -> list[ExerciseReportView]:
    audience = Audience(
        items=(),
        documents=(),
        action_points=(),
        statements=(),
        exercise_reports=tuple(report.pk for report in reports),
    )
    content = pack_content(session=cw.table.session, audience=audience, viewer=cw.user("ru"))
    return content.exercise_reports


def test_the_pack_gives_the_report_in_its_language(
    cw: CrisisWorld, report: AfterActionReport
) -> None:
    translate(cw, report, "ru")
    translate(cw, report, "fr")
    services.aar_translation_confirm(report=report, user=cw.sec, language="fr")
    with translation.override("ru"):
        [russian] = _pack_reports(cw, report)
        assert (russian.text_html, russian.text_language, russian.text_mark) == (
            RU_TEXT,
            "ru",
            "Неофициальный перевод",
        )
        audience = Audience(
            items=(), documents=(), action_points=(), statements=(), exercise_reports=(report.pk,)
        )
        html = pack_html(
            pack_content(session=cw.table.session, audience=audience, viewer=cw.user("ru"))
        )
    assert f'<div class="pack-report" lang="ru">{RU_TEXT}</div>' in html
    assert '<p class="pack-muted">Неофициальный перевод</p>' in html
    with translation.override("fr"):
        [french] = _pack_reports(cw, report)
    assert (french.text_html, french.text_language, french.text_mark) == (
        FR_TEXT,
        "fr",
        "Traduction confirmée",
    )
    with translation.override("en"):
        [english] = _pack_reports(cw, report)
    assert (english.text_html, english.text_language, english.text_mark) == (TEXT, "en", "")
    _publish(cw, report, text="<p>Revised.</p>")
    with translation.override("ru"):
        [outdated] = _pack_reports(cw, report)
    assert (outdated.text_html, outdated.text_language) == ("<p>Revised.</p>", "en")
    assert outdated.text_mark.startswith(OUTDATED_NOTE)


def test_a_translation_of_a_published_report_changes_the_packs_content_version(
    cw: CrisisWorld, report: AfterActionReport
) -> None:
    before = pack_content_version(session=cw.table.session)
    translate(cw, report, "ru")
    written = pack_content_version(session=cw.table.session)
    assert written != before
    services.aar_translation_confirm(report=report, user=cw.sec, language="ru")
    assert pack_content_version(session=cw.table.session) != written


def test_the_api_serves_the_report_in_the_language_asked_for(
    cw: CrisisWorld, report: AfterActionReport
) -> None:
    translate(cw, report, "ru")
    row = api(cw.user("ru")).get(api_url(report), HTTP_ACCEPT_LANGUAGE="ru").json()
    assert (row["text"], row["language"], row["authoritative"]) == (RU_TEXT, "ru", False)
    assert (row["translation_state"], row["authoritative_language"]) == ("unofficial", "en")
    assert {"language": "ru", "state": "unofficial"} in row["available_languages"]
    assert row["language_note"] == ""
    english = api(cw.user("ru")).get(api_url(report), HTTP_ACCEPT_LANGUAGE="en").json()
    assert (english["text"], english["language"], english["authoritative"]) == (TEXT, "en", True)
    _publish(cw, report, text="<p>Revised.</p>")
    outdated = api(cw.user("ru")).get(api_url(report), HTTP_ACCEPT_LANGUAGE="ru").json()
    assert (outdated["text"], outdated["language"], outdated["authoritative"]) == (
        "<p>Revised.</p>",
        "en",
        True,
    )
    assert {"language": "ru", "state": "outdated"} in outdated["available_languages"]
    assert "перевод" in outdated["language_note"].lower()


def test_the_schema_documents_the_reports_languages(db: None) -> None:
    from rest_framework.test import APIClient

    from consult.parallel_api import PARALLEL_TEXT_FIELDS

    properties = (
        APIClient()
        .get("/api/schema/", {"format": "json"})
        .json()["components"]["schemas"]["Report"]["properties"]
    )
    for field in [*PARALLEL_TEXT_FIELDS, "text"]:
        assert field in properties, field


# --- The translations page -------------------------------------------------------------


def test_the_translations_page_has_no_title_and_is_the_secretariats(
    cw: CrisisWorld, report: AfterActionReport
) -> None:
    url, confirm = translations_url(report), translations_url(report, confirm=True)
    secretariat = client_for(cw.sec)
    assert f'href="{url}"' in secretariat.get(report_url(report)).content.decode()
    html = secretariat.get(url).content.decode()
    assert 'name="title"' not in html
    assert 'name="text"' in html
    assert f'<div class="rich-text" lang="en">{TEXT}</div>' in html
    assert f'href="{report_url(report)}"' in html
    response = secretariat.post(url, {"language": "ru", "text": RU_TEXT})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?lang=ru"
    assert reload(report).text_translation_ru == RU_TEXT
    assert secretariat.post(confirm, {"language": "ru"}).status_code == 302
    assert reload(report).translation_state_ru == "confirmed"


@pytest.mark.parametrize("username", ["us", "ru", "de", "outsider"])
def test_the_translations_pages_are_refused_to_delegates_and_others(
    cw: CrisisWorld, report: AfterActionReport, username: str
) -> None:
    translate(cw, report, "ru")
    before = columns(report)
    url, confirm = translations_url(report), translations_url(report, confirm=True)
    other = client_for(cw.user(username))
    page = other.get(report_url(report))
    assert url not in page.content.decode()
    assert other.get(url).status_code == 404
    assert other.post(url, {"language": "fr", "text": FR_TEXT}).status_code == 404
    assert other.post(confirm, {"language": "ru"}).status_code == 404
    assert columns(report) == before


def test_the_translations_page_refuses_and_saves_nothing(
    cw: CrisisWorld, report: AfterActionReport
) -> None:
    url, confirm = translations_url(report), translations_url(report, confirm=True)
    secretariat = client_for(cw.sec)
    before = columns(report)
    assert secretariat.post(url, {"language": "de", "text": RU_TEXT}).status_code == 400
    own = secretariat.post(url, {"language": "en", "text": RU_TEXT})
    assert own.status_code == 400
    assert "English is this text" in own.content.decode()
    assert secretariat.post(url, {"language": "ru", "text": "<p> </p>"}).status_code == 400
    missing = secretariat.post(confirm, {"language": "ru"}, follow=True).content.decode()
    assert "This text has no Russian translation to confirm" in missing
    assert columns(report) == before
    # No report yet: no page.
    bare = _ended(cw)
    assert (
        secretariat.get(reverse("crises:aar_translations", args=[bare.public_id])).status_code
        == 404
    )


def test_a_draft_and_its_translations_page_are_the_secretariats(cw: CrisisWorld) -> None:
    draft = services.aar_draft(exercise=_ended(cw), user=cw.sec)
    translate(cw, draft, "ru")
    reader = client_for(cw.user("ru"), "ru")
    assert reader.get(report_url(draft)).status_code == 404
    assert reader.get(translations_url(draft)).status_code == 404
    assert client_for(cw.sec).get(translations_url(draft)).status_code == 200


# --- Queries ----------------------------------------------------------------------------


def test_the_report_pages_and_the_api_cost_the_same_with_or_without_translations(
    cw: CrisisWorld, report: AfterActionReport
) -> None:
    pages: list[tuple[Any, str, dict[str, str]]] = [
        (client_for(cw.user("ru"), "ru"), report_url(report), {}),
        (client_for(cw.sec, "ru"), report_url(report), {}),
        (client_for(cw.sec), translations_url(report) + "?lang=ru", {}),
        (api(cw.user("ru")), api_url(report), {"HTTP_ACCEPT_LANGUAGE": "ru"}),
    ]
    without = [page_queries(client, url, **headers) for client, url, headers in pages]
    translate(cw, report, "ru")
    translate(cw, report, "fr")
    services.aar_translation_confirm(report=report, user=cw.sec, language="fr")
    assert [page_queries(client, url, **headers) for client, url, headers in pages] == without


def test_the_pack_costs_the_same_with_one_or_many_translated_reports(
    cw: CrisisWorld, report: AfterActionReport
) -> None:
    translate(cw, report, "ru")

    def counted(reports: list[AfterActionReport]) -> int:
        with translation.override("ru"), CaptureQueriesContext(connection) as queries:
            views = _pack_reports(cw, *reports)
        assert [view.text_language for view in views] == ["ru"] * len(reports)
        return len(queries)

    one = counted([report])
    more = [report]
    for _number in range(3):
        drafted = services.aar_draft(exercise=_ended(cw), user=cw.sec)
        more.append(translate(cw, _publish(cw, drafted), "ru"))
    assert counted(more) == one
