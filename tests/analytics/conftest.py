import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from analytics.services.tokens import api_token_create
from consult.access import ANALYST_GROUP, SECRETARIAT_GROUP


@pytest.fixture
def make_user(db):
    def make(username: str, *groups: str, **fields):
        user = get_user_model().objects.create_user(username, **fields)
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        return user

    return make


@pytest.fixture
def analyst(make_user):
    return make_user("ana", ANALYST_GROUP)


@pytest.fixture
def secretary(make_user):
    return make_user("sec", SECRETARIAT_GROUP, is_staff=True)


@pytest.fixture
def token_client():
    """An API client sending a fresh token of ``user``; returns (client, token, key)."""

    def make(user, *, read_only: bool = True, name: str = "tests", keyword: str = "Bearer"):
        token, key = api_token_create(user=user, name=name, read_only=read_only)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
        return client, token, key

    return make
