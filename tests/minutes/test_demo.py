import html
from importlib import import_module

import pytest
from django.test import Client

from minutes import demo
from minutes.models import ActionPoint, Communique, Minutes, Statement
from minutes.selectors import communiques as communiques_selectors

pytestmark = pytest.mark.django_db


def _seed_all() -> None:
    import_module("members.demo").seed()
    try:
        agenda_demo = import_module("agenda.demo")
    except ModuleNotFoundError:
        agenda_demo = None
    if agenda_demo is not None:
        agenda_demo.seed()
    demo.seed()


def test_demo_record_is_complete_and_idempotent():
    """Last quarter's approved minutes, a communiqué with a US footnote, an older chair's
    statement; seeding twice adds nothing."""
    _seed_all()
    counts = (Minutes.objects.count(), Statement.objects.count(), Communique.objects.count())
    demo.seed()
    assert (
        Minutes.objects.count(),
        Statement.objects.count(),
        Communique.objects.count(),
    ) == counts

    minutes = Minutes.objects.get()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.revisions.count() == 3
    speakers = set(minutes.statements.values_list("party__code", flat=True))
    assert {"USA", "RUS", "NATO", "EU"} <= speakers
    assert minutes.statements.filter(item__chatham_house=True).count() >= 2
    assert minutes.statements.filter(kind=Statement.Kind.INTERPRETATIVE).exists()
    assert set(minutes.action_points.values_list("status", flat=True)) == {
        ActionPoint.Status.OPEN,
        ActionPoint.Status.DONE,
    }

    published = {c.title: c for c in communiques_selectors.published_communique_list()}
    communique = published[demo.LAST_TITLE]
    assert communique.kind == Communique.Kind.COMMUNIQUE
    notes = communiques_selectors.communique_footnotes(communique)
    assert [(n.party_code, n.text) for n in notes] == [("USA", demo.US_RESERVATION)]
    older = published[demo.OLDER_TITLE]
    assert older.kind == Communique.Kind.CHAIR_STATEMENT
    assert older.published_title == f"Chair's statement: {demo.OLDER_TITLE}"
    assert older.published_at is not None
    assert communique.published_at is not None
    assert older.published_at < communique.published_at

    page = html.unescape(Client().get(communique.get_absolute_url()).content.decode())
    assert demo.US_RESERVATION in page


def test_the_demo_communique_exists_in_the_three_working_languages():
    """English authoritative, French confirmed, Russian unofficial; a Russian paper has no
    other language; seeding twice leaves the translations as they are."""
    from agenda.models import Document
    from consult import parallel
    from minutes.models.communiques import COMMUNIQUE_PARALLEL

    _seed_all()
    demo.seed()
    communique = Communique.objects.get(title=demo.LAST_TITLE)
    assert communique.language == "en"
    assert [
        (available.language, available.state)
        for available in parallel.available(communique, COMMUNIQUE_PARALLEL)
    ] == [("en", "authoritative"), ("ru", "unofficial"), ("fr", "confirmed")]
    russian = parallel.version_for(communique, COMMUNIQUE_PARALLEL, "ru")
    assert russian["title"] == demo.LAST_TRANSLATIONS["ru"][0]
    assert russian["text"] == demo.LAST_TRANSLATIONS["ru"][1]
    # The signature stays over the authoritative English version.
    assert communique.published_version is not None
    assert communique.published_version.text == demo.LAST_TEXT

    page = html.unescape(Client().get(f"{communique.get_absolute_url()}?lang=ru").content.decode())
    assert demo.LAST_TRANSLATIONS["ru"][0] in page
    # Every published demo text reads in Russian in the API, as a new analyst asks for it.
    rows = Client().get("/api/v1/communiques/", HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    published = [row for row in rows if row["status"] == "published"]
    assert len(published) == 2
    for row in published:
        assert (row["language"], row["authoritative"], row["translation_state"]) == (
            "ru",
            False,
            "unofficial",
        )
        assert row["attribution"].startswith("Выпущено ")
    assert "Неофициальный перевод" in page or "Unofficial translation" in page

    paper = Document.objects.get(title__startswith="Черноморские меры доверия")
    assert paper.language == Document.Language.RU
