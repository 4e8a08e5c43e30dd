"""Packs in each delegate's working language: one render per audience and language, the
stamp in the reader's language, Cyrillic and French written with real glyphs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from briefings.models import BuildStatus, PackRender
from briefings.services.planning import packs_plan
from members.models import Party
from members.services.profiles import profile_language_set
from tests.briefings.packs import Table, build_packs, copy_of, pages_text, read


def _languages(table: Table, **codes: str) -> None:
    for code, language in codes.items():
        profile_language_set(user=table.user(code), language=language)


def test_a_render_is_made_once_per_audience_and_language(table: Table) -> None:
    """NATO and the EU read the same things: one render while they share a language, two when
    they do not; Russia's own audience is rendered once, in Russian."""
    _languages(table, NATO="ru", EU="ru", RUS="ru")
    packs_plan(session_id=table.session.pk)
    nato, eu = copy_of(table.user("NATO"), table.session), copy_of(table.user("EU"), table.session)
    assert nato.render_id == eu.render_id
    assert nato.render.language == "ru"
    assert copy_of(table.user("RUS"), table.session).render.language == "ru"
    assert copy_of(table.user("USA"), table.session).render.language == "en"
    assert PackRender.objects.filter(session=table.session).count() == 5

    # The EU now reads in French: its copy moves to a French render of the same audience.
    _languages(table, EU="fr")
    packs_plan(session_id=table.session.pk)
    nato, eu = copy_of(table.user("NATO"), table.session), copy_of(table.user("EU"), table.session)
    assert nato.render_id != eu.render_id
    assert nato.render.audience_key == eu.render.audience_key
    assert (nato.render.language, eu.render.language) == ("ru", "fr")
    assert eu.status == BuildStatus.QUEUED


def test_planning_queries_do_not_grow_with_languages(table: Table) -> None:
    """The recipients' languages come with the recipients (a join): six renders cost the same
    whether one delegate or every delegate reads in another language."""
    _languages(table, EU="fr")
    with CaptureQueriesContext(connection) as one:
        packs_plan(session_id=table.session.pk)
    assert PackRender.objects.filter(session=table.session).count() == 6
    PackRender.objects.all().delete()
    _languages(table, NATO="ru", EU="fr", RUS="ru", USA="fr", UKR="ru", CSTO="ru")
    with CaptureQueriesContext(connection) as every:
        packs_plan(session_id=table.session.pk)
    assert PackRender.objects.filter(session=table.session).count() == 6
    assert len(every) == len(one)


@pytest.fixture
def russian_copy(table: Table) -> dict[str, Any]:
    _languages(table, RUS="ru")
    Party.objects.filter(code="RUS").update(name_ru="Россия")
    build_packs(table.session, only=[table.user("RUS")])
    pack = copy_of(table.user("RUS"), table.session)
    assert pack.status == BuildStatus.READY, pack.display_reason
    return {"pdf": read(pack.file), "pack": pack}


def test_the_russian_delegates_pdf_is_in_russian(russian_copy: dict[str, Any]) -> None:
    """Headings, labels, the footer and the stamp come back from the PDF as Russian text."""
    pages = pages_text(russian_copy["pdf"])
    cover, text = pages[0], " ".join(pages)
    assert "Информационный пакет" in cover
    assert "ОРГАН КРИЗИСНЫХ КОНСУЛЬТАЦИЙ" in cover  # set in capitals by the style sheet
    assert "Подготовлено для" in cover
    assert "Сергей Лавров" in cover
    for heading in ("Содержание", "Состав в этом квартале", "Предыдущее коммюнике"):
        assert heading in text, heading
    assert "Страница 1 из" in cover
    # The stamp on every page, in Russian, with the party's Russian name.
    pack_id = str(russian_copy["pack"].public_id)
    for number, page in enumerate(pages, start=1):
        assert "Подготовлено для: Сергей Лавров, Делегация: Россия" in page, number
        assert f"Пакет {pack_id}" in page, number
    # No English heading left behind.
    assert "Briefing pack" not in text
    assert "Prepared for" not in text
    assert "Contents" not in text


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is installed by bin/")
def test_the_russian_pdf_embeds_a_cyrillic_font(
    russian_copy: dict[str, Any], tmp_path: Path
) -> None:
    """DejaVu (which covers Cyrillic and French accents) is embedded, for the text and the stamp."""
    path = tmp_path / "pack.pdf"
    path.write_bytes(russian_copy["pdf"])
    fonts = subprocess.run(
        ["pdffonts", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = fonts.splitlines()[2:]
    assert any("DejaVu-Serif" in row for row in rows), fonts
    assert any("DejaVu-Sans" in row for row in rows), fonts
    assert any("ConsultStamp" in row for row in rows), fonts
    # Every font is embedded ("emb" yes): nothing left to the viewer's substitutes.
    assert all(row.split()[-5] == "yes" for row in rows), fonts


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ru", ["<h1>Информационный пакет</h1>", "Содержание", "Состав в этом квартале"]),
        ("fr", ["<h1>Dossier d’information</h1>", "Sommaire", "La table ce trimestre"]),  # noqa: RUF001
        ("en", ["<h1>Briefing pack</h1>", "Contents", "The table this quarter"]),
    ],
)
def test_the_reader_follows_the_pages_language(
    client: Any, table: Table, language: str, words: list[str]
) -> None:
    """The pack in the browser speaks the reader's language, whatever the PDF's."""
    client.force_login(table.user("RUS"))
    client.post("/language/", {"language": language})
    response = client.get(reverse("briefings:pack_detail", args=[table.session.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    for word in words:
        assert word in html, word
