"""Nothing is public without the secretariat: a delegation's paper marked ``public``
stays ``participants`` until the secretariat releases it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from agenda.models import Document
from agenda.services import documents as services
from consult.access import Distribution
from consult.errors import ApplicationError
from tests.agenda.cycle import Cycle


def filed(cycle: Cycle, user, distribution: str = Distribution.PUBLIC) -> Document:
    return services.document_create(
        user=user,
        session=cycle.session,
        title="Position on incidents at sea",
        distribution=distribution,
        body_html="<p>Hotline now.</p>",
    )


def page_client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def detail_url(document: Document) -> str:
    return reverse("agenda:document_detail", kwargs={"public_id": document.public_id})


def release_url(document: Document) -> str:
    return reverse("agenda:document_release", kwargs={"public_id": document.public_id})


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_delegations_public_paper_stays_participants_pending_release(cycle: Cycle) -> None:
    """Filed as public by a delegate: participants, marked pending, unreadable anonymously."""
    document = filed(cycle, cycle.user("USA"))
    assert document.distribution == Distribution.PARTICIPANTS
    assert document.public_requested is True
    assert page_client().get(detail_url(document)).status_code == 404
    page = page_client(cycle.user("RUS")).get(detail_url(document)).content.decode()
    assert "public release requested, pending the secretariat" in page
    assert "Release to the public" not in page
    body = api_client(cycle.user("USA")).get(f"/api/v1/documents/{document.public_id}/").json()
    assert (body["distribution"], body["public_requested"]) == ("participants", True)


def test_the_secretariat_files_public_papers_directly(cycle: Cycle) -> None:
    """The secretariat's own public paper is public at once, with nothing pending."""
    document = filed(cycle, cycle.secretary)
    assert (document.distribution, document.public_requested) == (Distribution.PUBLIC, False)


def test_the_secretariat_releases_from_the_page(cycle: Cycle) -> None:
    """The button on the paper's page releases it; anyone may then read it."""
    document = filed(cycle, cycle.user("USA"))
    client = page_client(cycle.secretary)
    assert "Release to the public" in client.get(detail_url(document)).content.decode()
    response = client.post(release_url(document), follow=True)
    assert "Released: the paper is now public." in response.content.decode()
    document.refresh_from_db()
    assert (document.distribution, document.public_requested) == (Distribution.PUBLIC, False)
    assert page_client().get(detail_url(document)).status_code == 200


def test_the_secretariat_releases_through_the_api(cycle: Cycle) -> None:
    """POST .../release/ answers the paper, now public."""
    document = filed(cycle, cycle.user("RUS"))
    response = api_client(cycle.secretary).post(f"/api/v1/documents/{document.public_id}/release/")
    assert response.status_code == 200
    assert (response.json()["distribution"], response.json()["public_requested"]) == (
        "public",
        False,
    )


def test_a_delegate_cannot_release(cycle: Cycle) -> None:
    """Not the filing delegate, not another: service, page and API all refuse."""
    document = filed(cycle, cycle.user("USA"))
    with pytest.raises(PermissionDenied):
        services.document_release(document=document, user=cycle.user("USA"))
    assert page_client(cycle.user("USA")).post(release_url(document)).status_code == 404
    api = api_client(cycle.user("USA")).post(f"/api/v1/documents/{document.public_id}/release/")
    assert api.status_code == 403
    assert page_client().post(release_url(document)).status_code == 302  # to the login page
    document.refresh_from_db()
    assert (document.distribution, document.public_requested) == (
        Distribution.PARTICIPANTS,
        True,
    )


@pytest.mark.parametrize("distribution", [Distribution.PARTICIPANTS, Distribution.SEAT_HOLDERS])
def test_only_a_paper_filed_for_release_can_be_released(cycle: Cycle, distribution) -> None:
    """A paper nobody asked to publish is refused with the reason, and stays as it was."""
    document = filed(cycle, cycle.user("USA"), distribution)
    with pytest.raises(ApplicationError, match="was not filed for public release"):
        services.document_release(document=document, user=cycle.secretary)
    response = api_client(cycle.secretary).post(f"/api/v1/documents/{document.public_id}/release/")
    assert response.status_code == 400
    document.refresh_from_db()
    assert document.distribution == distribution
