"""Headers every response shares: no cache of what a signed-in caller reads, and the
Content-Security-Policy (walked page by page in ``tests/browser/test_csp.py``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from agenda.services import documents as document_services
from analytics.services.tokens import api_token_create
from consult.access import Distribution
from tests.agenda.cycle import Cycle
from tests.agenda.papers import pdf_bytes, upload

PRIVATE = "private, no-store"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_page_is_not_kept_by_any_cache(cycle: Cycle) -> None:
    """A delegate's page and the secretariat's page are private and not stored."""
    for user in (cycle.user("USA"), cycle.secretary):
        response = signed_in(user).get(reverse("agenda:session_list"))
        assert response.status_code == 200
        assert response["Cache-Control"] == PRIVATE


def test_an_api_answer_to_a_token_is_not_kept_by_any_cache(cycle: Cycle) -> None:
    """JSON read with a token is private and not stored, like a page."""
    _, key = api_token_create(user=cycle.analyst, name="reader")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/sessions/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_a_refused_token_answer_is_not_kept_either(db) -> None:
    """A wrong token's 401 is meant for one caller too."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/v1/sessions/")
    assert response.status_code == 401
    assert response["Cache-Control"] == PRIVATE


def test_a_download_keeps_its_own_header(cycle: Cycle) -> None:
    """A paper's download keeps the no-store it sets itself."""
    document = document_services.document_create(
        user=cycle.secretary,
        session=cycle.session,
        title="Paper",
        distribution=Distribution.PARTICIPANTS,
        file=upload("paper.pdf", pdf_bytes()),
        filename="paper.pdf",
    )
    url = reverse("agenda:document_download", kwargs={"public_id": document.public_id})
    response = signed_in(cycle.user("RUS")).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", ["/communiques/", "/communiques/feed/", "/api/v1/communiques/"])
def test_anonymous_public_answers_stay_cacheable(db, url: str) -> None:
    """What anyone may read without an account is not marked private or no-store."""
    response = Client().get(url)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "private" not in response.get("Cache-Control", "")


def test_every_html_answer_carries_the_strict_policy(cycle: Cycle) -> None:
    """The policy: own scripts and styles only (a nonce where a page uses one), no
    plug-ins, no framing, no foreign base or form target."""
    response = signed_in(cycle.user("USA")).get(reverse("agenda:session_list"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    swagger = Client().get("/api/docs/")
    nonce = swagger.context["csp_nonce"]
    assert f"'nonce-{nonce}'" in swagger["Content-Security-Policy"]
    assert f'<script nonce="{nonce}">' in swagger.content.decode()
