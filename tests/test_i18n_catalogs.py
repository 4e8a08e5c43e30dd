"""The Russian and French catalogs keep up with the interface.

``makemessages`` runs, with the same options as a translator would use, over a
temporary copy of the sources and catalogs; a string marked for translation
and missing from a catalog, left untranslated, or marked fuzzy (a guess by
``msgmerge``) fails the test and is named. Needs gettext (bin/with-services).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ru", "fr")
# What is not the interface's source: the tests, tools and their caches, the data.
NOT_SOURCES = {
    ".git", ".venv", ".ci", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis",
    ".import_linter_cache", "var", "tests", "docs", "bench", "requirements", "static",
}  # fmt: skip
MAKEMESSAGES = [
    "makemessages",
    *(f"--locale={language}" for language in LANGUAGES),
    "--no-obsolete",
    "--no-location",
]

pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="gettext is installed by bin/with-services"
)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalogs as ``makemessages`` leaves them after reading today's sources."""
    copy = tmp_path_factory.mktemp("sources")
    for entry in ROOT.iterdir():
        if entry.name in NOT_SOURCES:
            continue
        if entry.is_dir():
            shutil.copytree(
                entry, copy / entry.name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
            )
        else:
            shutil.copy2(entry, copy / entry.name)
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return copy / "locale"


def entries(po: Path, *attributes: str) -> list[str]:
    """The msgids ``msgattrib`` selects with ``attributes`` (e.g. ``--untranslated``)."""
    found = subprocess.run(
        ["msgattrib", *attributes, "--no-wrap", str(po)], check=True, capture_output=True, text=True
    ).stdout
    return [msgid for msgid in re.findall(r'^msgid "(.*)"$', found, re.M) if msgid]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_translates_every_marked_string(extracted, language):
    po = extracted / language / "LC_MESSAGES" / "django.po"
    assert entries(po, "--untranslated") == [], f"untranslated in {language}: run makemessages"
    assert entries(po, "--only-fuzzy") == [], f"fuzzy in {language}: check and unmark them"
    committed = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    assert entries(po) == entries(committed), f"{language}: run makemessages and commit the .po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_compiles_with_consistent_placeholders(language):
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)


def test_russian_has_three_plural_forms():
    """One (1, 21), few (2 to 4, 22) and many (5 to 20, 25): the rule the catalog declares."""
    po = (ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    header = po.replace('"\n"', "")
    assert (
        "Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ) in header
