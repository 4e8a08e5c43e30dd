import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from agenda.models import Agenda, AgendaItem, Document, DocumentVersion, Objection
from agenda.services import agendas as agenda_services
from agenda.services import documents as services
from agenda.services import objections as objections_services
from consult.access import Distribution
from tests.agenda.papers import HTML_PAGE, pdf_bytes, upload

BODY = "<h2>Talking points</h2><p>Stress the hotline.</p>"
MISSING = "00000000-0000-0000-0000-000000000000"


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def paper(cycle, user=None, **fields):
    values = {
        "user": user or cycle.secretary,
        "session": cycle.session,
        "title": "Paper",
        "distribution": Distribution.PARTICIPANTS,
        "body_html": BODY,
    }
    values.update(fields)
    return services.document_create(**values)


def note(cycle, code, **fields):
    return paper(
        cycle,
        cycle.user(code),
        title=f"{code} private talking points",
        distribution=Distribution.DELEGATION,
        category=Document.Category.NOTE,
        **fields,
    )


def download_url(document, number=None):
    if number is None:
        return reverse("agenda:document_download", kwargs={"public_id": document.public_id})
    return reverse(
        "agenda:document_version_download",
        kwargs={"public_id": document.public_id, "number": number},
    )


# Downloads


def test_a_file_is_served_as_an_attachment_that_browsers_do_not_sniff_or_keep(cycle):
    """The download carries the PDF's bytes, its type, an attachment name built from the
    symbol, nosniff and no-store."""
    data = pdf_bytes()
    document = paper(cycle, body_html=None, file=upload("x.pdf", data), filename="x.pdf")
    response = client_for(cycle.user("RUS")).get(download_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    expected_name = document.symbol.replace("/", "-") + "_v1.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert "sandbox" in response["Content-Security-Policy"]


def test_rich_text_downloads_as_a_sanitised_html_attachment(cycle):
    """A rich-text paper downloads as an HTML file holding the stored, sanitised text."""
    document = paper(cycle, body_html=BODY + '<a href="javascript:alert(1)">x</a>')
    response = client_for(cycle.user("RUS")).get(download_url(document))
    content = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert BODY in content
    assert "javascript:" not in content


def test_an_earlier_version_stays_downloadable(cycle):
    """After version 2, version 1's bytes are still served at its own URL."""
    first = pdf_bytes()
    document = paper(cycle, body_html=None, file=upload("v1.pdf", first), filename="v1.pdf")
    services.document_version_add(document=document, user=cycle.secretary, body_html=BODY)
    client = client_for(cycle.user("USA"))
    assert b"".join(client.get(download_url(document, 1)).streaming_content) == first
    current = client.get(download_url(document))
    assert current["Content-Disposition"].endswith('_v2.html"')
    assert client.get(download_url(document, 3)).status_code == 404


def normalised(response):
    return re.sub(
        rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", b"ID", response.content
    )


@pytest.mark.parametrize("who", ["RUS", "secretary", "UKR", "anonymous"])
def test_a_refused_download_answers_exactly_like_a_missing_one(cycle, who):
    """Someone else's private note: 404 with the body of an unknown id, for every route."""
    users = {"secretary": cycle.secretary, "anonymous": None}
    client = client_for(users[who] if who in users else cycle.user(who))
    usa_note = note(cycle, "USA")
    for route in ("document_download", "document_detail"):
        refused = client.get(reverse(f"agenda:{route}", kwargs={"public_id": usa_note.public_id}))
        missing = client.get(reverse(f"agenda:{route}", kwargs={"public_id": MISSING}))
        assert refused.status_code == missing.status_code == 404
        assert normalised(refused) == normalised(missing)
    refused = client.get(download_url(usa_note, 1))
    assert refused.status_code == 404
    assert normalised(refused) == normalised(client.get(download_url(usa_note, 9)))


def test_public_papers_download_without_an_account(cycle):
    """Anonymous visitors get public papers and nothing else."""
    public = paper(cycle, distribution=Distribution.PUBLIC)
    restricted = paper(cycle)
    anonymous = client_for()
    assert anonymous.get(download_url(public)).status_code == 200
    assert anonymous.get(download_url(restricted)).status_code == 404


def test_ukraine_downloads_only_its_item_papers(cycle):
    """The ad hoc guest reads its item's paper; the other item's and the session's are 404."""
    own = paper(cycle, item=cycle.ukraine_item)
    other = paper(cycle, item=cycle.other_item)
    session_wide = paper(cycle)
    client = client_for(cycle.user("UKR"))
    assert client.get(download_url(own)).status_code == 200
    assert client.get(download_url(other)).status_code == 404
    assert client.get(download_url(session_wide)).status_code == 404


# Session papers and the paper page


def test_a_session_s_papers_page_lists_what_the_reader_may_read(cycle):
    """Ukraine's list holds its item's paper only; Russia's all participants papers."""
    own = paper(cycle, title="Ukraine memorandum", item=cycle.ukraine_item)
    other = paper(cycle, title="Sea incidents data", item=cycle.other_item)
    usa_note = note(cycle, "USA")
    url = reverse("agenda:session_document_list", kwargs={"public_id": cycle.session.public_id})
    ukraine_page = client_for(cycle.user("UKR")).get(url).content.decode()
    assert own.symbol in ukraine_page
    assert other.symbol not in ukraine_page
    russia_page = client_for(cycle.user("RUS")).get(url).content.decode()
    assert own.symbol in russia_page
    assert other.symbol in russia_page
    assert usa_note.symbol not in russia_page
    assert usa_note.title not in russia_page


def test_the_paper_page_shows_the_sanitised_text_and_its_history(cycle):
    """The stored text is shown as HTML; the history lists every version."""
    document = paper(cycle, body_html=BODY + "<script>alert('x')</script>")
    services.document_version_add(document=document, user=cycle.secretary, body_html=BODY)
    page = client_for(cycle.user("EU")).get(
        reverse("agenda:document_detail", kwargs={"public_id": document.public_id})
    )
    html = page.content.decode()
    assert "<h2>Talking points</h2>" in html
    assert "alert('x')" not in html
    assert download_url(document, 1) in html
    assert download_url(document, 2) in html
    assert "Add a version" not in html


@pytest.mark.parametrize("rows", [1, 50])
def test_the_papers_page_queries_do_not_grow(cycle, rows, django_assert_max_num_queries):
    """1 or 50 papers: the same number of queries for the session's papers page."""
    for n in range(rows):
        paper(cycle, title=f"Paper {n}", item=cycle.other_item)
    client = client_for(cycle.user("NATO"))
    url = reverse("agenda:session_document_list", kwargs={"public_id": cycle.session.public_id})
    client.get(url)
    # One of them is the crisis-alert banner every page reads (crises.context_processors).
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("Download") == rows


# Filing through the pages


def create_url(cycle):
    return reverse("agenda:document_create", kwargs={"public_id": cycle.session.public_id})


def test_the_secretariat_uploads_a_paper(cycle):
    """The upload form files a PDF and redirects to the paper."""
    response = client_for(cycle.secretary).post(
        create_url(cycle),
        {
            "title": "Threat picture",
            "category": "background",
            "distribution": "seat_holders",
            "language": "en",
            "file": upload("threats.pdf", pdf_bytes()),
        },
    )
    document = Document.objects.get(title="Threat picture")
    assert response.status_code == 302
    assert response["Location"] == document_detail_url(document)
    assert document.versions.get().format == "pdf"


def document_detail_url(document):
    return reverse("agenda:document_detail", kwargs={"public_id": document.public_id})


def test_a_renamed_html_upload_is_refused_on_the_form(cycle, media_root):
    """The form answers 400 with the reason; no paper, no file."""
    response = client_for(cycle.secretary).post(
        create_url(cycle),
        {
            "title": "Report",
            "category": "background",
            "distribution": "participants",
            "language": "en",
            "file": upload("report.pdf", HTML_PAGE),
        },
    )
    assert response.status_code == 400
    assert "its content is HTML" in response.content.decode()
    assert Document.objects.count() == 0
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


def test_a_delegate_files_in_the_delegation_s_name(cycle):
    """The US delegate's paper is owned by the USA; unsafe markup is removed with a notice."""
    response = client_for(cycle.user("USA")).post(
        create_url(cycle),
        {
            "title": "US position",
            "category": "national_position",
            "distribution": "participants",
            "language": "en",
            "owner": "USA",
            "body_html": "<p>Hotline now.</p><iframe src='https://x.example'></iframe>",
        },
        follow=True,
    )
    document = Document.objects.get(title="US position")
    assert document.owner == cycle.parties["USA"]
    assert document.versions.get().body_html == "<p>Hotline now.</p>"
    assert "Unsafe markup" in response.content.decode()


def test_a_delegate_cannot_add_a_version_to_someone_else_s_paper(cycle):
    """Russia posting a version of the US paper gets 403 with the reason; nothing added."""
    document = paper(cycle, cycle.user("USA"))
    url = reverse("agenda:document_version_create", kwargs={"public_id": document.public_id})
    response = client_for(cycle.user("RUS")).post(url, {"title": "Hijack", "body_html": BODY})
    assert response.status_code == 403
    assert "only your own delegation" in response.content.decode()
    assert DocumentVersion.objects.filter(document=document).count() == 1


# Private notes


def test_a_delegate_writes_and_edits_a_private_note(cycle):
    """Create, then edit: the edit is version 2 and the list shows the note."""
    client = client_for(cycle.user("NATO"))
    response = client.post(
        reverse("agenda:note_create"),
        {
            "session": cycle.session.public_id,
            "title": "Lines to take",
            "language": "en",
            "body_html": "<p>Draft</p>",
        },
    )
    note_doc = Document.objects.get(title="Lines to take")
    assert response.status_code == 302
    assert note_doc.owner == cycle.parties["NATO"]
    assert note_doc.distribution == Distribution.DELEGATION
    edit = reverse("agenda:note_edit", kwargs={"public_id": note_doc.public_id})
    client.post(edit, {"title": "Lines to take", "language": "en", "body_html": "<p>Final</p>"})
    note_doc.refresh_from_db()
    assert note_doc.current_version == 2
    assert "Lines to take" in client.get(reverse("agenda:note_list")).content.decode()


@pytest.mark.parametrize("who", ["RUS", "secretary", "UKR"])
def test_nobody_else_sees_or_edits_a_delegation_s_note(cycle, who):
    """Other delegations and the secretariat neither list, read nor edit the US note."""
    user = cycle.secretary if who == "secretary" else cycle.user(who)
    usa_note = note(cycle, "USA")
    client = client_for(user)
    assert usa_note.title not in client.get(reverse("agenda:note_list")).content.decode()
    edit = reverse("agenda:note_edit", kwargs={"public_id": usa_note.public_id})
    assert client.get(edit).status_code == 404
    assert (
        client.post(edit, {"title": "x", "language": "en", "body_html": "<p>x</p>"}).status_code
        == 404
    )
    usa_note.refresh_from_db()
    assert usa_note.current_version == 1


# The agenda builder and the objection form


def builder(cycle, name="agenda_build", **kwargs):
    return reverse(f"agenda:{name}", kwargs={"public_id": cycle.session.public_id, **kwargs})


@pytest.mark.parametrize("who", ["USA", "UKR", "analyst"])
def test_the_builder_is_the_secretariat_s_alone(cycle, who):
    """For anyone else the builder and its actions answer 404; nothing changes."""
    client = client_for(cycle.analyst if who == "analyst" else cycle.user(who))
    assert client.get(builder(cycle)).status_code == 404
    assert client.post(builder(cycle), {"title": "x", "kind": "norms"}).status_code == 404
    assert client.post(builder(cycle, "agenda_circulate"), {"window_days": 3}).status_code == 404
    assert AgendaItem.objects.filter(session=cycle.session).count() == 2
    assert Agenda.objects.get(session=cycle.session).status == "draft"


def test_the_secretariat_builds_circulates_and_is_told_why_adoption_waits(cycle):
    """Add an item, move it up, circulate; adoption during the window shows the reason."""
    client = client_for(cycle.secretary)
    page = client.get(builder(cycle))
    assert page.status_code == 200
    assert "Incidents at sea" in page.content.decode()
    client.post(
        builder(cycle),
        {
            "title": "Off-ramps in the Black Sea",
            "kind": "off_ramps",
            "distribution": "participants",
        },
    )
    added = AgendaItem.objects.get(title="Off-ramps in the Black Sea")
    client.post(
        reverse("agenda:agendaitem_move", kwargs={"public_id": added.public_id}),
        {"direction": "up"},
    )
    added.refresh_from_db()
    assert added.order == 2
    client.post(builder(cycle, "agenda_circulate"), {"window_days": 7})
    assert Agenda.objects.get(session=cycle.session).status == "circulated"
    response = client.post(builder(cycle, "agenda_adopt"), follow=True)
    assert "objection window is open until" in response.content.decode()
    assert Agenda.objects.get(session=cycle.session).status == "circulated"


def test_seat_holders_object_on_the_form_and_guests_are_told_no(cycle):
    """Russia's objection is recorded; Ukraine gets 403 with the reason."""
    agenda_services.agenda_circulate(session=cycle.session, user=cycle.secretary)
    url = builder(cycle, "objection_create")
    response = client_for(cycle.user("RUS")).post(
        url, {"item": cycle.ukraine_item.public_id, "text": "Add the humanitarian dimension."}
    )
    assert response.status_code == 302
    assert Objection.objects.get().party.code == "RUS"
    refused = client_for(cycle.user("UKR")).post(url, {"text": "We object"})
    assert refused.status_code == 403
    assert "Only delegations holding a seat" in refused.content.decode()
    assert Objection.objects.count() == 1


def test_the_secretariat_answers_an_objection_then_adopts(cycle, time_machine):
    """After the window, the answered objection no longer blocks adoption."""
    agenda = agenda_services.agenda_circulate(session=cycle.session, user=cycle.secretary)
    objection = objections_services.objection_raise(
        session=cycle.session, user=cycle.user("RUS"), text="x"
    )
    assert agenda.objection_deadline is not None
    time_machine.move_to(agenda.objection_deadline + timedelta(seconds=1))
    client = client_for(cycle.secretary)
    client.post(
        reverse("agenda:objection_answer", kwargs={"public_id": objection.public_id}),
        {"response": "Noted."},
    )
    client.post(builder(cycle, "agenda_adopt"))
    assert Agenda.objects.get(session=cycle.session).status == "adopted"


@pytest.mark.parametrize("rows", [1, 50])
def test_the_builder_queries_do_not_grow(cycle, rows, django_assert_max_num_queries):
    """1 or 50 items: the builder page costs the same number of queries."""
    from tests.factories import AgendaItemFactory

    for n in range(rows):
        AgendaItemFactory(
            agenda=cycle.ukraine_item.agenda, order=10 + n, proposer=cycle.parties["EU"]
        )
    client = client_for(cycle.secretary)
    client.get(builder(cycle))
    with django_assert_max_num_queries(14):
        response = client.get(builder(cycle))
    assert response.status_code == 200


def test_every_page_renders_for_its_user(cycle):
    """Each of the pages answers 200 with its heading for the role it serves."""
    agenda_services.agenda_circulate(session=cycle.session, user=cycle.secretary)
    usa_paper = paper(cycle, cycle.user("USA"), title="US paper")
    usa_note = note(cycle, "USA")
    session_id = cycle.session.public_id
    pages = [
        (cycle.secretary, reverse("agenda:agenda_build", kwargs={"public_id": session_id}),
         "Provisional agenda of"),
        (cycle.secretary,
         reverse("agenda:agendaitem_edit", kwargs={"public_id": cycle.other_item.public_id}),
         "Item 2 of"),
        (cycle.secretary, reverse("agenda:document_create", kwargs={"public_id": session_id}),
         "File a paper for"),
        (cycle.user("RUS"), reverse("agenda:objection_create", kwargs={"public_id": session_id}),
         "Your objection"),
        (cycle.user("USA"),
         reverse("agenda:session_document_list", kwargs={"public_id": session_id}), "Papers of"),
        (cycle.user("USA"), document_detail_url(usa_paper), "US paper"),
        (cycle.user("USA"),
         reverse("agenda:document_version_create", kwargs={"public_id": usa_paper.public_id}),
         "New version of"),
        (cycle.user("USA"), reverse("agenda:note_list"), "private notes"),
        (cycle.user("USA"), reverse("agenda:note_create"), "A new private note"),
        (cycle.user("USA"), reverse("agenda:note_edit", kwargs={"public_id": usa_note.public_id}),
         usa_note.title),
    ]  # fmt: skip
    for user, url, heading in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        assert heading in response.content.decode(), url
