"""The off-ramp board, an option's page and a norm's page: what each reader sees (private
stances sealed to their party and the secretariat), the forms' refusals, and queries that
do not grow with rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crises.models import OffRamp, Stance
from crises.services import registers as services
from tests.crises.conftest import CrisisWorld

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def board(cw: CrisisWorld) -> str:
    return reverse("crises:off_ramp_board", kwargs={"public_id": cw.crisis.public_id})


def ramp(cw: CrisisWorld, title: str = "Grain corridor") -> OffRamp:
    return services.off_ramp_create(
        user=cw.sec, crisis=cw.crisis, title=title, proposer=cw.table.parties["RUS"]
    )


def test_private_stances_are_sealed_on_the_board_and_the_option_page(cw: CrisisWorld) -> None:
    off_ramp = ramp(cw)
    services.stance_state(
        user=cw.user("ru"), off_ramp=off_ramp, position="opposes", note="Publicly: no."
    )
    services.stance_state(
        user=cw.user("ru"),
        off_ramp=off_ramp,
        position="supports",
        note="Quietly we could live with it.",
        private=True,
    )
    for path in (board(cw), off_ramp.get_absolute_url()):
        for who in ("us", "de", "csto"):
            page = client_for(cw.user(who)).get(path).content.decode()
            assert "Publicly: no." in page
            assert "Quietly we could live with it." not in page
            assert "Supports" not in page.split('id="stances')[1].split("</table>")[0]
        for who in ("ru", "sec"):
            page = client_for(cw.user(who)).get(path).content.decode()
            assert "Quietly we could live with it." in page


def test_the_board_shows_options_by_status_and_the_secretariat_records_them(
    cw: CrisisWorld,
) -> None:
    sec = client_for(cw.sec)
    create = reverse("crises:off_ramp_create", kwargs={"public_id": cw.crisis.public_id})
    response = sec.post(create, {"title": "", "on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert not OffRamp.objects.exists()
    response = sec.post(
        create,
        {
            "title": "Hotline",
            "proposer": str(cw.table.parties["USA"].public_id),
            "on": timezone.localdate().isoformat(),
            "preconditions": "None",
        },
    )
    off_ramp = OffRamp.objects.get()
    assert response["Location"] == off_ramp.get_absolute_url()
    transition = reverse("crises:off_ramp_transition", kwargs={"public_id": off_ramp.public_id})
    response = sec.post(
        transition, {"to_status": "taken_up", "on": timezone.localdate().isoformat()}
    )
    off_ramp.refresh_from_db()
    assert off_ramp.status == "proposed"
    sec.post(transition, {"to_status": "discussed", "on": timezone.localdate().isoformat()})
    page = client_for(cw.user("us")).get(board(cw)).content.decode()
    discussed = page.split('id="status-discussed"')[1].split("</section>")[0]
    assert "Hotline" in discussed
    assert "proposed by United States" in discussed


def test_a_stance_by_a_party_not_at_the_table_is_refused_on_the_page(cw: CrisisWorld) -> None:
    cw.crisis.distribution = "public"
    cw.crisis.save(update_fields=["distribution"])
    off_ramp = ramp(cw)
    ua = client_for(cw.user("ua"))
    assert "State the stance" not in ua.get(off_ramp.get_absolute_url()).content.decode()
    response = ua.post(off_ramp.get_absolute_url(), {"position": "supports"})
    assert response.status_code == 403
    assert "not at the table" in response.content.decode()
    us = client_for(cw.user("us"))
    response = us.post(off_ramp.get_absolute_url(), {"position": "maybe"})
    assert response.status_code == 400
    assert not Stance.objects.exists()
    us.post(off_ramp.get_absolute_url(), {"position": "supports", "private": "on"})
    assert Stance.objects.get().private


def test_the_pages_read_in_a_constant_number_of_queries(cw: CrisisWorld) -> None:
    norm = services.norm_create(
        user=cw.sec, session=cw.table.session, title="Safe distances", text="<p>x</p>"
    )
    parties = cw.table.parties

    def grow(n: int) -> OffRamp:
        off_ramp = ramp(cw)
        for i in range(n):
            option = ramp(cw, f"Option {i}")
            for who in ("us", "ru", "fr"):
                services.stance_state(user=cw.user(who), off_ramp=option, position="open")
                services.stance_state(user=cw.user(who), off_ramp=off_ramp, position="open")
            services.adherence_state(user=cw.user("us"), norm=norm, level="adheres")
            incident = services.incident_report(
                user=cw.user("ru"),
                norm=norm,
                occurred_on=timezone.localdate(),
                place="Baltic",
                parties_involved=[parties["USA"], parties["FRA"]],
                description="Intercept.",
            )
            services.incident_respond(user=cw.user("us"), incident=incident, text="Noted.")
        return off_ramp

    def queries(path: str) -> int:
        client = client_for(cw.user("de"))
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    first = grow(1)
    paths = [board(cw), first.get_absolute_url(), norm.get_absolute_url()]
    few = [queries(path) for path in paths]
    grow(4)
    assert [queries(path) for path in paths] == few
