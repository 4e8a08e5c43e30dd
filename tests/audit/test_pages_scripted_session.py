"""A scripted session leaves exactly one audit entry per action, and the chain
verifies until a row is altered in the database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from minutes.services.communiques import communique_circulate, communique_draft
from tests.briefings.packs import Table, build_packs
from tests.factories import PASSWORD, PartyFactory, delegate
from tests.mfa import current_code, enrol

Kind = AuditEntry.Kind


def _login(user: Any) -> Client:
    """Signs ``user`` in through the login page, with the second factor when it must give one."""
    client = Client(REMOTE_ADDR="192.0.2.7")
    response = client.post(reverse("login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    if response["Location"].startswith(reverse("mfa_authenticate")):
        response = client.post(reverse("mfa_authenticate"), {"code": current_code(user)})
        assert response.status_code == 302, response.content
    return client


def _count(entries: list[dict[str, Any]], kind: str, username: str) -> int:
    return sum(1 for row in entries if row["kind"] == kind and row["username"] == username)


@pytest.mark.django_db
def test_a_scripted_session_appears_once_each_and_the_chain_verifies(
    table: Table,
    time_machine: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    build_packs(table.session, only=[table.user("USA")])
    georgia = PartyFactory(code="GEO", name_en="Georgia")
    delegate(georgia, "delegate-geo")
    communique = communique_draft(
        session=table.session, user=table.secretary, title="On the sea", text="<p>Calm.</p>"
    )
    communique_circulate(
        communique=communique, user=table.secretary, deadline=now + timedelta(hours=1)
    )
    before = AuditEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        alice = _login(table.user("USA"))
        paper = alice.get(
            reverse("agenda:document_download", kwargs={"public_id": table.background.public_id})
        )
        assert paper.status_code == 200
        pack = alice.get(
            reverse("briefings:pack_download", kwargs={"public_id": table.session.public_id})
        )
        assert pack.status_code == 200
        export = alice.get("/api/v1/exports/statements.csv")
        assert export.status_code == 200
        b"".join(export.streaming_content)  # type: ignore[attr-defined]

        # Past the circulation deadline; the secretariat signs in with its second factor.
        time_machine.move_to(now + timedelta(hours=2), tick=False)
        enrol(table.secretary)
        secretary = _login(table.secretary)
        invited = secretary.post(
            reverse("agenda:invitation_create", kwargs={"public_id": table.session.public_id}),
            {"party": "GEO", "kind": "observer", "reason": "Neighbouring state."},
        )
        assert invited.status_code == 302, invited.content
        published = secretary.post(
            reverse("minutes:communique_publish", kwargs={"public_id": communique.public_id})
        )
        assert published.status_code == 302
        communique.refresh_from_db()
        assert communique.status == communique.Status.PUBLISHED

    entries = secretary.get("/api/v1/audit/", {"page_size": 200}).json()["results"]
    assert len(entries) == AuditEntry.objects.count()
    new = [row for row in entries if row["seq"] > before]
    secretary_name = table.secretary.username
    expected = {
        (Kind.LOGIN, "delegate-usa"): 1,
        (Kind.PAPER_DOWNLOAD, "delegate-usa"): 1,
        (Kind.PACK_DOWNLOAD, "delegate-usa"): 1,
        (Kind.EXPORT, "delegate-usa"): 1,
        (Kind.SECOND_FACTOR, secretary_name): 1,
        (Kind.LOGIN, secretary_name): 1,
        (Kind.INVITATION, secretary_name): 1,
        (Kind.PUBLICATION, secretary_name): 1,
    }
    assert {key: _count(new, *key) for key in expected} == expected
    assert len(new) == len(expected)
    assert {row["ip"] for row in new} == {"192.0.2.7"}
    [paper_entry] = [row for row in new if row["kind"] == Kind.PAPER_DOWNLOAD]
    assert paper_entry["object_id"] == str(table.background.public_id)
    [invitation_entry] = [row for row in new if row["kind"] == Kind.INVITATION]
    assert "GEO" in invitation_entry["summary"]

    page = secretary.get(reverse("audit:entry_list"), {"user": secretary_name})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("Invitation: Invited GEO") == 1
    assert html.count("Publication: Published") == 1

    call_command("audit_verify")
    altered = next(row for row in new if row["kind"] == Kind.PACK_DOWNLOAD)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_immutable")
        cursor.execute(
            "UPDATE audit_auditentry SET username = 'someone-else' WHERE seq = %s",
            [altered["seq"]],
        )
    with pytest.raises(CommandError, match=rf"entry #{altered['seq']}:"):
        call_command("audit_verify")
