"""A database still locked after the busy timeout answers 503 with Retry-After, never 500."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from rest_framework.test import APIClient

from consult.unavailable import RETRY_AFTER_SECONDS
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = OperationalError("database is locked")


def test_a_locked_database_answers_the_api_503_in_json():
    """The API says to retry, in its JSON error shape, with Retry-After."""
    user = UserFactory()
    with mock.patch("analytics.api.views.api_token_issue_for_login", side_effect=LOCKED):
        response = APIClient().post(
            "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}
        )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "try again in a few seconds" in response.json()["detail"]


def test_a_locked_database_answers_pages_503_in_html():
    """A page says the change was not saved and to send it again, with Retry-After."""
    user = UserFactory()
    with mock.patch("allauth.account.adapter.django_login", side_effect=LOCKED):
        response = Client().post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    assert "Your change was not saved" in response.content.decode()


def test_other_database_errors_are_not_hidden():
    """Only the lock is a temporary condition; any other OperationalError still fails loudly."""
    user = UserFactory()
    broken = OperationalError("no such table: analytics_apitoken")
    with (
        mock.patch("analytics.api.views.api_token_issue_for_login", side_effect=broken),
        pytest.raises(OperationalError, match="no such table"),
    ):
        APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
