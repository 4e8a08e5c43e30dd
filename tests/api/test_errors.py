"""Every answer under ``/api/`` is JSON, also when no DRF view answered it.

A path no route matches, a body past the limits, a server error and an
unavailable database each answer ``{"detail": ...}`` as ``application/json``;
pages keep Django's HTML.
"""

import pytest
from django.db import OperationalError
from django.test import Client
from rest_framework.test import APIClient

from agenda.api.views import sessions as sessions_api
from consult.errors import NOT_FOUND_DETAIL
from tests.factories import secretariat_user


@pytest.fixture
def secretariat(db) -> APIClient:
    client = APIClient()
    client.force_authenticate(secretariat_user())
    return client


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/action-points/0.5/status/",
        "/api/v1/sessions/not/a/route/",
        "/api/v2/",
        "/api/",
    ],
)
def test_a_path_no_route_matches_is_a_json_404(secretariat, path):
    """The body is the one a refused or missing object gets, so nothing tells them apart."""
    for method in (secretariat.get, secretariat.post):
        body = assert_json_error(method(path), 404)
        assert body == {"detail": NOT_FOUND_DETAIL}


def test_a_missing_object_and_an_unmatched_path_answer_alike(secretariat):
    missing = secretariat.get("/api/v1/sessions/00000000-0000-4000-8000-000000000000/")
    unmatched = secretariat.get("/api/v1/sessions/0.5/")
    assert missing.status_code == unmatched.status_code == 404
    assert missing.json() == unmatched.json()


def test_pages_keep_their_html_404(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_json_body_past_the_limit_is_a_413_before_it_is_read(secretariat, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    too_big = {"name_en": "x" * 2000, "code": "XXX", "kind": "state"}
    body = assert_json_error(secretariat.post("/api/v1/parties/", too_big, format="json"), 413)
    assert "1000 bytes" in body["detail"]


def test_a_body_at_the_limit_is_read(secretariat, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = secretariat.post(
        "/api/v1/parties/", {"code": "XXX", "kind": "state", "name_en": "Testland"}, format="json"
    )
    assert response.status_code == 201, response.content


def test_a_multipart_body_past_a_paper_and_its_fields_is_a_413(secretariat, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1000
    response = secretariat.post("/api/v1/documents/", {"title": "x" * 3000}, format="multipart")
    assert_json_error(response, 413)


def test_multipart_fields_past_the_memory_limit_are_a_413(secretariat, settings):
    """Within the paper's allowance, but the form fields alone exceed what is read into memory."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 100_000
    response = secretariat.post("/api/v1/documents/", {"title": "x" * 3000}, format="multipart")
    assert_json_error(response, 413)


def test_a_server_error_is_a_json_500(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(sessions_api, "session_list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(secretariat_user())
    body = assert_json_error(client.get("/api/v1/sessions/"), 500)
    assert "a bug" not in body["detail"]


def test_an_unavailable_database_is_a_json_503_with_retry_after(db, monkeypatch):
    def unavailable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(sessions_api, "session_list", unavailable)
    client = Client(raise_request_exception=False)
    client.force_login(secretariat_user())
    response = client.get("/api/v1/sessions/")
    body = assert_json_error(response, 503)
    assert "connection refused" not in body["detail"]
    assert int(response["Retry-After"]) > 0
