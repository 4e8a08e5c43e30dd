"""Pages of the members app: dashboards per role, rotation, swaps, the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import DelegationMembership, RotationSwap, RotationTerm
from members.services.delegations import (
    accreditation_grant,
    delegation_member_add,
    delegation_member_end,
)
from members.services.terms import chair_plan, rotation_plan
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(table):
    rotation_plan(start=table.quarter, count=8)
    chair_plan(start=table.quarter, count=8)
    return table


def page(client, user, url: str, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def test_anonymous_visitors_are_sent_to_login(client):
    """The dashboard and rotation pages need an account."""
    for url in ["/", "/rotation/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_login_page_renders(client):
    """The login page has its form and the layout's stylesheet."""
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="login"' in response.content
    assert b"css/site.css" in response.content


def test_secretariat_dashboard(client, planned):
    """The secretariat sees its heading, the troika, the table and its planning links."""
    response = page(client, planned.secretary, "/")
    html = response.content.decode()
    assert "<h1>Secretariat dashboard</h1>" in html
    assert "/rotation/" in html
    assert "/admin/" in html
    chair = response.context["data"].troika[1]
    assert chair.seat.code == "EU"
    seats = {row.seat.code: [p.code for p in row.holders] for row in response.context["data"].seats}
    assert seats == {"USA": ["USA"], "RUS": ["RUS"], "NATO": ["BEL"], "EU": ["AUT", "BEL"]}


def test_delegate_dashboard_shows_their_delegation(client, planned):
    """A delegate's heading names the delegation; its members are listed with roles."""
    head = planned.delegate("USA", "usa-head")
    planned.delegate("USA", "usa-expert", role="expert")
    planned.delegate("FRA", "fra-head")
    response = page(client, head, "/")
    html = response.content.decode()
    assert "<h1>Delegation of the United States</h1>" in html
    assert "Usa-Expert Delegate" in html
    assert "Expert" in html
    assert "Fra-Head" not in html


def test_delegate_dashboard_of_a_non_standing_delegation_shows_accreditation(client, planned):
    """An accredited Ukrainian delegate sees until when."""
    user = planned.delegate("UKR", "ukr-head")
    now = timezone.now()
    accreditation_grant(
        delegation=planned.delegations["UKR"],
        user=user,
        reference="NV 7/2027",
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=10),
        accredited_by=planned.secretary,
    )
    html = page(client, user, "/").content.decode()
    assert "<h1>Delegation of Ukraine</h1>" in html
    assert "Accredited until" in html


def test_analyst_dashboard_shows_api_access(client, planned):
    """An analyst sees their heading and how to reach the API."""
    html = page(client, planned.analyst, "/").content.decode()
    assert "<h1>Analyst dashboard</h1>" in html
    assert "/api/v1/auth/token/" in html
    assert "/admin/" not in html


def test_a_user_without_a_role_is_told_so(client, planned):
    """A former delegate's dashboard says there is no role, and lists no delegation."""
    user = planned.delegate("FRA", "fra-head")
    delegation_member_end(membership=DelegationMembership.objects.get(user=user))
    response = page(client, user, "/")
    assert "<h1>Dashboard</h1>" in response.content.decode()
    assert response.context["data"].delegations == []


def test_dashboard_queries_do_not_grow(client, planned, django_assert_max_num_queries):
    """The dashboard's queries stay within one budget however many members.

    The action centre's own budget, whatever its rows, is tested in
    tests/briefings/test_selectors_action_centre.py.
    """
    head = planned.delegate("USA", "usa-head")
    client.force_login(head)
    # One query is the crisis-alert banner every page reads (crises.context_processors).
    with django_assert_max_num_queries(21):
        client.get("/")
    for _ in range(10):
        delegation_member_add(
            delegation=planned.delegations["USA"], user=UserFactory(), role="expert"
        )
    with django_assert_max_num_queries(21):
        client.get("/")


def test_rotation_page_lists_eight_quarters(client, planned):
    """Everyone signed in reads the rotation; only the secretariat sees swap links."""
    response = page(client, planned.analyst, "/rotation/")
    assert response.status_code == 200
    assert len(response.context["quarters"]) == 8
    html = response.content.decode()
    assert "Belgium" in html
    assert "/swap/" not in html
    assert "/swap/" in page(client, planned.secretary, "/rotation/").content.decode()


def test_rotation_plan_button_is_the_secretariats(client, planned):
    """Planning from the page: 403 for others, idempotent for the secretariat."""
    client.force_login(planned.analyst)
    assert client.post("/rotation/plan/").status_code == 403
    before = list(RotationTerm.objects.order_by("pk").values_list("pk", "holder_id"))
    client.force_login(planned.secretary)
    response = client.post("/rotation/plan/", follow=True)
    assert "planned from" in response.content.decode()
    assert list(RotationTerm.objects.order_by("pk").values_list("pk", "holder_id")) == before


def swap_url(planned, quarter_offset: int = 1, seat: str = "NATO", position: int = 1) -> str:
    term = RotationTerm.objects.get(
        seat__code=seat, quarter=str(planned.quarter + quarter_offset), position=position
    )
    return f"/rotation/terms/{term.public_id}/swap/"


def test_swap_form_records_the_swap(client, planned):
    """The secretariat swaps a term with a reason and lands back on the rotation."""
    client.force_login(planned.secretary)
    url = swap_url(planned)
    form = client.get(url)
    assert form.status_code == 200
    choices = [str(p) for p in form.context["form"].fields["new_holder"].queryset]
    assert "France (FRA)" not in choices
    assert "United States (USA)" not in choices
    response = client.post(
        url, {"new_holder": planned.parties["NOR"].pk, "reason": "Summit in Oslo"}
    )
    assert response.status_code == 302
    assert RotationSwap.objects.get().new_holder.code == "NOR"


def test_swap_form_shows_the_service_refusal(client, planned):
    """Taking the other EU place of the same quarter is refused as a form error."""
    client.force_login(planned.secretary)
    response = client.post(
        swap_url(planned, 0, seat="EU", position=1),
        {"new_holder": planned.parties["BEL"].pk, "reason": "Request"},
    )
    assert response.status_code == 200
    assert "Belgium already holds the other place" in response.content.decode()
    assert not RotationSwap.objects.exists()


def test_swap_form_requires_a_reason(client, planned):
    """A swap without a reason is not recorded."""
    client.force_login(planned.secretary)
    response = client.post(swap_url(planned), {"new_holder": planned.parties["NOR"].pk})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not RotationSwap.objects.exists()


def test_swap_form_is_the_secretariats(client, planned):
    """Delegates and analysts cannot open the swap form; unknown terms are 404."""
    delegate = planned.delegate("FRA", "fra-head")
    url = swap_url(planned)
    for user in [delegate, planned.analyst]:
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(planned.secretary)
    assert (
        client.get("/rotation/terms/00000000-0000-0000-0000-000000000000/swap/").status_code == 404
    )


@pytest.mark.parametrize(
    "model",
    [
        "party",
        "partymembership",
        "seat",
        "seatarrangement",
        "rotationterm",
        "rotationswap",
        "chairterm",
        "delegation",
        "delegationmembership",
        "accreditation",
    ],
)
def test_secretariat_opens_every_members_admin(client, planned, model):
    """Every members model has an admin the secretariat can read."""
    client.force_login(planned.secretary)
    assert client.get(f"/admin/members/{model}/").status_code == 200


def test_admin_refuses_a_second_delegation_with_the_services_message(client, planned):
    """Adding a membership in the admin goes through the service and shows its refusal."""
    user = planned.delegate("FRA", "fra-head")
    client.force_login(planned.secretary)
    now = timezone.now()
    response = client.post(
        "/admin/members/delegationmembership/add/",
        {
            "delegation": planned.delegations["DEU"].pk,
            "user": user.pk,
            "role": "expert",
            "valid_from_0": now.strftime("%Y-%m-%d"),
            "valid_from_1": now.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 200
    assert "one delegation at a time" in response.content.decode()
    assert DelegationMembership.objects.filter(user=user).count() == 1


def test_admin_adds_a_membership_through_the_service(client, planned):
    """A valid admin add creates the membership and puts the user in the group."""
    user = UserFactory()
    client.force_login(planned.secretary)
    now = timezone.now()
    response = client.post(
        "/admin/members/delegationmembership/add/",
        {
            "delegation": planned.delegations["DEU"].pk,
            "user": user.pk,
            "role": "adviser",
            "valid_from_0": now.strftime("%Y-%m-%d"),
            "valid_from_1": now.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    assert user.groups.filter(name="delegation:DEU").exists()


def test_admin_is_closed_to_delegates(client, planned):
    """Delegates are not staff: the admin sends them to its login."""
    client.force_login(planned.delegate("FRA", "fra-head"))
    assert client.get("/admin/members/party/").status_code == 302
