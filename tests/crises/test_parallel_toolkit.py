"""Parallel texts of the crisis toolkit (consult/parallel.py): a dossier's title and summary,
an off-ramp's and a norm's title and text, translated per working language; their states,
the refusals, the version each reader gets on the pages, in the pack and through the API,
and the secretariat's translations pages."""

# ruff: noqa: RUF001 (Russian and French text)
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from audit.models import AuditEntry
from consult import parallel
from consult.errors import ApplicationError
from crises.models import Crisis, Norm, OffRamp
from crises.models.dossiers import CRISIS_PARALLEL
from crises.models.registers import NORM_PARALLEL, OFF_RAMP_PARALLEL
from crises.selectors.briefing import RegisterAudience, pack_norms, pack_off_ramps
from crises.services import crises as crisis_services
from crises.services import registers as services
from members.services.profiles import profile_language_set
from tests.crises.conftest import CrisisWorld

pytestmark = pytest.mark.django_db

RU_TITLE = "Безопасные дистанции"
RU_TEXT = "<p>Самолёты держатся на расстоянии.</p>"
FR_TITLE = "Distances de sécurité"
FR_TEXT = "<p>Les aéronefs se tiennent à distance.</p>"


@dataclass(frozen=True)
class Kind:
    """One of the three kinds of text, as the tests drive it."""

    name: str
    spec: parallel.ParallelFields
    text_field: str
    path: str  # the pages' prefix: /crises/, /norms/, /off-ramps/
    api: str
    make: Callable[[CrisisWorld], Any]
    write: Callable[..., Any]
    confirm: Callable[..., Any]

    def translate(self, cw: CrisisWorld, subject: Any, language: str, title: str, text: str,
                  user: Any = None) -> Any:  # fmt: skip
        return self.write(
            **{self.name: subject, self.text_field: text},
            user=user or cw.sec,
            language=language,
            title=title,
        )

    def confirm_as(self, cw: CrisisWorld, subject: Any, language: str, user: Any = None) -> Any:
        return self.confirm(**{self.name: subject}, user=user or cw.sec, language=language)

    def translations_url(self, subject: Any) -> str:
        return f"{self.path}{subject.public_id}/translations/"


def _norm(cw: CrisisWorld, title: str = "Safe distances") -> Norm:
    return services.norm_create(
        user=cw.sec,
        session=cw.table.session,
        title=title,
        text="<p>Aircraft keep their distance.</p>",
    )


def _off_ramp(cw: CrisisWorld, title: str = "A hotline") -> OffRamp:
    return services.off_ramp_create(
        user=cw.sec, crisis=cw.crisis, title=title, text="<p>Call before you fly.</p>"
    )


KINDS = [
    Kind(
        "crisis",
        CRISIS_PARALLEL,
        "summary",
        "/crises/",
        "/api/v1/crises/",
        lambda cw: cw.crisis,
        crisis_services.crisis_translation_set,
        crisis_services.crisis_translation_confirm,
    ),
    Kind(
        "norm",
        NORM_PARALLEL,
        "text",
        "/norms/",
        "/api/v1/norms/",
        _norm,
        services.norm_translation_set,
        services.norm_translation_confirm,
    ),
    Kind(
        "off_ramp",
        OFF_RAMP_PARALLEL,
        "text",
        "/off-ramps/",
        "/api/v1/off-ramps/",
        _off_ramp,
        services.off_ramp_translation_set,
        services.off_ramp_translation_confirm,
    ),
]


@pytest.fixture(params=KINDS, ids=[kind.name for kind in KINDS])
def kind(request: pytest.FixtureRequest) -> Kind:
    return request.param


def reload(subject: Any) -> Any:
    return type(subject).objects.get(pk=subject.pk)


def columns(kind: Kind, subject: Any) -> dict[str, Any]:
    fresh = reload(subject)
    return {name: getattr(fresh, name) for name in parallel.translation_columns(kind.spec)}


@pytest.fixture
def translated(cw: CrisisWorld, kind: Kind) -> Any:
    """The text with a Russian translation (unofficial) and a French one (confirmed)."""
    subject = kind.make(cw)
    kind.translate(cw, subject, "ru", RU_TITLE, RU_TEXT)
    kind.translate(cw, subject, "fr", FR_TITLE, FR_TEXT)
    kind.confirm_as(cw, subject, "fr")
    return reload(subject)


def client_for(user: Any, language: str | None = None) -> Client:
    client = Client()
    if user is not None:
        if language:
            profile_language_set(user=user, language=language)
        client.force_login(user)
    return client


# --- Services ---------------------------------------------------------------------------


def test_a_translation_is_unofficial_until_the_secretariat_confirms_it(
    cw: CrisisWorld, kind: Kind
) -> None:
    subject = kind.make(cw)
    authoritative = (subject.title, kind.spec.authoritative_value(subject, kind.text_field))
    kind.translate(cw, subject, "ru", f"  {RU_TITLE} ", "<p>Самолёты <script>x</script>да.</p>")
    fresh = reload(subject)
    assert fresh.translation_state_ru == "unofficial"
    assert fresh.title_translation_ru == RU_TITLE
    assert getattr(fresh, f"{kind.text_field}_translation_ru") == "<p>Самолёты да.</p>"
    assert fresh.translation_state_fr in ("", None)
    # The authoritative text and its language are untouched.
    assert (fresh.title, kind.spec.authoritative_value(fresh, kind.text_field)) == authoritative
    assert fresh.language == "en"
    kind.confirm_as(cw, subject, "ru")
    assert reload(subject).translation_state_ru == "confirmed"
    summaries = set(AuditEntry.objects.values_list("summary", flat=True))
    assert f"Wrote the ru translation of “{subject.title}” (unofficial)." in summaries
    assert f"Confirmed the ru translation of “{subject.title}”." in summaries


def test_rewriting_a_confirmed_translation_makes_it_unofficial_again(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    kind.translate(cw, translated, "fr", FR_TITLE, "<p>Autre chose.</p>")
    assert reload(translated).translation_state_fr == "unofficial"
    # Confirming a confirmed translation changes nothing and records nothing.
    kind.confirm_as(cw, translated, "fr")
    before = AuditEntry.objects.count()
    kind.confirm_as(cw, translated, "fr")
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("username", ["us", "ru", "outsider"])
def test_only_the_secretariat_translates_or_confirms(
    cw: CrisisWorld, kind: Kind, translated: Any, username: str
) -> None:
    before = columns(kind, translated)
    user = cw.user(username)
    with pytest.raises(PermissionDenied, match="Only the secretariat may translate"):
        kind.translate(cw, translated, "ru", "Другое", "<p>Другое.</p>", user=user)
    with pytest.raises(PermissionDenied, match="Only the secretariat may confirm"):
        kind.confirm_as(cw, translated, "ru", user=user)
    assert columns(kind, translated) == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "“de” is not a working language; use one of en, ru, fr."),
        ("", "“” is not a working language; use one of en, ru, fr."),
        ("en", "English is this text's authoritative language"),
    ],
)
def test_an_unknown_or_the_authoritative_language_is_refused(
    cw: CrisisWorld, kind: Kind, translated: Any, language: str, message: str
) -> None:
    before = columns(kind, translated)
    with pytest.raises(ApplicationError) as refused:
        kind.translate(cw, translated, language, "Title", "<p>Text.</p>")
    assert message in refused.value.message
    assert "language" in refused.value.fields
    with pytest.raises(ApplicationError) as refused:
        kind.confirm_as(cw, translated, language)
    assert message in refused.value.message
    assert columns(kind, translated) == before


def test_a_translation_without_its_title_or_text_is_refused(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    before = columns(kind, translated)
    with pytest.raises(ApplicationError, match="The title is required"):
        kind.translate(cw, translated, "ru", "  ", RU_TEXT)
    with pytest.raises(ApplicationError, match="The title is longer than 240 characters"):
        kind.translate(cw, translated, "ru", "Д" * 241, RU_TEXT)
    # The authoritative text has a summary or text: its translation must have one too.
    with pytest.raises(ApplicationError, match="is required") as refused:
        kind.translate(cw, translated, "ru", RU_TITLE, "<p> </p>")
    assert kind.text_field in refused.value.fields
    assert columns(kind, translated) == before


def test_a_text_without_summary_takes_a_translation_without_one(cw: CrisisWorld) -> None:
    off_ramp = services.off_ramp_create(user=cw.sec, crisis=cw.crisis, title="Talks")
    services.off_ramp_translation_set(
        off_ramp=off_ramp, user=cw.sec, language="fr", title="Des pourparlers", text=""
    )
    assert reload(off_ramp).translation_state_fr == "unofficial"


def test_confirming_a_missing_or_outdated_translation_is_refused(cw: CrisisWorld) -> None:
    crisis = cw.crisis
    with pytest.raises(ApplicationError, match="This text has no Russian translation to confirm"):
        crisis_services.crisis_translation_confirm(crisis=crisis, user=cw.sec, language="ru")
    crisis_services.crisis_translation_set(
        crisis=crisis, user=cw.sec, language="ru", title=RU_TITLE, summary=RU_TEXT
    )
    crisis_services.crisis_update(
        crisis=crisis,
        user=cw.sec,
        title=crisis.title,
        region=crisis.region,
        summary="<p>Intercepts, and a collision.</p>",
        distribution=crisis.distribution,
    )
    with pytest.raises(ApplicationError, match="The Russian translation is outdated"):
        crisis_services.crisis_translation_confirm(crisis=crisis, user=cw.sec, language="ru")
    assert reload(crisis).translation_state_ru == "outdated"


def test_editing_the_authoritative_text_outdates_every_translation(cw: CrisisWorld) -> None:
    crisis = cw.crisis
    for language, title in (("ru", RU_TITLE), ("fr", FR_TITLE)):
        crisis_services.crisis_translation_set(
            crisis=crisis, user=cw.sec, language=language, title=title, summary="<p>x</p>"
        )
    crisis_services.crisis_translation_confirm(crisis=crisis, user=cw.sec, language="fr")

    def edit(**changes: str) -> Any:
        fresh = reload(crisis)
        values = {
            "title": fresh.title,
            "region": fresh.region,
            "summary": fresh.summary,
            "distribution": fresh.distribution,
            **changes,
        }
        crisis_services.crisis_update(crisis=fresh, user=cw.sec, **values)
        return reload(crisis)

    # The region and the distribution are no part of the text: nothing is outdated.
    unchanged = edit(region="Baltic Sea and Gulf of Finland", distribution="seat_holders")
    assert (unchanged.translation_state_ru, unchanged.translation_state_fr) == (
        "unofficial",
        "confirmed",
    )
    retitled = edit(title="Baltic airspace and sea incidents")
    assert (retitled.translation_state_ru, retitled.translation_state_fr) == (
        "outdated",
        "outdated",
    )
    # Writing an outdated translation again makes it current (unofficial).
    crisis_services.crisis_translation_set(
        crisis=crisis, user=cw.sec, language="fr", title=FR_TITLE, summary="<p>y</p>"
    )
    assert reload(crisis).translation_state_fr == "unofficial"
    # The summary alone changing outdates too.
    assert edit(summary="<p>New summary.</p>").translation_state_fr == "outdated"


def test_the_api_edit_outdates_the_translations(cw: CrisisWorld) -> None:
    from tests.crises.api import api

    crisis_services.crisis_translation_set(
        crisis=cw.crisis, user=cw.sec, language="ru", title=RU_TITLE, summary=RU_TEXT
    )
    response = api(cw.sec).patch(
        f"/api/v1/crises/{cw.crisis.public_id}/", {"title": "Renamed"}, format="json"
    )
    assert response.status_code == 200
    assert reload(cw.crisis).translation_state_ru == "outdated"
    assert {"language": "ru", "state": "outdated"} in response.json()["available_languages"]


# --- The reader's version on the pages ---------------------------------------------------


def test_a_russian_reader_gets_the_russian_text_marked_unofficial(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    html = client_for(cw.user("ru"), "ru").get(translated.get_absolute_url()).content.decode()
    assert f'<h1 lang="ru">{RU_TITLE}</h1>' in html
    assert f'<div class="rich-text" lang="ru">{RU_TEXT}</div>' in html
    assert translated.title not in html.split("<h1")[1]
    assert 'class="state state-unofficial">Неофициальный перевод' in html


def test_a_french_reader_gets_the_confirmed_french_text(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    html = client_for(cw.user("fr"), "fr").get(translated.get_absolute_url()).content.decode()
    assert f'<h1 lang="fr">{FR_TITLE}</h1>' in html
    assert 'class="state state-confirmed">Traduction confirmée' in html
    # Each current version has its own address on the page.
    assert 'href="?lang=ru" hreflang="ru"' in html
    assert 'href="?lang=en" hreflang="en"' in html


def test_without_a_current_translation_the_authoritative_text_comes_with_the_note(
    cw: CrisisWorld, kind: Kind
) -> None:
    subject = kind.make(cw)
    kind.translate(cw, subject, "ru", RU_TITLE, RU_TEXT)
    type(subject).objects.filter(pk=subject.pk).update(translation_state_ru="outdated")
    reader = client_for(cw.user("ru"), "ru")
    html = reader.get(subject.get_absolute_url()).content.decode()
    assert f'<h1 lang="en">{subject.title}</h1>' in html
    assert RU_TITLE not in html
    assert (
        '<p class="parallel-note" role="note">Перевод на язык «русский» устарел: аутентичный '
        "текст изменился после его подготовки. Перед вами аутентичный текст на языке "
        "«английский».</p>"
    ) in html
    french = client_for(cw.user("fr"), "fr").get(subject.get_absolute_url()).content.decode()
    assert f'<h1 lang="en">{subject.title}</h1>' in french
    assert (
        '<p class="parallel-note" role="note">Ce texte n’existe pas encore en français. Voici '
        "le texte faisant foi, en anglais.</p>"
    ) in french


def test_the_page_shows_the_language_lang_names(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    reader = client_for(cw.user("us"))
    english = reader.get(translated.get_absolute_url()).content.decode()
    assert f'<h1 lang="en">{translated.title}</h1>' in english
    assert '<strong class="state state-authoritative">Authoritative</strong>' in english
    russian = reader.get(translated.get_absolute_url() + "?lang=ru").content.decode()
    assert f'<h1 lang="ru">{RU_TITLE}</h1>' in russian
    unknown = reader.get(translated.get_absolute_url() + "?lang=de").content.decode()
    assert f'<h1 lang="en">{translated.title}</h1>' in unknown


def _list_url(kind: Kind, cw: CrisisWorld) -> str:
    """The list the texts of ``kind`` stand in: an off-ramp's is its crisis's board."""
    if kind.name == "off_ramp":
        return f"/crises/{cw.crisis.public_id}/off-ramps/"
    return kind.path


def test_the_lists_name_each_text_in_the_readers_language(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    url = _list_url(kind, cw)
    russian = client_for(cw.user("ru"), "ru").get(url).content.decode()
    assert f'lang="ru">{RU_TITLE}</a> <small class="state state-unofficial">' in russian
    french = client_for(cw.user("fr"), "fr").get(url).content.decode()
    assert f'lang="fr">{FR_TITLE}</a> <small class="state state-confirmed">' in french
    type(translated).objects.filter(pk=translated.pk).update(translation_state_ru="outdated")
    outdated = client_for(cw.user("ru")).get(url).content.decode()
    assert RU_TITLE not in outdated
    assert f'lang="en">{translated.title}</a> <small class="parallel-note"' in outdated
    english = client_for(cw.user("us")).get(url).content.decode()
    assert f'lang="en">{translated.title}</a></' in english


def test_the_off_ramp_pages_name_the_crisis_in_the_readers_language(cw: CrisisWorld) -> None:
    crisis_services.crisis_translation_set(
        crisis=cw.crisis, user=cw.sec, language="ru", title="Инциденты над Балтикой", summary="x"
    )
    off_ramp = _off_ramp(cw)
    reader = client_for(cw.user("ru"), "ru")
    for url in (f"/crises/{cw.crisis.public_id}/off-ramps/", off_ramp.get_absolute_url()):
        assert "Инциденты над Балтикой" in reader.get(url).content.decode()


# --- The secretariat's translations pages ------------------------------------------------


def test_the_secretariat_adds_updates_and_confirms_translations_on_its_page(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    secretariat = client_for(cw.sec)
    detail = secretariat.get(translated.get_absolute_url()).content.decode()
    url = kind.translations_url(translated)
    assert f'href="{url}"' in detail
    page = secretariat.get(url + "?lang=ru")
    assert page.status_code == 200
    html = page.content.decode()
    assert RU_TITLE in html
    assert "Unofficial translation" in html
    assert "Confirmed translation" in html
    assert translated.title in html  # the authoritative text beside the form
    response = secretariat.post(url, {"language": "ru", "title": "Новое название", "text": RU_TEXT})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?lang=ru"
    assert reload(translated).title_translation_ru == "Новое название"
    refused = secretariat.post(url, {"language": "en", "title": "Title", "text": "<p>x</p>"})
    assert refused.status_code == 400
    assert "English is this text&#x27;s authoritative language" in refused.content.decode()
    blank = secretariat.post(url, {"language": "ru", "title": "Да", "text": "<p> </p>"})
    assert blank.status_code == 400
    secretariat.post(url + "confirm/", {"language": "ru"})
    assert reload(translated).translation_state_ru == "confirmed"
    follow = secretariat.post(url + "confirm/", {"language": "xx"}, follow=True).content.decode()
    assert "“xx” is not a working language" in follow


def test_confirming_an_outdated_translation_on_the_page_is_refused_clearly(
    cw: CrisisWorld,
) -> None:
    kind = KINDS[0]
    crisis_services.crisis_translation_set(
        crisis=cw.crisis, user=cw.sec, language="ru", title=RU_TITLE, summary=RU_TEXT
    )
    Crisis.objects.filter(pk=cw.crisis.pk).update(translation_state_ru="outdated")
    url = kind.translations_url(cw.crisis)
    html = client_for(cw.sec).post(url + "confirm/", {"language": "ru"}, follow=True)
    assert "The Russian translation is outdated" in html.content.decode()
    assert reload(cw.crisis).translation_state_ru == "outdated"


@pytest.mark.parametrize("username", ["us", "ru", "csto", "outsider", None])
def test_the_translations_pages_are_refused_to_delegates_and_others(
    cw: CrisisWorld, kind: Kind, translated: Any, username: str | None
) -> None:
    client = client_for(cw.user(username) if username else None)
    url = kind.translations_url(translated)
    assert client.get(url).status_code in (404, 302)
    response = client.post(url, {"language": "ru", "title": "X", "text": "<p>X</p>"})
    assert response.status_code in (404, 302)
    response = client.post(url + "confirm/", {"language": "ru"})
    assert response.status_code in (404, 302)
    assert reload(translated).translation_state_ru == "unofficial"
    assert reload(translated).title_translation_ru == RU_TITLE
    if username:
        page = client.get(translated.get_absolute_url()).content.decode()
        assert url not in page


# --- The briefing pack --------------------------------------------------------------------


def test_the_pack_gives_the_norms_and_off_ramps_in_its_language(cw: CrisisWorld) -> None:
    norm = _norm(cw)
    services.norm_translation_set(
        norm=norm, user=cw.sec, language="ru", title=RU_TITLE, text=RU_TEXT
    )
    off_ramp = _off_ramp(cw)
    audience = RegisterAudience(off_ramps=(off_ramp.pk,), norms=(norm.pk,))
    with translation.override("ru"):
        [russian] = pack_norms(audience)
        [crisis] = pack_off_ramps(audience)
    assert (russian.title, russian.language, russian.text_html) == (RU_TITLE, "ru", RU_TEXT)
    assert russian.mark == "Неофициальный перевод"
    [option] = crisis.off_ramps
    assert (option.title, option.language) == (off_ramp.title, "en")
    assert option.mark.startswith("Версии этого текста на языке «русский» пока нет.")
    with translation.override("en"):
        [english] = pack_norms(audience)
    assert (english.title, english.language, english.mark) == (norm.title, "en", "")


# --- API ------------------------------------------------------------------------------------


def test_the_api_answers_in_the_language_asked_for(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    client = client_for(cw.user("us"))
    russian = client.get(kind.api, HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    row = next(row for row in russian if row["id"] == str(translated.public_id))
    assert (row["language"], row["authoritative"], row["translation_state"]) == (
        "ru",
        False,
        "unofficial",
    )
    assert (row["title"], row[kind.text_field]) == (RU_TITLE, RU_TEXT)
    assert row["authoritative_language"] == "en"
    assert row["available_languages"] == [
        {"language": "en", "state": "authoritative"},
        {"language": "ru", "state": "unofficial"},
        {"language": "fr", "state": "confirmed"},
    ]
    assert row["language_note"] == ""
    french = client.get(f"{kind.api}{translated.public_id}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert (french["language"], french["translation_state"], french["title"]) == (
        "fr",
        "confirmed",
        FR_TITLE,
    )
    english = client.get(f"{kind.api}{translated.public_id}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (english["language"], english["authoritative"], english["title"]) == (
        "en",
        True,
        translated.title,
    )
    assert english[kind.text_field] == kind.spec.authoritative_value(translated, kind.text_field)


def test_the_api_serves_the_authoritative_text_for_an_outdated_translation(
    cw: CrisisWorld, kind: Kind, translated: Any
) -> None:
    type(translated).objects.filter(pk=translated.pk).update(translation_state_ru="outdated")
    client = client_for(cw.user("us"))
    row = client.get(f"{kind.api}{translated.public_id}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert (row["language"], row["authoritative"], row["translation_state"], row["title"]) == (
        "en",
        True,
        "authoritative",
        translated.title,
    )
    assert {"language": "ru", "state": "outdated"} in row["available_languages"]
    assert "перевод" in row["language_note"].lower()


def test_the_schema_documents_the_languages_served(db: None) -> None:
    from rest_framework.test import APIClient

    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    for name in ("Crisis", "Norm", "OffRamp"):
        properties = components[name]["properties"]
        for field in parallel_api_fields():
            assert field in properties, (name, field)
        assert properties["title"]["type"] == "string"


def parallel_api_fields() -> list[str]:
    from consult.parallel_api import PARALLEL_TEXT_FIELDS

    return PARALLEL_TEXT_FIELDS


# --- Queries --------------------------------------------------------------------------------


def _many(cw: CrisisWorld, kind: Kind, count: int, start: int) -> None:
    """``count`` more texts of ``kind``, each translated into Russian and French."""
    for number in range(start, start + count):
        subject: Any
        if kind.name == "crisis":
            subject = crisis_services.crisis_create(
                user=cw.sec,
                session=cw.table.session,
                title=f"Crisis {number}",
                region="Arctic",
                on=cw.crisis.status_since,
                summary="<p>s</p>",
            )
        elif kind.name == "norm":
            subject = _norm(cw, f"Norm {number}")
        else:
            subject = _off_ramp(cw, f"Option {number}")
        kind.translate(cw, subject, "ru", f"Текст {number}", RU_TEXT)
        kind.translate(cw, subject, "fr", f"Texte {number}", FR_TEXT)


def _count(client: Client, url: str, **headers: Any) -> int:
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries)


def test_a_list_costs_the_same_with_one_or_many_translated_rows(
    cw: CrisisWorld, kind: Kind
) -> None:
    _many(cw, kind, 1, 0)
    urls = [(_list_url(kind, cw), {}), (kind.api, {"HTTP_ACCEPT_LANGUAGE": "ru"})]
    reader = client_for(cw.user("de"), "ru")
    one = [_count(reader, url, **headers) for url, headers in urls]
    _many(cw, kind, 6, 1)
    assert [_count(reader, url, **headers) for url, headers in urls] == one


def test_a_page_costs_the_same_with_or_without_translations(cw: CrisisWorld, kind: Kind) -> None:
    bare = kind.make(cw) if kind.name != "crisis" else cw.crisis
    reader = client_for(cw.user("de"), "ru")
    without = _count(reader, bare.get_absolute_url())
    kind.translate(cw, bare, "ru", RU_TITLE, RU_TEXT)
    kind.translate(cw, bare, "fr", FR_TITLE, FR_TEXT)
    assert _count(reader, bare.get_absolute_url()) == without
