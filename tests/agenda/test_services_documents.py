import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.utils import timezone

from agenda.models import Agenda, Document, DocumentVersion
from agenda.selectors.documents import document_get, document_list, document_version_get
from agenda.services import documents as services
from consult.access import Distribution
from consult.errors import ApplicationError
from tests.agenda.papers import HTML_PAGE, docx_bytes, odt_bytes, pdf_bytes, upload

BODY = "<h2>Assessment</h2><p>Naval incidents rose by a third this quarter.</p>"


def yy() -> str:
    """The year in symbols: the year of the cycle's day (the ``cycle`` fixture sets the clock)."""
    return f"{timezone.now().year % 100:02d}"


def paper(cycle, user=None, **fields):
    values = {
        "user": user or cycle.secretary,
        "session": cycle.session,
        "title": "Background paper",
        "distribution": Distribution.PARTICIPANTS,
        "body_html": BODY,
    }
    values.update(fields)
    return services.document_create(**values)


def note(cycle, code, **fields):
    return paper(
        cycle,
        cycle.user(code),
        title=f"{code} talking points",
        distribution=Distribution.DELEGATION,
        category=Document.Category.NOTE,
        **fields,
    )


def stored_files(media_root):
    return [path for path in media_root.rglob("*") if path.is_file()]


# Filing


def test_the_secretariat_files_rich_text_under_the_next_gal_symbol(cycle):
    """The first secretariat paper of the year is CCB.GAL/1/yy; its text is stored sanitised."""
    first = paper(cycle, body_html=BODY + "<script>alert(1)</script>")
    second = paper(cycle, title="Second")
    assert (first.symbol, second.symbol) == (f"CCB.GAL/1/{yy()}", f"CCB.GAL/2/{yy()}")
    assert first.owner is None
    version = first.versions.get()
    assert version.number == 1
    assert version.format == DocumentVersion.Format.RICH_TEXT
    assert version.body_html == BODY
    assert version.sha256 == hashlib.sha256(BODY.encode()).hexdigest()
    assert version.size_bytes == len(BODY.encode())


def test_delegations_file_their_own_papers_under_del_symbols(cycle):
    """A delegate's paper is owned by the delegation and numbered in the shared DEL series."""
    usa = paper(cycle, cycle.user("USA"), title="US position")
    rus = paper(cycle, cycle.user("RUS"), title="Russian position")
    assert (usa.owner.code, usa.symbol) == ("USA", f"CCB.DEL/1/{yy()}")
    assert (rus.owner.code, rus.symbol) == ("RUS", f"CCB.DEL/2/{yy()}")


def test_private_notes_are_numbered_per_delegation(cycle):
    """Notes have their own series per delegation, so nobody counts the others' notes."""
    assert note(cycle, "USA").symbol == f"CCB.NOTE.USA/1/{yy()}"
    assert note(cycle, "RUS").symbol == f"CCB.NOTE.RUS/1/{yy()}"
    assert note(cycle, "USA").symbol == f"CCB.NOTE.USA/2/{yy()}"
    assert paper(cycle, cycle.user("USA")).symbol == f"CCB.DEL/1/{yy()}"


def test_a_note_written_as_plain_text_keeps_its_paragraphs(cycle):
    """Typed without the editor, blank lines part paragraphs and a single newline breaks a line."""
    written = note(
        cycle,
        "USA",
        body_html="Our line on the ceasefire.\r\nFirm but open.\r\n\r\nAsk for <b>monitors</b>.\n",
    )

    stored = written.versions.get().body_html
    assert stored == (
        "<p>Our line on the ceasefire.<br>Firm but open.</p><p>Ask for <b>monitors</b>.</p>"
    )


def test_the_secretariat_may_choose_a_symbol_and_numbering_skips_it(cycle):
    """A chosen symbol is kept; the automatic series never issues a taken one."""
    chosen = paper(cycle, symbol=f"ccb.gal/1/{yy()}")
    assert chosen.symbol == f"CCB.GAL/1/{yy()}"
    assert paper(cycle).symbol == f"CCB.GAL/2/{yy()}"


@pytest.mark.parametrize(
    ("symbol", "message"),
    [
        ("CCB.GAL/7/27", "already used"),
        ("CCB.NOTE.USA/1/27", "reserved for delegations' private notes"),
        ("<script>", "is not a symbol"),
    ],
)
def test_bad_symbols_are_refused(cycle, symbol, message):
    """Taken, reserved or malformed symbols are refused; nothing is saved."""
    paper(cycle, symbol="CCB.GAL/7/27")
    with pytest.raises(ApplicationError, match=message):
        paper(cycle, symbol=symbol, title="Refused")
    assert not Document.objects.filter(title="Refused").exists()


def test_delegations_do_not_choose_symbols(cycle):
    """A delegation's paper takes the issued symbol; choosing one is refused."""
    with pytest.raises(ApplicationError, match="issued automatically"):
        paper(cycle, cycle.user("USA"), symbol="CCB.DEL/99/27")


def test_the_secretariat_keeps_no_delegation_only_papers(cycle):
    """A delegation-only paper filed by the secretariat would be unreadable to it: refused."""
    with pytest.raises(ApplicationError, match="readable by its delegation alone"):
        paper(cycle, distribution=Distribution.DELEGATION, owner=cycle.parties["USA"])
    assert Document.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "analyst"])
def test_people_without_a_delegation_file_nothing(cycle, who):
    """Strangers and analysts are refused."""
    with pytest.raises(PermissionDenied, match="Only the secretariat and delegations"):
        paper(cycle, getattr(cycle, who))
    assert Document.objects.count() == 0


def test_a_delegation_files_only_in_its_own_name(cycle):
    """The US delegate cannot file a paper as Russia."""
    with pytest.raises(PermissionDenied, match="only for your own delegation"):
        paper(cycle, cycle.user("USA"), owner=cycle.parties["RUS"])


def test_an_ad_hoc_guest_files_only_on_its_item(cycle):
    """Ukraine files on the item it is invited to, not on the session or on other items."""
    ukr = cycle.user("UKR")
    with pytest.raises(PermissionDenied, match="does not take part in session"):
        paper(cycle, ukr)
    with pytest.raises(PermissionDenied, match="does not take part in item 2"):
        paper(cycle, ukr, item=cycle.other_item)
    filed = paper(cycle, ukr, item=cycle.ukraine_item, title="Ukraine's memorandum")
    assert filed.owner.code == "UKR"


def test_delegations_file_only_for_sessions_they_attend(cycle):
    """A seat-holder not invited to a session files nothing for it."""
    from tests.factories import SessionFactory

    other = SessionFactory()
    with pytest.raises(PermissionDenied, match="does not take part"):
        paper(cycle, cycle.user("USA"), session=other)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " "}, "The title is required"),
        ({"title": "x" * 201}, "longer than 200"),
        ({"distribution": "everyone"}, "Distribution “everyone”"),
        ({"language": "de"}, "Language “de”"),
        ({"category": "gossip"}, "Category “gossip”"),
        ({"body_html": None}, "either as rich text or as an uploaded file"),
        ({"body_html": "<script>alert(1)</script>"}, "empty once unsafe content"),
        (
            {"body_html": BODY, "file": upload("x.pdf", b"%PDF-1.4"), "filename": "x.pdf"},
            "one of them",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(cycle, media_root, fields, message):
    """Every refusal leaves no document, no version and no stored file."""
    with pytest.raises(ApplicationError, match=message):
        paper(cycle, **fields)
    assert Document.objects.count() == 0
    assert DocumentVersion.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_item_of_another_session_is_refused(cycle):
    """Papers attach to an item of their own session."""
    from tests.factories import AgendaItemFactory

    elsewhere = AgendaItemFactory(agenda__session=cycle.next_session)
    with pytest.raises(ApplicationError, match="belongs to another session"):
        paper(cycle, item=elsewhere)


# Files


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [("p.pdf", pdf_bytes, "pdf"), ("p.docx", docx_bytes, "docx"), ("p.odt", odt_bytes, "odt")],
)
def test_uploaded_papers_are_stored_with_digest_and_size(cycle, media_root, name, content, fmt):
    """The file lands in storage under a random name; size and SHA-256 are on the version."""
    data = content()
    document = paper(cycle, body_html=None, file=upload(name, data), filename=name)
    version = document.versions.get()
    assert version.format == fmt
    assert (version.size_bytes, version.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert version.original_filename == name
    assert name not in version.file.name
    with version.file.open("rb") as stored:
        assert stored.read() == data
    assert len(stored_files(media_root)) == 1


def test_an_html_page_renamed_pdf_leaves_nothing_behind(cycle, media_root):
    """The refused upload creates no document, no version and no file."""
    with pytest.raises(ApplicationError, match="its content is HTML"):
        paper(cycle, body_html=None, file=upload("report.pdf", HTML_PAGE), filename="report.pdf")
    assert Document.objects.count() == 0
    assert DocumentVersion.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_oversized_upload_leaves_nothing_behind(cycle, media_root, settings):
    """Over DOCUMENT_MAX_UPLOAD_BYTES: refused, nothing stored."""
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ApplicationError, match="larger than the limit"):
        paper(cycle, body_html=None, file=upload("big.pdf", pdf_bytes()), filename="big.pdf")
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_file_whose_row_fails_to_save_is_deleted(cycle, media_root, monkeypatch):
    """If the version row cannot be written after the file was stored, the file goes too."""

    def fail(self, *args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(DocumentVersion, "save", fail)
    with pytest.raises(IntegrityError):
        paper(cycle, body_html=None, file=upload("p.pdf", pdf_bytes()), filename="p.pdf")
    assert stored_files(media_root) == []
    assert Document.objects.count() == 0


# Versions


def test_a_new_version_replaces_and_the_old_stays_in_history(cycle):
    """Version 2 becomes current; version 1 keeps its text and can still be read."""
    document = paper(cycle)
    services.document_version_add(
        document=document,
        user=cycle.secretary,
        file=upload("v2.pdf", pdf_bytes()),
        filename="v2.pdf",
        title="Background paper (revised)",
    )
    document.refresh_from_db()
    assert document.current_version == 2
    assert document.title == "Background paper (revised)"
    assert list(document.versions.values_list("number", "format")) == [(2, "pdf"), (1, "html")]
    reader = cycle.user("RUS")
    assert document_version_get(user=reader, public_id=document.public_id).number == 2
    assert (
        document_version_get(user=reader, public_id=document.public_id, number=1).body_html == BODY
    )


def test_only_the_owner_revises(cycle):
    """Russia cannot revise the US paper; the secretariat cannot revise a private note."""
    usa_paper = paper(cycle, cycle.user("USA"))
    usa_note = note(cycle, "USA")
    with pytest.raises(PermissionDenied, match="only your own delegation's papers"):
        services.document_version_add(document=usa_paper, user=cycle.user("RUS"), body_html=BODY)
    with pytest.raises(PermissionDenied):
        services.document_version_add(document=usa_note, user=cycle.secretary, body_html=BODY)
    services.document_version_add(document=usa_note, user=cycle.user("USA"), body_html=BODY)
    assert DocumentVersion.objects.filter(document=usa_paper).count() == 1
    assert DocumentVersion.objects.filter(document=usa_note).count() == 2


def test_a_refused_version_changes_nothing(cycle, media_root):
    """A renamed HTML page as version 2: the paper stays at version 1, no file stored."""
    document = paper(cycle)
    with pytest.raises(ApplicationError, match="its content is HTML"):
        services.document_version_add(
            document=document,
            user=cycle.secretary,
            file=upload("v2.pdf", HTML_PAGE),
            filename="v2.pdf",
        )
    document.refresh_from_db()
    assert document.current_version == 1
    assert stored_files(media_root) == []


def test_papers_bump_the_agenda_revision_but_private_notes_do_not(cycle):
    """Briefing packs rebuild for a new paper; a private note changes nobody else's pack."""

    def revision():
        return Agenda.objects.get(session=cycle.session).revision

    before = revision()
    paper(cycle)
    assert revision() == before + 1
    note(cycle, "USA")
    assert revision() == before + 1


# Reading: the confidentiality rule


def symbols(documents):
    return sorted(document.symbol for document in documents)


@pytest.fixture
def library(cycle):
    """One paper of each distribution, a note per seat-holder, and item papers."""
    papers: dict[str, Document] = {
        distribution: paper(cycle, title=distribution, distribution=distribution)
        for distribution in (
            Distribution.PUBLIC,
            Distribution.PARTICIPANTS,
            Distribution.SEAT_HOLDERS,
            Distribution.SECRETARIAT,
        )
    }
    papers["ukraine_item"] = paper(cycle, title="On Ukraine", item=cycle.ukraine_item)
    papers["other_item"] = paper(cycle, title="On the sea", item=cycle.other_item)
    notes = {code: note(cycle, code) for code in ("USA", "RUS", "NATO", "EU")}
    return papers, notes


def test_a_delegation_s_private_note_is_read_by_that_delegation_only(cycle, library):
    """Each note is in its owner's list and nobody else's, the secretariat's included;
    a direct read or a download of someone else's note is a 404."""
    _, notes = library
    for code, own in notes.items():
        visible = symbols(document_list(user=cycle.user(code)))
        assert own.symbol in visible
        for other_code, other in notes.items():
            if other_code != code:
                assert other.symbol not in visible
                with pytest.raises(Http404):
                    document_get(user=cycle.user(code), public_id=other.public_id)
                with pytest.raises(Http404):
                    document_version_get(user=cycle.user(code), public_id=other.public_id)
    for reader in (cycle.secretary, cycle.analyst, cycle.outsider, cycle.user("UKR")):
        assert not set(symbols(document_list(user=reader))) & {n.symbol for n in notes.values()}
        with pytest.raises(Http404):
            document_get(user=reader, public_id=notes["USA"].public_id)


def test_each_reader_sees_what_the_rule_allows(cycle, library):
    """Seat-holders see all but secretariat papers and others' notes; the observer no
    seat-holder papers; Ukraine public papers and its item's; strangers public only."""
    papers, notes = library
    everyone = {papers[Distribution.PUBLIC].symbol}
    participants = everyone | {
        papers[key].symbol for key in (Distribution.PARTICIPANTS, "ukraine_item", "other_item")
    }
    seat_holders = participants | {papers[Distribution.SEAT_HOLDERS].symbol}
    assert set(symbols(document_list(user=cycle.user("USA")))) == seat_holders | {
        notes["USA"].symbol
    }
    assert set(symbols(document_list(user=cycle.user("CSTO")))) == participants
    assert set(symbols(document_list(user=cycle.user("UKR")))) == everyone | {
        papers["ukraine_item"].symbol
    }
    assert set(symbols(document_list(user=cycle.outsider))) == everyone
    assert set(symbols(document_list(user=AnonymousUser()))) == everyone
    assert set(symbols(document_list(user=cycle.secretary))) == seat_holders | {
        papers[Distribution.SECRETARIAT].symbol
    }


def test_list_filters_narrow_within_the_rule(cycle, library):
    """Owner, distribution, item and quarter filters never widen what the rule allows."""
    papers, notes = library
    usa = cycle.user("USA")
    assert symbols(document_list(user=usa, owner="secretariat", distribution="seat_holders")) == [
        papers[Distribution.SEAT_HOLDERS].symbol
    ]
    assert symbols(document_list(user=usa, owner="rus")) == []
    assert symbols(document_list(user=usa, owner="usa")) == [notes["USA"].symbol]
    assert symbols(document_list(user=usa, item=cycle.ukraine_item)) == [
        papers["ukraine_item"].symbol
    ]
    assert symbols(document_list(user=usa, quarter="1999Q1")) == []


def test_an_expired_accreditation_closes_the_item_papers(cycle, library, time_machine):
    """After Ukraine's accreditation ends, its delegate sees public papers only."""
    papers, _ = library
    time_machine.move_to(timezone.now() + timedelta(days=90))
    assert symbols(document_list(user=cycle.user("UKR"))) == [papers[Distribution.PUBLIC].symbol]


@pytest.mark.parametrize("rows", [1, 50])
def test_document_list_queries_do_not_grow(cycle, rows, django_assert_max_num_queries):
    """Papers with owners, items, sessions and version history load in fixed queries."""
    for n in range(rows):
        paper(cycle, cycle.user("USA"), title=f"Paper {n}", item=cycle.other_item)
        services.document_version_add(
            document=Document.objects.get(title=f"Paper {n}"),
            user=cycle.user("USA"),
            body_html=BODY,
        )
    reader = cycle.user("RUS")
    with django_assert_max_num_queries(6):
        rows_seen = [
            (
                d.symbol,
                d.owner_id,
                d.item_id,
                d.session.number,
                [v.number for v in d.versions.all()],
            )
            for d in document_list(user=reader)
        ]
    assert len(rows_seen) == rows
    assert all(versions == [2, 1] for *_, versions in rows_seen)


def test_the_secretariat_takes_part_in_every_session(cycle):
    """The participants rule without a distribution opens every session to the secretariat."""
    from consult.access import can_read

    assert can_read(cycle.session, cycle.secretary, distribution=None, session="pk")
    assert not can_read(cycle.session, cycle.outsider, distribution=None, session="pk")
