"""``GET /api/v1/packs/{id}/download/``: a delegate's own stamped copy, with an API token.

Every refusal (someone else's copy, a copy not ready or no longer wholly
readable, a reader whose membership or accreditation ended, the secretariat,
an analyst, an anonymous caller) answers exactly as a missing copy does, and
records nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from django.test import Client
from django.utils import timezone

from agenda.models import AgendaItem
from analytics.services.tokens import api_token_create
from briefings.models import BuildStatus, Pack, PackReceipt
from members.models import Accreditation, Delegation
from tests.briefings.packs import Table, build_packs, copy_of, new_item, pages_text
from tests.factories import MembershipFactory, UserFactory, analyst_user
from tests.openapi import assert_documented


def download_path(pack_id: Any) -> str:
    return f"/api/v1/packs/{pack_id}/download/"


def token_client(user: Any) -> Client:
    """A client that sends ``user``'s API token and no session cookie."""
    _token, key = api_token_create(user=user, name="pack downloads")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def pdf_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def built(table: Table) -> Table:
    """The US and Ukrainian copies are ready (the other audiences are left unrendered)."""
    build_packs(table.session, only=[table.user("USA"), table.user("UKR")])
    return table


def test_a_token_client_follows_download_url_to_its_stamped_copy(built: Table) -> None:
    """The API's own link, with the API's own token: the delegate's marked PDF, as a file."""
    table = built
    alice = table.user("USA")
    pack = copy_of(alice, table.session)
    client = token_client(alice)
    [row] = client.get("/api/v1/packs/").json()["results"]
    assert row["download_url"] == f"http://testserver{download_path(pack.public_id)}"

    response = client.get(row["download_url"])

    assert response.status_code == 200
    assert_documented(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="CCB-T-Q1-briefing-pack-{pack.public_id}.pdf"'
    )
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    pages = pages_text(pdf_of(response))
    assert len(pages) >= 5
    for number, text in enumerate(pages, start=1):
        assert "Prepared for Alice Anderson, Delegation of United States" in text, number
        assert f"Pack {pack.public_id}" in text, number
    receipt = PackReceipt.objects.get()
    assert (receipt.user, receipt.pack, receipt.party, receipt.session) == (
        alice,
        pack,
        table.parties["USA"],
        table.session,
    )
    assert receipt.action == PackReceipt.Action.DOWNLOAD


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_copy_reads_back_with_pdftotext(built: Table) -> None:
    """Another extractor reads the same stamp: the copy is the delegate's, not the render."""
    table = built
    pack = copy_of(table.user("UKR"), table.session)
    response = token_client(table.user("UKR")).get(download_path(pack.public_id))
    assert response.status_code == 200
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=pdf_of(response),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Olena Kovalenko" in text
    assert "Delegation of Ukraine" in text
    assert str(pack.public_id) in " ".join(text.split())


def test_a_client_asking_for_pdf_gets_it_and_errors_in_json(built: Table) -> None:
    """``Accept: application/pdf`` is served (not 406); a refusal is still the JSON 404."""
    pack = copy_of(built.user("USA"), built.session)
    client = token_client(built.user("USA"))
    served = client.get(download_path(pack.public_id), HTTP_ACCEPT="application/pdf")
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    missing = client.get(download_path(uuid4()), HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    assert missing.json() == {"detail": "Not found."}


def _second_us_delegate(table: Table) -> Any:
    bob = UserFactory(username="delegate-usa-2", first_name="Bob", last_name="Brown")
    MembershipFactory(delegation=Delegation.objects.get(party=table.parties["USA"]), user=bob)
    return bob


def _membership_ended(table: Table) -> Any:
    alice = table.user("USA")
    alice.delegation_memberships.update(valid_until=timezone.now() - timedelta(minutes=1))
    return alice


def _accreditation_expired(table: Table) -> Any:
    olena = table.user("UKR")
    Accreditation.objects.filter(user=olena).update(
        valid_until=timezone.now() - timedelta(minutes=1)
    )
    return olena


def _content_withdrawn(table: Table) -> Any:
    AgendaItem.objects.filter(pk=table.seat_holders_item.pk).update(distribution="secretariat")
    return table.user("USA")


# (who asks, whose copy): each a refusal that must look like a missing copy.
REFUSALS: dict[str, tuple[Callable[[Table], Any], str]] = {
    "another delegate of the same delegation": (_second_us_delegate, "USA"),
    "another delegation": (lambda table: table.user("RUS"), "USA"),
    "an ad hoc delegation": (lambda table: table.user("UKR"), "USA"),
    "the secretariat": (lambda table: table.secretary, "USA"),
    "an analyst": (lambda table: analyst_user(), "USA"),
    "a user of no delegation": (lambda table: table.outsider, "USA"),
    "its delegate, membership ended": (_membership_ended, "USA"),
    "its delegate, accreditation expired": (_accreditation_expired, "UKR"),
    "its delegate, content no longer readable": (_content_withdrawn, "USA"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_copy_is_refused_like_a_missing_one(built: Table, case: str) -> None:
    make_caller, owner = REFUSALS[case]
    pack = copy_of(built.user(owner), built.session)
    client = token_client(make_caller(built))

    refused = client.get(download_path(pack.public_id))
    missing = client.get(download_path(uuid4()))

    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content
    assert refused.json() == {"detail": "Not found."}
    assert not PackReceipt.objects.exists()


def test_anonymous_callers_get_a_missing_copys_answer(client: Client, built: Table) -> None:
    pack = copy_of(built.user("USA"), built.session)
    refused = client.get(download_path(pack.public_id))
    missing = client.get(download_path(uuid4()))
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content
    assert not PackReceipt.objects.exists()


def test_a_revoked_token_is_refused(built: Table) -> None:
    from analytics.services.tokens import api_token_revoke

    alice = built.user("USA")
    pack = copy_of(alice, built.session)
    token, key = api_token_create(user=alice, name="soon revoked")
    api_token_revoke(token=token, user=alice)
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get(download_path(pack.public_id))
    assert response.status_code == 401
    assert not PackReceipt.objects.exists()


def test_a_copy_not_ready_is_not_served(built: Table) -> None:
    """Russia's render was never built: its own queued copy answers 404, with no link."""
    russian = built.user("RUS")
    pack = copy_of(russian, built.session)
    assert pack.status == BuildStatus.QUEUED
    client = token_client(russian)
    [row] = client.get("/api/v1/packs/").json()["results"]
    assert row["download_url"] is None
    assert client.get(download_path(pack.public_id)).status_code == 404
    assert client.get(download_path("not-a-uuid")).status_code == 404
    assert not PackReceipt.objects.exists()


def test_only_the_copy_asked_for_is_served(built: Table) -> None:
    """An older copy of the same delegate is served as itself, not swapped for the newest."""
    alice = built.user("USA")
    pack = copy_of(alice, built.session)
    newer = Pack.objects.get(pk=pack.pk)
    newer.pk = None
    newer.public_id = uuid4()
    newer.content_version = "newer"
    newer.save()
    response = token_client(alice).get(download_path(pack.public_id))
    assert response.status_code == 200
    assert str(pack.public_id) in response["Content-Disposition"]
    assert PackReceipt.objects.get().pack == pack


def test_download_queries_do_not_grow_with_items(
    built: Table, django_assert_max_num_queries: Any
) -> None:
    """The same query budget for three items as for thirty."""
    table = built
    pack = copy_of(table.user("USA"), table.session)
    client = token_client(table.user("USA"))
    # The audit trail adds a constant three queries per entry (its lock, the chain's
    # head, the insert): the token's use and the download. The reader's audience reads
    # the threat picture and the exercise reports it may read in two queries of their own,
    # and the off-ramps (with the private stances read on them) and the norms on the agenda
    # (with their incidents) in four at most.
    budget = 32
    with django_assert_max_num_queries(budget):
        assert client.get(download_path(pack.public_id)).status_code == 200
    for order in range(10, 37):
        new_item(agenda=table.session.agenda, order=order, title=f"Extra item {order}")
    # The copy is still served: its reader may read all it holds, and more.
    with django_assert_max_num_queries(budget):
        assert client.get(download_path(pack.public_id)).status_code == 200


def test_the_schema_documents_a_pdf_download(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/packs/{id}/download/"]["get"]
    assert list(operation["responses"]["200"]["content"]) == ["application/pdf"]
    assert operation["responses"]["200"]["content"]["application/pdf"]["schema"] == {
        "type": "string",
        "format": "binary",
    }
    assert "application/json" in operation["responses"]["404"]["content"]
