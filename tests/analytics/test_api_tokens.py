import hashlib
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from analytics.models import ApiToken
from analytics.services.tokens import (
    MAX_LIVE_LOGIN_TOKENS,
    MAX_LIVE_TOKENS,
    api_token_create,
    api_token_revoke,
)
from consult.errors import ApplicationError

STATS = "/api/v1/stats/"


@pytest.mark.django_db
class TestTokenService:
    def test_only_the_hash_of_the_key_is_stored(self, analyst):
        """The key exists in clear once; the row holds its SHA-256 and a public prefix."""
        token, key = api_token_create(user=analyst, name="notebook")
        token.refresh_from_db()
        assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
        assert key.startswith(f"cc_{token.prefix}_")
        stored = ApiToken.objects.filter(pk=token.pk).values().get()
        assert all(key not in str(value) for value in stored.values())

    def test_analyst_tokens_are_read_only_whatever_is_asked(self, analyst):
        """An analyst asking for a write token still gets a read-only one."""
        token, _ = api_token_create(user=analyst, name="notebook", read_only=False)
        assert token.read_only is True

    def test_secretariat_may_hold_a_write_token(self, secretary):
        """Write scope is an explicit choice, open to non-analysts."""
        token, _ = api_token_create(user=secretary, name="sync", read_only=False)
        assert token.read_only is False

    @pytest.mark.parametrize("name", ["", "   ", "x" * 81])
    def test_bad_names_are_refused_and_nothing_is_saved(self, analyst, name):
        """A token needs a name of 1 to 80 characters."""
        with pytest.raises(ApplicationError) as refused:
            api_token_create(user=analyst, name=name)
        assert "name" in refused.value.fields
        assert not ApiToken.objects.exists()

    def test_a_live_name_is_not_reused(self, analyst):
        """Two live tokens of one user never share a name; a revoked one frees it."""
        first, _ = api_token_create(user=analyst, name="notebook")
        with pytest.raises(ApplicationError, match="already hold a live token named"):
            api_token_create(user=analyst, name="notebook")
        api_token_revoke(token=first, user=analyst)
        api_token_create(user=analyst, name="notebook")
        assert ApiToken.objects.filter(user=analyst).count() == 2

    def test_live_tokens_are_capped(self, analyst):
        """A user holds at most MAX_LIVE_TOKENS live tokens."""
        for index in range(MAX_LIVE_TOKENS):
            api_token_create(user=analyst, name=f"t{index}")
        with pytest.raises(ApplicationError, match="revoke one first"):
            api_token_create(user=analyst, name="one more")
        assert ApiToken.objects.filter(user=analyst).count() == MAX_LIVE_TOKENS

    def test_nobody_revokes_another_users_token(self, analyst, secretary):
        """Even the secretariat cannot revoke someone else's token through the service."""
        token, _ = api_token_create(user=analyst, name="notebook")
        with pytest.raises(ApplicationError, match="only revoke your own"):
            api_token_revoke(token=token, user=secretary)
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_revoking_twice_is_refused(self, analyst):
        token, _ = api_token_create(user=analyst, name="notebook")
        api_token_revoke(token=token, user=analyst)
        with pytest.raises(ApplicationError, match="already revoked"):
            api_token_revoke(token=token, user=analyst)


@pytest.mark.django_db
class TestTokenAuthentication:
    @pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
    def test_both_keywords_open_the_api(self, analyst, token_client, keyword):
        client, _, _ = token_client(analyst, keyword=keyword)
        assert client.get(STATS).status_code == 200

    def test_revocation_is_effective_on_the_next_request(self, analyst, token_client):
        """A revoked token is refused on the very next request: nothing caches it."""
        client, token, _ = token_client(analyst)
        assert client.get(STATS).status_code == 200
        api_token_revoke(token=token, user=analyst)
        response = client.get(STATS)
        assert response.status_code == 401
        assert response.json() == {"detail": "Invalid or revoked token."}

    def test_a_deactivated_users_token_is_refused(self, analyst, token_client):
        client, _, _ = token_client(analyst)
        analyst.is_active = False
        analyst.save()
        assert client.get(STATS).status_code == 401

    @pytest.mark.parametrize(
        "header",
        [
            "Bearer",
            "Bearer a b",
            "Bearer cc_0123456789_" + "x" * 43,
            "Bearer cc_0123456789_short",
        ],
    )
    def test_malformed_or_unknown_keys_are_refused(self, analyst, header):
        """A wrong key is a 401 with a challenge, never an anonymous request."""
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get(STATS)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Token"

    def test_a_key_with_a_right_prefix_but_wrong_secret_is_refused(self, analyst):
        _token, key = api_token_create(user=analyst, name="notebook")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key[:-4]}AAAA")
        assert client.get(STATS).status_code == 401

    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_read_only_tokens_refuse_every_write(self, analyst, token_client, method):
        """A read-only token is refused before the view runs, whatever the view allows."""
        client, _, _ = token_client(analyst)
        response = getattr(client, method)(STATS, {})
        assert response.status_code == 403
        assert response.json() == {"detail": "This token is read-only."}

    def test_an_analyst_becomes_read_only_even_with_an_old_write_token(
        self, make_user, token_client
    ):
        """Scope follows the role per request: joining the analysts makes any token read-only."""
        user = make_user("later")
        client, _token, _ = token_client(user, read_only=False)
        read_only = {"detail": "This token is read-only."}
        assert client.post(STATS, {}).json() != read_only
        user.groups.create(name="analysts")
        response = client.post(STATS, {})
        assert (response.status_code, response.json()) == (403, read_only)

    def test_last_use_is_recorded_at_most_once_a_minute(self, analyst, token_client):
        client, token, _ = token_client(analyst)
        assert token.last_used_at is None
        client.get(STATS)
        token.refresh_from_db()
        first = token.last_used_at
        assert first is not None
        client.get(STATS)
        token.refresh_from_db()
        assert token.last_used_at == first
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
        client.get(STATS)
        token.refresh_from_db()
        assert token.last_used_at > first - timedelta(seconds=1)
        assert token.last_used_at <= timezone.now()


@pytest.mark.django_db
class TestThrottling:
    @pytest.fixture
    def tight_quota(self, settings):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"token_burst": "3/minute", "token_sustained": "100/day"},
        }

    def test_over_quota_answers_429_with_retry_after(self, analyst, token_client, tight_quota):
        client, _, _ = token_client(analyst)
        assert [client.get(STATS).status_code for _ in range(3)] == [200, 200, 200]
        response = client.get(STATS)
        assert response.status_code == 429
        assert 0 < int(response.headers["Retry-After"]) <= 60
        assert "detail" in response.json()

    def test_each_token_has_its_own_quota(self, analyst, token_client, tight_quota):
        first, _, _ = token_client(analyst, name="first")
        second, _, _ = token_client(analyst, name="second")
        for _ in range(3):
            first.get(STATS)
        assert first.get(STATS).status_code == 429
        assert second.get(STATS).status_code == 200

    def test_browser_sessions_are_not_counted(self, analyst, tight_quota):
        client = APIClient()
        client.force_login(analyst)
        assert {client.get(STATS).status_code for _ in range(5)} == {200}


LOGIN = "/api/v1/auth/token/"
PASSWORD = "a-long-test-password-42"


@pytest.mark.django_db
class TestLoginEndpoint:
    @pytest.fixture
    def scripted(self, make_user):
        # Sign-in attempts are counted per username in the shared cache, across tests.
        user = make_user(f"script-{uuid.uuid4().hex[:8]}")
        user.set_password(PASSWORD)
        user.save()
        return user

    def test_a_password_buys_a_hashed_token_that_opens_the_api(self, scripted):
        response = APIClient().post(LOGIN, {"username": scripted.username, "password": PASSWORD})
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"token", "id", "name", "read_only"}
        token = ApiToken.objects.get(public_id=body["id"])
        assert token.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
        assert token.source == ApiToken.Source.LOGIN
        reader = APIClient()
        reader.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
        assert reader.get(STATS).status_code == 200

    def test_analysts_get_read_only_tokens_from_a_password_too(self, analyst):
        analyst.set_password(PASSWORD)
        analyst.save()
        body = (
            APIClient()
            .post(LOGIN, {"username": "ana", "password": PASSWORD, "read_only": False})
            .json()
        )
        assert body["read_only"] is True

    @pytest.mark.parametrize(
        "credentials",
        [
            {"password": "wrong"},
            {"username": "nobody", "password": PASSWORD},
            {"password": None},
            {"username": None},
        ],
    )
    def test_bad_credentials_get_a_400_and_no_token(self, scripted, credentials):
        data = {"username": scripted.username, "password": PASSWORD, **credentials}
        response = APIClient().post(
            LOGIN, {name: value for name, value in data.items() if value is not None}
        )
        assert response.status_code == 400
        assert "token" not in response.json()
        assert not ApiToken.objects.exists()

    def test_a_deactivated_account_gets_no_token(self, scripted):
        scripted.is_active = False
        scripted.save()
        response = APIClient().post(LOGIN, {"username": scripted.username, "password": PASSWORD})
        assert response.status_code == 400

    def test_old_login_tokens_lapse_but_page_tokens_stay(self, scripted):
        """Scripts that log in on every run never pile up tokens."""
        named, _ = api_token_create(user=scripted, name="dashboard")
        client = APIClient()
        issued = [
            client.post(LOGIN, {"username": scripted.username, "password": PASSWORD}).json()["id"]
            for _ in range(MAX_LIVE_LOGIN_TOKENS + 2)
        ]
        live = set(
            ApiToken.objects.filter(user=scripted, revoked_at__isnull=True).values_list(
                "public_id", flat=True
            )
        )
        assert {str(public_id) for public_id in live} == {
            str(named.public_id),
            *issued[-MAX_LIVE_LOGIN_TOKENS:],
        }

    def test_a_stale_token_in_the_header_does_not_block_signing_in(self, scripted):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Bearer cc_0123456789_" + "x" * 43)
        response = client.post(LOGIN, {"username": scripted.username, "password": PASSWORD})
        assert response.status_code == 200

    def test_password_guessing_is_throttled_per_username(self, scripted, make_user, settings):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "login": "3/minute",
            },
        }
        client = APIClient()
        codes = [
            client.post(LOGIN, {"username": scripted.username, "password": f"guess{n}"}).status_code
            for n in range(4)
        ]
        assert codes == [400, 400, 400, 429]
        refused = client.post(LOGIN, {"username": scripted.username, "password": PASSWORD})
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        other = make_user(f"other-{uuid.uuid4().hex[:8]}")
        other.set_password(PASSWORD)
        other.save()
        signed_in = client.post(LOGIN, {"username": other.username, "password": PASSWORD})
        assert signed_in.status_code == 200
