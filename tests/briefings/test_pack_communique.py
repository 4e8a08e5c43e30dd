"""The pack's previous communiqué in the pack's language (consult/parallel.py): the current
translation when there is one, else the authoritative text with the note saying why, each
marked with its ``lang``; read back from the PDFs and the reader. A translation written,
confirmed or outdated changes the pack's content version; the queries do not grow with
translations. Also the ``lang`` of the titles named inside the norms' and off-ramps'
captions."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from briefings.models import BuildStatus
from briefings.selectors.audiences import pack_audience
from briefings.selectors.content import CommuniqueView, pack_content
from briefings.selectors.versions import pack_content_version
from briefings.services.pdf_compose import pack_html
from consult.parallel import TranslationState
from crises.services import crises as crisis_services
from crises.services import registers as register_services
from members.models import Party
from members.services.profiles import profile_language_set
from minutes.models import Communique
from minutes.services import communiques as services
from tests.briefings.packs import Table, build_packs, copy_of, pages_text, read

pytestmark = pytest.mark.django_db

TEXT = "The body met and talked."
RU_TITLE = "Коммюнике сессии CCB/T/P1"
RU_TEXT = "Орган собрался и провёл обсуждение."
FR_NOTE = "Ce texte n’existe pas encore en français. Voici le texte faisant foi, en anglais."  # noqa: RUF001
RU_OUTDATED = "Перевод на язык «русский» устарел"


def _communique(table: Table) -> Communique:
    return Communique.objects.get(session=table.previous)


def _translate(table: Table, *, confirm: bool = False) -> None:
    communique = _communique(table)
    services.communique_translation_set(
        communique=communique, user=table.secretary, language="ru", title=RU_TITLE,
        text=f"<p>{RU_TEXT}</p>",
    )  # fmt: skip
    if confirm:
        services.communique_translation_confirm(
            communique=communique, user=table.secretary, language="ru"
        )


def _outdate(table: Table) -> None:
    """The text was translated while drafted, then revised before publication: the revision
    outdates the translation (a published text no longer changes)."""
    _translate(table, confirm=True)
    communique = _communique(table)
    Communique.objects.filter(pk=communique.pk).update(status=Communique.Status.DRAFT)
    version = services.communique_version_add(
        communique=communique, user=table.secretary, text="<p>The body met and agreed.</p>"
    )
    Communique.objects.filter(pk=communique.pk).update(
        status=Communique.Status.PUBLISHED, published_version=version
    )


def _content(table: Table, language: str, code: str = "RUS") -> tuple[CommuniqueView, str]:
    user = table.user(code)
    with translation.override(language):
        content = pack_content(
            session=table.session,
            audience=pack_audience(user=user, session=table.session),
            viewer=user,
        )
        html = pack_html(content)
    assert content.communique is not None
    return content.communique, html


def test_the_russian_pdf_gives_the_confirmed_russian_communique(table: Table) -> None:
    _translate(table, confirm=True)
    profile_language_set(user=table.user("RUS"), language="ru")
    Party.objects.filter(code="RUS").update(name_ru="Россия")
    build_packs(table.session, only=[table.user("RUS")])
    pack = copy_of(table.user("RUS"), table.session)
    assert pack.status == BuildStatus.READY, pack.display_reason
    text = " ".join(pages_text(read(pack.file)))
    assert RU_TITLE in text
    assert RU_TEXT in text
    assert "Подтверждённый перевод" in text
    assert "Выпущено участниками сессии CCB/T/P1" in text  # the attribution, in Russian
    assert TEXT not in text

    view, html = _content(table, "ru")
    assert (view.title, view.language, view.mark) == (RU_TITLE, "ru", "Подтверждённый перевод")
    assert f'<h3 lang="ru">{RU_TITLE}</h3>' in html
    assert '<p class="pack-muted">Подтверждённый перевод</p>' in html
    assert f'<div class="pack-rich-text" lang="ru"><p>{RU_TEXT}</p></div>' in html
    assert '<p class="pack-muted" lang="ru">Выпущено участниками сессии CCB/T/P1</p>' in html


def test_an_unofficial_translation_is_served_and_marked(table: Table) -> None:
    _translate(table)
    view, html = _content(table, "ru")
    assert (view.language, view.mark) == ("ru", "Неофициальный перевод")
    assert f'<div class="pack-rich-text" lang="ru"><p>{RU_TEXT}</p></div>' in html
    # The English pack keeps the authoritative text, unmarked.
    english, english_html = _content(table, "en")
    assert (english.title, english.language, english.mark) == ("Communiqué of CCB/T/P1", "en", "")
    assert f'<div class="pack-rich-text" lang="en"><p>{TEXT}</p></div>' in english_html
    assert RU_TEXT not in english_html


def test_the_french_pack_falls_back_to_the_authoritative_text_with_the_note(
    table: Table,
) -> None:
    _translate(table, confirm=True)  # a Russian translation, none in French
    profile_language_set(user=table.user("EU"), language="fr")
    build_packs(table.session, only=[table.user("EU")])
    pack = copy_of(table.user("EU"), table.session)
    assert pack.status == BuildStatus.READY, pack.display_reason
    text = " ".join(pages_text(read(pack.file)))
    assert TEXT in text
    assert FR_NOTE in text
    assert RU_TEXT not in text

    view, html = _content(table, "fr", code="EU")
    assert (view.title, view.language, view.mark) == ("Communiqué of CCB/T/P1", "en", FR_NOTE)
    assert '<h3 lang="en">Communiqué of CCB/T/P1</h3>' in html
    assert f'<p class="pack-muted">{FR_NOTE}</p>' in html
    assert f'<div class="pack-rich-text" lang="en"><p>{TEXT}</p></div>' in html


def test_an_outdated_translation_gives_the_authoritative_text_with_the_note(
    table: Table,
) -> None:
    _outdate(table)
    assert _communique(table).translation_state_ru == TranslationState.OUTDATED  # type: ignore[attr-defined]
    view, html = _content(table, "ru")
    assert (view.title, view.language) == ("Communiqué of CCB/T/P1", "en")
    assert view.mark.startswith(RU_OUTDATED)
    assert '<div class="pack-rich-text" lang="en"><p>The body met and agreed.</p></div>' in html
    assert RU_TEXT not in html
    assert RU_TITLE not in html


def test_the_reader_gives_the_communique_in_the_pages_language(client: Any, table: Table) -> None:
    _translate(table, confirm=True)
    client.force_login(table.user("RUS"))
    url = reverse("briefings:pack_detail", args=[table.session.public_id])
    client.post("/language/", {"language": "ru"})
    russian = client.get(url).content.decode()
    assert f'<div class="pack-rich-text" lang="ru"><p>{RU_TEXT}</p></div>' in russian
    client.post("/language/", {"language": "fr"})
    french = client.get(url).content.decode()
    assert f'<div class="pack-rich-text" lang="en"><p>{TEXT}</p></div>' in french
    assert FR_NOTE in french


def test_the_translation_changes_the_packs_content_version(table: Table) -> None:
    versions = [pack_content_version(session=table.session)]
    _translate(table)
    versions.append(pack_content_version(session=table.session))
    services.communique_translation_confirm(
        communique=_communique(table), user=table.secretary, language="ru"
    )
    versions.append(pack_content_version(session=table.session))
    # Outdated (as a revision before publication does), even without a new time of change.
    Communique.objects.filter(pk=_communique(table).pk).update(
        translation_state_ru=TranslationState.OUTDATED
    )
    versions.append(pack_content_version(session=table.session))
    assert len(set(versions)) == 4
    assert pack_content_version(session=table.session) == versions[-1]


def _queries(table: Table, language: str) -> tuple[int, int]:
    user = table.user("RUS")
    audience = pack_audience(user=user, session=table.session)
    with translation.override(language), CaptureQueriesContext(connection) as content:
        pack_content(session=table.session, audience=audience, viewer=user)
    with CaptureQueriesContext(connection) as version:
        pack_content_version(session=table.session)
    return len(content), len(version)


def test_the_queries_do_not_grow_with_the_translation(table: Table) -> None:
    untranslated = _queries(table, "ru")
    _translate(table, confirm=True)
    assert _queries(table, "ru") == untranslated
    assert _queries(table, "fr") == untranslated


def test_the_captions_mark_the_title_in_its_language(table: Table) -> None:
    """The French pack names the norm and the crisis (authoritative, in English) inside
    French captions: each title keeps its ``lang``."""
    sec = table.secretary
    register_services.norm_create(
        user=sec, session=table.session, title="Safe distances between aircraft",
        text="<p>Keep at least five nautical miles.</p>", source="CUES",
    )  # fmt: skip
    crisis = crisis_services.crisis_create(
        user=sec, session=table.session, title="Black Sea corridor", region="Black Sea",
        on=timezone.localdate(),
    )  # fmt: skip
    crisis_services.crisis_link(crisis=crisis, user=sec, target=table.ukraine_item)
    register_services.off_ramp_create(user=sec, crisis=crisis, title="A naval hotline")
    _view, html = _content(table, "fr", code="USA")
    captions = [part.split("</caption>")[0] for part in html.split("<caption>")[1:]]
    assert any('<span lang="en">Safe distances between aircraft</span>' in c for c in captions)
    assert any('<span lang="en">Black Sea corridor</span>' in c for c in captions)
