"""Published communiqués are reachable from the login page and the dashboard; drafts are not."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from minutes.models import Position
from minutes.services import communiques as communiques_services
from minutes.services import positions as positions_services
from tests.minutes.conftest import World, build_world

pytestmark = pytest.mark.django_db

SEATED = {"USA": "us", "RUS": "ru", "NATO": "nato", "EU": "eu", "FRA": "fr"}


@pytest.fixture
def world(db) -> World:
    """A session with one text published and one still circulating as a draft."""
    world = build_world()
    sec = world.user("sec")
    published = communiques_services.communique_draft(
        session=world.session, user=sec, title="Agreed text on the corridor", text="<p>Met.</p>"
    )
    published = communiques_services.communique_circulate(
        communique=published, user=sec, deadline=timezone.now() + timedelta(hours=1)
    )
    for code, name in SEATED.items():
        positions_services.position_state(
            communique=published,
            party=world.parties[code],
            user=world.user(name),
            stance=Position.Stance.ASSOCIATES,
        )
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        world.extra["published"] = communiques_services.communique_publish(
            communique=published, user=sec
        )
    draft = communiques_services.communique_draft(
        session=world.session, user=sec, title="DRAFT STILL CIRCULATING", text="<p>Draft.</p>"
    )
    world.extra["draft"] = communiques_services.communique_circulate(
        communique=draft, user=sec, deadline=timezone.now() + timedelta(days=2)
    )
    return world


def test_login_page_links_to_the_published_texts(client, world):
    """An anonymous visitor on the login page finds the published text, the index and the
    feed, and one click opens the text; the draft is not named."""
    html = client.get("/accounts/login/").content.decode()
    published = world.extra["published"]
    assert f'href="{published.get_absolute_url()}"' in html
    assert 'href="/communiques/"' in html
    assert 'href="/communiques/feed/"' in html
    assert "DRAFT STILL CIRCULATING" not in html
    assert client.get(published.get_absolute_url()).status_code == 200


def test_dashboard_links_to_the_published_texts(client, world):
    """Every role's home page leads to the published texts, never to a draft through them."""
    for name in ("sec", "us", "ua", "outsider"):
        client.force_login(world.user(name))
        html = client.get("/").content.decode()
        section = html[html.index('id="public-communiques-heading"') :]
        assert world.extra["published"].get_absolute_url() in section, name
        assert world.extra["draft"].get_absolute_url() not in section, name
