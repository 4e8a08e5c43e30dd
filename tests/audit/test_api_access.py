"""Who reads the audit trail, how it is filtered, and that nobody changes it.

``/audit/`` and ``/api/v1/audit/``: the secretariat reads every entry; a
delegate (or analyst) only the entries about their own account; anonymous
callers nothing. No method writes.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from audit.context import client_ip
from audit.models import AuditEntry
from audit.services import audit_chain_verify, audit_record
from consult.logins import login_locks_lift
from tests.factories import (
    PASSWORD,
    PartyFactory,
    UserFactory,
    analyst_user,
    delegate,
    secretariat_user,
)
from tests.mfa import current_code, enrol
from tests.openapi import assert_documented

API = "/api/v1/audit/"
Kind = AuditEntry.Kind


@pytest.fixture
def people(db) -> dict[str, Any]:
    people = {
        "secretary": secretariat_user(),
        "alice": delegate(PartyFactory(code="USA"), "alice"),
        "boris": delegate(PartyFactory(code="RUS"), "boris"),
        "ana": analyst_user("ana"),
    }
    for name, user in people.items():
        audit_record(kind=Kind.SEARCH, user=user, summary=f"{name} searched")
    audit_record(kind=Kind.LOGIN_FAILED, username="nobody", outcome=AuditEntry.Outcome.FAILURE)
    return people


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _page(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _summaries(response: Any) -> set[str]:
    return {row["summary"] for row in response.json()["results"]}


class TestReaders:
    def test_the_secretariat_reads_every_entry(self, people):
        response = _api(people["secretary"]).get(API)
        assert response.status_code == 200
        assert_documented(response)
        assert _summaries(response) >= {
            "secretary searched",
            "alice searched",
            "boris searched",
            "ana searched",
        }
        assert any(row["username"] == "nobody" for row in response.json()["results"])

    @pytest.mark.parametrize("name", ["alice", "boris", "ana"])
    def test_anyone_else_reads_only_entries_about_their_own_account(self, people, name):
        response = _api(people[name]).get(API)
        assert response.status_code == 200
        assert {row["username"] for row in response.json()["results"]} == {name}
        page = _page(people[name]).get(reverse("audit:entry_list"))
        assert page.status_code == 200
        text = page.content.decode()
        assert f"{name} searched" in text
        others = {"secretary", "alice", "boris", "ana", "nobody"} - {name}
        assert not any(f"{other} searched" in text or ">nobody<" in text for other in others)

    def test_another_accounts_entry_answers_as_missing(self, people):
        """A delegate asking for the secretariat's entry by number gets the 404 of no entry."""
        theirs = AuditEntry.objects.get(username="secretary")
        response = _api(people["alice"]).get(f"{API}{theirs.seq}/")
        missing = _api(people["alice"]).get(f"{API}999999/")
        assert response.status_code == missing.status_code == 404
        assert response.json() == missing.json()
        assert _api(people["secretary"]).get(f"{API}{theirs.seq}/").status_code == 200

    def test_a_delegate_filtering_for_someone_else_sees_nothing(self, people):
        response = _api(people["alice"]).get(API, {"user": "secretary"})
        assert response.status_code == 200
        assert response.json()["results"] == []

    def test_anonymous_callers_are_refused(self, people):
        assert APIClient().get(API).status_code in (401, 403)
        page = Client().get(reverse("audit:entry_list"))
        assert page.status_code == 302
        assert page["Location"].startswith(reverse("login"))


class TestFilters:
    def test_the_api_filters_by_user_kind_object_and_time(self, people):
        secretary = _api(people["secretary"])
        entry = audit_record(
            kind=Kind.PAPER_DOWNLOAD,
            user=people["alice"],
            object_type="agenda.document",
            object_id="d-1",
        )
        by_user = secretary.get(API, {"user": "ALICE"}).json()["results"]
        assert {row["username"] for row in by_user} == {"alice"}
        by_kind = secretary.get(API, {"kind": Kind.PAPER_DOWNLOAD}).json()["results"]
        assert [row["seq"] for row in by_kind] == [entry.seq]
        by_object = secretary.get(API, {"object_type": "agenda.document", "object_id": "d-1"})
        assert [row["seq"] for row in by_object.json()["results"]] == [entry.seq]
        since = secretary.get(API, {"since": entry.at.isoformat()}).json()["results"]
        assert [row["seq"] for row in since] == [entry.seq]
        until = secretary.get(API, {"until": entry.at.isoformat()}).json()["results"]
        assert entry.seq not in {row["seq"] for row in until}
        assert len(until) == AuditEntry.objects.count() - 1

    def test_the_page_filters_alike(self, people):
        page = _page(people["secretary"]).get(
            reverse("audit:entry_list"), {"user": "boris", "kind": Kind.SEARCH}
        )
        assert page.status_code == 200
        text = page.content.decode()
        assert "boris searched" in text
        assert "alice searched" not in text

    @pytest.mark.parametrize(
        "query", [{"kind": "made_up"}, {"since": "yesterday"}, {"outcome": "maybe"}]
    )
    def test_bad_filters_answer_400(self, people, query: dict[str, str]):
        assert _api(people["secretary"]).get(API, query).status_code == 400
        page = _page(people["secretary"]).get(reverse("audit:entry_list"), query)
        assert page.status_code == 400

    def test_pages_of_fifty_keep_the_filters(self, people):
        for n in range(60):
            audit_record(kind=Kind.SEARCH, user=people["boris"], summary=f"query {n}")
        client = _page(people["secretary"])
        first = client.get(reverse("audit:entry_list"), {"user": "boris"})
        text = first.content.decode()
        assert text.count("<tr>") == 51  # the header and fifty entries
        assert "user=boris&amp;page=2" in text
        second = client.get(reverse("audit:entry_list"), {"user": "boris", "page": "2"})
        assert second.content.decode().count("<tr>") == 1 + 11

    def test_queries_do_not_grow_with_entries(self, people, django_assert_max_num_queries):
        for n in range(120):
            audit_record(kind=Kind.SEARCH, user=people["alice"], summary=f"query {n}")
        page, api = _page(people["secretary"]), _api(people["secretary"])
        with django_assert_max_num_queries(8):
            assert page.get(reverse("audit:entry_list")).status_code == 200
        with django_assert_max_num_queries(6):
            assert api.get(API, {"page_size": 200}).status_code == 200


class TestNobodyWrites:
    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_the_api_refuses_every_write_even_for_the_secretariat(self, people, method):
        entry = AuditEntry.objects.order_by("seq").first()
        assert entry is not None
        client = _api(people["secretary"])
        url = API if method == "post" else f"{API}{entry.seq}/"
        response = getattr(client, method)(url, {"summary": "changed"}, format="json")
        assert response.status_code == 405
        assert AuditEntry.objects.get(seq=entry.seq).summary == entry.summary

    def test_the_admin_shows_entries_but_never_changes_or_deletes_them(self, people):
        superuser = secretariat_user("root")
        superuser.is_superuser = True
        superuser.save()
        client = _page(superuser)
        entry = AuditEntry.objects.order_by("seq").first()
        assert entry is not None
        change = reverse("admin:audit_auditentry_change", args=[entry.seq])
        assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
        assert client.get(change).status_code == 200
        assert client.post(change, {"summary": "changed"}).status_code == 403
        delete = reverse("admin:audit_auditentry_delete", args=[entry.seq])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
        assert AuditEntry.objects.get(seq=entry.seq).summary == entry.summary


@pytest.mark.django_db
class TestLogins:
    def test_a_failed_login_is_recorded_against_the_account_it_named(self, people):
        response = Client().post(reverse("login"), {"login": "alice", "password": "wrong"})
        assert response.status_code == 200
        entry = AuditEntry.objects.order_by("-seq").first()
        assert entry is not None
        assert (entry.kind, entry.outcome, entry.user_id) == (
            Kind.LOGIN_FAILED,
            AuditEntry.Outcome.FAILURE,
            people["alice"].pk,
        )
        assert "wrong" not in entry.summary
        mine = _api(people["alice"]).get(API, {"kind": Kind.LOGIN_FAILED}).json()["results"]
        assert [row["seq"] for row in mine] == [entry.seq]

    def test_the_token_endpoint_failure_and_issue_are_recorded(self, people):
        client = APIClient()
        refused = client.post("/api/v1/auth/token/", {"username": "ana", "password": "no"})
        assert refused.status_code == 400
        issued = client.post("/api/v1/auth/token/", {"username": "ana", "password": PASSWORD})
        assert issued.status_code == 200
        kinds = list(
            AuditEntry.objects.filter(user_id=people["ana"].pk)
            .order_by("seq")
            .values_list("kind", flat=True)
        )
        assert kinds[-2:] == [Kind.LOGIN_FAILED, Kind.TOKEN_ISSUED]

    def test_a_forged_forwarded_for_is_ignored_without_trusted_proxies(self, people, settings):
        client = Client(REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9")
        client.post(reverse("login"), {"login": "alice", "password": PASSWORD})
        assert AuditEntry.objects.order_by("-seq").values_list("kind", "ip").first() == (
            Kind.LOGIN,
            "198.51.100.4",
        )

    def test_behind_one_trusted_proxy_the_address_it_saw_is_kept(self, rf, settings):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
        request = rf.get(
            "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4"
        )
        assert client_ip(request) == "198.51.100.4"
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
        assert client_ip(request) == "10.0.0.2"


@pytest.mark.django_db
class TestLocksAndSecondFactor:
    def test_a_lock_and_its_lifting_are_recorded(self, settings):
        """Reaching the limit records the lock; the secretariat's lifting records who lifted it."""
        user = UserFactory(username=f"locked-{uuid.uuid4().hex[:8]}")
        client = Client(REMOTE_ADDR="198.51.100.77")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"login": user.username, "password": "wrong"})
        [locked] = AuditEntry.objects.filter(kind=Kind.ACCOUNT_LOCKED)
        assert (locked.user_id, locked.outcome, locked.ip) == (
            user.pk,
            AuditEntry.Outcome.REFUSED,
            "198.51.100.77",
        )
        secretary = secretariat_user()
        secretary.is_superuser = True
        secretary.save()
        admin = Client()
        admin.force_login(secretary)
        admin.post(
            "/admin/auth/user/", {"action": "lift_login_locks", "_selected_action": [user.pk]}
        )
        login_locks_lift(ip_addresses=["198.51.100.77"])  # as a command would, outside a request
        lifted = AuditEntry.objects.filter(kind=Kind.ACCOUNT_UNLOCKED).order_by("seq")
        assert [(e.username, e.object_type, e.object_id) for e in lifted] == [
            (secretary.username, "account", user.username),
            ("", "address", "198.51.100.77"),
        ]
        assert audit_chain_verify().intact

    def test_second_factor_refused_and_given_are_recorded(self):
        """A wrong code and then the right one at login: one failure, one success, one login."""
        user = UserFactory(username=f"factor-{uuid.uuid4().hex[:8]}")
        enrol(user)
        client = Client(REMOTE_ADDR="198.51.100.78")
        client.post(reverse("login"), {"login": user.username, "password": PASSWORD})
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
        given = client.post(reverse("mfa_authenticate"), {"code": current_code(user)})
        assert given.status_code == 302
        entries = list(
            AuditEntry.objects.filter(user_id=user.pk)
            .order_by("seq")
            .values_list("kind", "outcome", "summary")
        )
        assert entries == [
            (Kind.SECOND_FACTOR, "failure", "Wrong second factor (TOTP Authenticator)."),
            (Kind.SECOND_FACTOR, "success", "Second factor given (TOTP Authenticator)."),
            (Kind.LOGIN, "success", "Logged in."),
        ]
