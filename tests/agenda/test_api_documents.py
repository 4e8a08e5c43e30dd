import hashlib

import pytest
from rest_framework.test import APIClient

from agenda.models import Document, DocumentVersion
from agenda.services import documents as services
from consult.access import Distribution
from tests.agenda.papers import HTML_PAGE, docx_bytes, pdf_bytes, upload, zip_bomb_bytes
from tests.openapi import assert_documented

DOCUMENTS = "/api/v1/documents/"
BODY = "<p>The Baltic incidents, reviewed.</p>"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


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


def test_metadata_names_owner_distribution_version_and_download(cycle):
    """A paper reads as symbol, title, owner code (or secretariat), distribution, language,
    version, format, history and absolute download links."""
    document = paper(cycle, cycle.user("USA"), title="US position", language="fr")
    services.document_version_add(document=document, user=cycle.user("USA"), body_html=BODY)
    body = client_for(cycle.user("RUS")).get(f"{DOCUMENTS}{document.public_id}/").json()
    assert body["symbol"] == document.symbol
    assert (body["owner"], body["distribution"], body["language"]) == (
        "USA",
        "participants",
        "fr",
    )
    assert (body["version"], body["format"]) == (2, "html")
    assert body["session"]["number"] == "CCB/T/Q1"
    assert body["download_url"] == (f"http://testserver/documents/{document.public_id}/download/")
    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert body["versions"][1]["download_url"].endswith(
        f"/documents/{document.public_id}/versions/1/download/"
    )
    secretariat_paper = paper(cycle)
    assert (
        client_for(cycle.user("RUS"))
        .get(f"{DOCUMENTS}{secretariat_paper.public_id}/")
        .json()["owner"]
        == "secretariat"
    )


def test_private_notes_never_leave_their_delegation(cycle):
    """The US note is listed and read by the US delegation only: 404 for everyone else,
    the secretariat included, exactly as for a missing id."""
    note = paper(cycle, cycle.user("USA"), distribution=Distribution.DELEGATION, category="note")
    assert ids(client_for(cycle.user("USA")).get(DOCUMENTS)) == {str(note.public_id)}
    missing = client_for(cycle.user("RUS")).get(f"{DOCUMENTS}00000000-0000-0000-0000-000000000000/")
    for reader in (cycle.secretary, cycle.user("RUS"), cycle.user("UKR"), cycle.analyst):
        client = client_for(reader)
        assert str(note.public_id) not in ids(client.get(DOCUMENTS))
        assert str(note.public_id) not in ids(client.get(f"{DOCUMENTS}?owner=USA"))
        refused = client.get(f"{DOCUMENTS}{note.public_id}/")
        assert refused.status_code == 404
        assert refused.json() == missing.json()


def test_an_ad_hoc_guest_lists_only_its_item_papers(cycle):
    """Ukraine lists the papers of its item and public ones, nothing else of the session."""
    own_item = paper(cycle, item=cycle.ukraine_item)
    public = paper(cycle, distribution=Distribution.PUBLIC)
    paper(cycle, item=cycle.other_item)
    paper(cycle)
    assert ids(client_for(cycle.user("UKR")).get(DOCUMENTS)) == {
        str(own_item.public_id),
        str(public.public_id),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("owner=secretariat", {"gal"}),
        ("party=usa", {"usa"}),
        ("distribution=seat_holders", {"usa"}),
        ("language=ru", {"usa"}),
        ("category=national_position", {"usa"}),
        ("quarter=1999Q1", set()),
    ],
)
def test_document_filters(cycle, query, expected):
    """Owner/party, distribution, language, category and quarter filters narrow the list."""
    gal = paper(cycle)
    usa = paper(
        cycle,
        cycle.user("USA"),
        distribution=Distribution.SEAT_HOLDERS,
        language="ru",
        category="national_position",
    )
    names = {str(gal.public_id): "gal", str(usa.public_id): "usa"}
    found = ids(client_for(cycle.user("RUS")).get(f"{DOCUMENTS}?{query}"))
    assert {names[i] for i in found} == expected
    by_session = ids(
        client_for(cycle.user("RUS")).get(f"{DOCUMENTS}?session={cycle.session.public_id}")
    )
    assert by_session == set(names)


def test_a_delegation_files_rich_text_as_json(cycle):
    """JSON with body_html creates the delegation's own paper; scripts are neutralised."""
    response = client_for(cycle.user("USA")).post(
        DOCUMENTS,
        {
            "session": str(cycle.session.public_id),
            "title": "US position",
            "distribution": "participants",
            "category": "national_position",
            "body_html": "<p>We propose a hotline.</p><script>alert(1)</script>",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == "USA"
    assert body["symbol"].startswith("CCB.DEL/")
    version = DocumentVersion.objects.get(document__public_id=body["id"])
    assert version.body_html == "<p>We propose a hotline.</p>"


def test_the_secretariat_uploads_a_file_as_multipart(cycle):
    """Multipart with a DOCX creates a secretariat paper whose digest is the file's."""
    data = docx_bytes()
    response = client_for(cycle.secretary).post(
        DOCUMENTS,
        {
            "session": str(cycle.session.public_id),
            "item": str(cycle.other_item.public_id),
            "title": "Scenario",
            "distribution": "seat_holders",
            "category": "scenario",
            "file": upload("scenario.docx", data),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["owner"], body["format"], body["item"]["order"]) == ("secretariat", "docx", 2)
    assert DocumentVersion.objects.get(document__public_id=body["id"]).sha256 == (
        hashlib.sha256(data).hexdigest()
    )


def test_a_renamed_html_upload_is_refused_and_nothing_is_saved(cycle, media_root):
    """An HTML page named .pdf answers 400 with the reason; no row, no file."""
    response = client_for(cycle.secretary).post(
        DOCUMENTS,
        {
            "session": str(cycle.session.public_id),
            "title": "Report",
            "distribution": "participants",
            "file": upload("report.pdf", HTML_PAGE),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "its content is HTML" in response.json()["detail"]
    assert Document.objects.count() == 0
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("polyglot.pdf", pdf_bytes() + b"<html><script>x()</script></html>", "carries HTML"),
        ("broken.pdf", b"%PDF-1.7 this is not a pdf", "cannot be read as one"),
        ("bomb.docx", zip_bomb_bytes(), "would expand to 2.0\xa0GB"),
    ],
)
def test_a_file_that_fails_parsing_is_refused_and_nothing_is_saved(
    cycle, media_root, name, content, reason
):
    """A delegate's upload that is not what it claims answers 400 with why; no row, no file."""
    response = client_for(cycle.user("USA")).post(
        DOCUMENTS,
        {
            "session": str(cycle.session.public_id),
            "title": "Position",
            "distribution": "participants",
            "file": upload(name, content),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    assert response.json()["fields"]["file"]
    assert Document.objects.count() == 0
    assert DocumentVersion.objects.count() == 0
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


def test_an_oversized_upload_is_refused(cycle, settings):
    """Over the limit: 400 naming the limit, nothing saved."""
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 64
    response = client_for(cycle.secretary).post(
        DOCUMENTS,
        {
            "session": str(cycle.session.public_id),
            "title": "Big",
            "distribution": "participants",
            "file": upload("big.pdf", pdf_bytes()),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "larger than the limit of 64" in response.json()["detail"]
    assert Document.objects.count() == 0


def test_delegations_may_not_file_for_others_or_where_they_do_not_sit(cycle):
    """Filing as another party answers 403; an unknown or unseen session answers 400."""
    from tests.factories import SessionFactory

    client = client_for(cycle.user("USA"))
    data = {
        "session": str(cycle.session.public_id),
        "title": "As Russia",
        "distribution": "participants",
        "owner": "RUS",
        "body_html": BODY,
    }
    assert client.post(DOCUMENTS, data).status_code == 403
    data.update(owner="", session=str(SessionFactory().public_id))
    response = client.post(DOCUMENTS, data)
    assert response.status_code == 400
    assert response.json() == {"session": ["No such session."]}
    assert Document.objects.count() == 0


def test_analysts_are_read_only(cycle):
    """An analyst's POST is refused before any service runs."""
    response = client_for(cycle.analyst).post(
        DOCUMENTS,
        {
            "session": str(cycle.session.public_id),
            "title": "x",
            "distribution": "public",
            "body_html": BODY,
        },
    )
    assert response.status_code == 403
    assert Document.objects.count() == 0


def test_versions_are_added_by_the_owner_only(cycle):
    """USA adds version 2 of its paper by upload; Russia gets 403 (it can read the paper),
    Ukraine 404 (it cannot)."""
    document = paper(cycle, cycle.user("USA"))
    url = f"{DOCUMENTS}{document.public_id}/versions/"
    response = client_for(cycle.user("USA")).post(
        url, {"file": upload("v2.pdf", pdf_bytes())}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert_documented(response)
    assert (response.json()["version"], response.json()["format"]) == (2, "pdf")
    assert client_for(cycle.user("RUS")).post(url, {"body_html": BODY}).status_code == 403
    assert client_for(cycle.user("UKR")).post(url, {"body_html": BODY}).status_code == 404
    assert DocumentVersion.objects.filter(document=document).count() == 2


@pytest.mark.parametrize("rows", [1, 50])
def test_document_list_endpoint_queries_do_not_grow(cycle, rows, django_assert_max_num_queries):
    """1 or 50 papers with histories: the same number of queries."""
    for n in range(rows):
        paper(cycle, title=f"Paper {n}", item=cycle.other_item)
    client = client_for(cycle.user("NATO"))
    with django_assert_max_num_queries(8):
        response = client.get(f"{DOCUMENTS}?page_size=100")
    assert len(response.json()["results"]) == rows
