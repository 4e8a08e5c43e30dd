# ruff: noqa: RUF001, RUF002 -- the expected texts are Russian and French, Cyrillic letters and French apostrophes included
"""A party's name stands in the nominative in every Russian and French message.

Party names (États-Unis, OTAN, США, НАТО...) cannot take the article or the case a
preposition asks for: "de États-Unis" and "от США" read wrong for most of them. The
catalogs name the party after a noun that carries the grammar instead, as the delegation
messages already do: « de la partie « %(party)s » », «стороны «%(party)s»», or after a
colon or dash in a label.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

LOCALE = Path(__file__).resolve().parent.parent / "locale"
# Placeholders that stand for a party (a state or an organisation) or a list of them.
PARTY = r"%\((?:party|parties|organisation|holder)\)s"
# A preposition (or a word governing a case) directly before a party's name.
WRONG = {
    "fr": re.compile(rf"(?<!\w)(?:de|d’|à|au|aux|par|pour|des|du)\s+{PARTY}", re.IGNORECASE),
    "ru": re.compile(
        rf"(?<!\w)(?:от|для|у|к|с|по|в|на|о|об|при|адресован[аоы]?|членом|членами)\s+{PARTY}",
        re.IGNORECASE,
    ),
}


def msgstrs(language: str) -> list[str]:
    """Every translation in the language's catalog, plural forms included, unwrapped."""
    texts: list[str] = []
    current: list[str] | None = None
    for line in (LOCALE / language / "LC_MESSAGES" / "django.po").read_text("utf-8").splitlines():
        if line.startswith("msgstr"):
            current = [ast.literal_eval(line.split(" ", 1)[1])]
            texts.append("")
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        else:
            current = None
            continue
        texts[-1] = "".join(current)
    return texts


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_no_party_name_follows_a_preposition_in_the_catalog(language: str) -> None:
    texts = msgstrs(language)
    assert len(texts) > 1000  # the catalog was read
    wrong = [text for text in texts if WRONG[language].search(text)]
    assert wrong == []


def test_the_guard_catches_the_old_wordings() -> None:
    for language, text in (
        ("fr", "Réponse de %(party)s"),
        ("fr", "Des injects vont à %(parties)s : gardez-la parmi les joueurs."),
        ("fr", "%(party)s est déjà membre de %(organisation)s."),
        ("ru", "Ответ от %(party)s"),
        ("ru", "Вводная %(order)s адресована %(party)s; отвечает только эта сторона."),
        ("ru", "Сторона «%(party)s» уже является членом %(organisation)s."),
    ):
        assert WRONG[language].search(text), text
    assert not WRONG["fr"].search("Réponse de la partie « %(party)s »")
    assert not WRONG["ru"].search("Ответ стороны «%(party)s»")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            [
                "Réponse de la partie « États-Unis »",
                "Flash — alerte de la partie « Russie »",
                "à la demande de la partie « États-Unis » :",
                "L’inject 2 est adressé à la partie « Russie » ; elle seule répond.",
                "Finlande est déjà membre de l’organisation « OTAN ».",
                "Des injects sont adressés à ces parties : RUS, USA ; "
                "gardez-les parmi les joueurs.",
            ],
        ),
        (
            "ru",
            [
                "Ответ стороны «США»",
                "Молния — оповещение стороны «Россия»",
                "по просьбе стороны «США»:",
                "Вводная 2 адресована стороне «Россия»; отвечает только эта сторона.",
                "Сторона «Финляндия» уже является членом организации «НАТО».",
                "Вводные адресованы сторонам: RUS, USA; оставьте эти стороны среди участников.",
            ],
        ),
    ],
)
def test_party_names_read_in_the_nominative(language: str, expected: list[str]) -> None:
    names = {
        "fr": {"usa": "États-Unis", "rus": "Russie", "fin": "Finlande", "nato": "OTAN"},
        "ru": {"usa": "США", "rus": "Россия", "fin": "Финляндия", "nato": "НАТО"},
    }[language]
    with translation.override(language):
        rendered = [
            gettext("Response from %(party)s") % {"party": names["usa"]},
            gettext("%(urgency)s alert from %(party)s")
            % {"urgency": {"fr": "Flash", "ru": "Молния"}[language], "party": names["rus"]},
            gettext("at the request of %(party)s:") % {"party": names["usa"]},
            gettext("Inject %(order)s went to %(party)s; only it responds.")
            % {"order": 2, "party": names["rus"]},
            gettext("%(party)s is already a member of %(organisation)s.")
            % {"party": names["fin"], "organisation": names["nato"]},
            ngettext(
                "Injects go to %(parties)s: keep it among the players.",
                "Injects go to %(parties)s: keep them among the players.",
                2,
            )
            % {"parties": "RUS, USA"},
        ]
    assert rendered == expected
