"""The exercise pages and the live channel: the facilitator's material stays the
secretariat's, a secret inject reaches only its recipient's page and stream, and the
stream replays what a reconnecting browser missed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crises.models import Exercise, Inject, Response
from crises.services import exercises as services
from tests.crises.conftest import CrisisWorld
from tests.crises.exercise_helpers import add_inject, make_exercise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_pass_streams(settings: Any) -> None:
    settings.EXERCISE_LIVE_SECONDS = 0
    settings.EXERCISE_LIVE_POLL_SECONDS = 0


def client_for(cw: CrisisWorld, name: str) -> Client:
    client = Client()
    client.force_login(cw.user(name))
    return client


def detail(exercise: Exercise) -> str:
    return reverse("crises:exercise_detail", kwargs={"public_id": exercise.public_id})


def stream(
    client: Client, exercise: Exercise, last: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """The events of one pass of the stream, and the last event id the browser keeps
    (also from the bare ids that move it past events it is not told of)."""
    url = reverse("crises:exercise_live", kwargs={"public_id": exercise.public_id})
    headers = {"Last-Event-ID": str(last)} if last is not None else {}
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    events, kept = [], last or 0
    for block in body.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
        if "id" in lines:
            kept = int(lines["id"])
        if "data" in lines:
            events.append({"id": kept, **json.loads(lines["data"])})
    return events, kept


def live(client: Client, exercise: Exercise, last: int | None = None) -> list[dict[str, Any]]:
    return stream(client, exercise, last)[0]


def secret_released(cw: CrisisWorld) -> tuple[Exercise, Inject]:
    exercise = services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
    secret = add_inject(
        cw, exercise, "Your jet is low on fuel", to="RUS", expected_response="Divert NOW"
    )
    add_inject(cw, exercise, "Not yet sent")
    services.inject_release(inject=secret, user=cw.sec)
    return exercise, secret


def test_the_facilitator_sees_the_msel_and_the_player_its_released_injects_only(
    cw: CrisisWorld,
) -> None:
    exercise, _secret = secret_released(cw)
    page = client_for(cw, "sec").get(detail(exercise)).content.decode()
    for fragment in ("Your jet is low on fuel", "Not yet sent", "Divert NOW", "Release inject 2"):
        assert fragment in page
    russia = client_for(cw, "ru").get(detail(exercise)).content.decode()
    assert "Your jet is low on fuel" in russia
    assert "Divert NOW" not in russia
    assert "Not yet sent" not in russia
    usa = client_for(cw, "us").get(detail(exercise)).content.decode()
    assert "Your jet is low on fuel" not in usa
    assert "Not yet sent" not in usa


def test_non_players_and_drafts_answer_404(cw: CrisisWorld) -> None:
    exercise = make_exercise(cw)
    assert client_for(cw, "us").get(detail(exercise)).status_code == 404
    services.exercise_start(exercise=exercise, user=cw.sec)
    for name in ("fr", "outsider"):
        assert client_for(cw, name).get(detail(exercise)).status_code == 404
        url = reverse("crises:exercise_live", kwargs={"public_id": exercise.public_id})
        assert client_for(cw, name).get(url).status_code == 404
    assert client_for(cw, "us").get(detail(exercise)).status_code == 200


def test_players_cannot_run_the_exercise_nor_add_injects(cw: CrisisWorld) -> None:
    exercise, secret = secret_released(cw)
    russia = client_for(cw, "ru")
    for name in ("exercise_pause", "exercise_end"):
        url = reverse(f"crises:{name}", kwargs={"public_id": exercise.public_id})
        assert russia.post(url).status_code == 404
    url = reverse("crises:inject_disclose", kwargs={"public_id": secret.public_id})
    assert russia.post(url).status_code == 404
    assert russia.post(detail(exercise), {"text": "Mine"}).status_code == 404
    exercise.refresh_from_db()
    secret.refresh_from_db()
    assert exercise.status == Exercise.Status.RUNNING
    assert secret.disclosed_at is None
    assert exercise.injects.count() == 2


def test_the_facilitator_adds_releases_and_a_second_release_is_refused(
    cw: CrisisWorld,
) -> None:
    exercise = services.exercise_start(exercise=make_exercise(cw), user=cw.sec)
    sec = client_for(cw, "sec")
    answer = sec.post(
        detail(exercise),
        {"text": "Hotline rings", "scenario_time": "D+1", "recipient": "RUS"},
    )
    assert answer.status_code == 302
    inject = exercise.injects.get()
    assert inject.recipient == cw.table.parties["RUS"]
    assert sec.post(detail(exercise), {"text": "", "recipient": "XXX"}).status_code == 400
    url = reverse("crises:inject_release", kwargs={"public_id": inject.public_id})
    sec.post(url)
    page = sec.post(url, follow=True).content.decode()
    assert "Inject 1 is already released." in page


def test_a_player_responds_on_its_page_and_not_after_the_end(cw: CrisisWorld) -> None:
    exercise, secret = secret_released(cw)
    url = reverse("crises:response_record", kwargs={"public_id": secret.public_id})
    assert client_for(cw, "us").post(url, {"text": "Ours"}).status_code == 404
    client_for(cw, "ru").post(url, {"text": "Diverting"})
    assert list(Response.objects.values_list("text", flat=True)) == ["Diverting"]
    services.exercise_end(exercise=exercise, user=cw.sec)
    page = client_for(cw, "ru").post(url, {"text": "Late"}, follow=True).content.decode()
    assert "The exercise has ended" in page
    assert Response.objects.count() == 1


def test_the_stream_tells_each_reader_only_what_it_reads(cw: CrisisWorld) -> None:
    exercise, secret = secret_released(cw)
    services.response_record(inject=secret, user=cw.user("ru"), text="Diverting")
    russia = live(client_for(cw, "ru"), exercise)
    assert [e["kind"] for e in russia] == ["status", "released", "response"]
    assert russia[1]["inject"]["text"] == "Your jet is low on fuel"
    assert "Divert NOW" not in json.dumps(russia)
    facilitator = live(client_for(cw, "sec"), exercise)
    assert [e["kind"] for e in facilitator] == ["status", "released", "response"]
    usa = live(client_for(cw, "us"), exercise)
    assert [e["kind"] for e in usa] == ["status"]
    assert "low on fuel" not in json.dumps(usa)


def test_a_reconnecting_reader_catches_up_from_its_last_event(cw: CrisisWorld) -> None:
    exercise, secret = secret_released(cw)
    usa = client_for(cw, "us")
    seen, last = stream(usa, exercise)
    assert [e["kind"] for e in seen] == ["status"]
    assert last > seen[-1]["id"]
    services.inject_disclose(inject=secret, user=cw.sec)
    to_all = exercise.injects.get(order=2)
    services.inject_release(inject=to_all, user=cw.sec)
    caught_up = live(usa, exercise, last=last)
    assert [(e["kind"], e["inject"]["text"]) for e in caught_up] == [
        ("disclosed", "Your jet is low on fuel"),
        ("released", "Not yet sent"),
    ]
    assert live(usa, exercise, last=caught_up[-1]["id"]) == []
    # A browser whose last event was before the release is sent the inject too.
    replay = live(usa, exercise, last=seen[-1]["id"])
    assert [e["kind"] for e in replay] == ["released", "disclosed", "released"]


def test_pages_and_stream_queries_do_not_grow_with_injects(cw: CrisisWorld) -> None:
    exercise, _secret = secret_released(cw)
    sec = client_for(cw, "sec")
    url = reverse("crises:exercise_live", kwargs={"public_id": exercise.public_id})

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert sec.get(detail(exercise)).status_code == 200
        with CaptureQueriesContext(connection) as stream:
            b"".join(sec.get(url).streaming_content)  # type: ignore[attr-defined]
        return len(page), len(stream)

    few = counts()
    for n in range(6):
        inject = add_inject(cw, exercise, f"More {n}", to="USA" if n % 2 else None)
        services.inject_release(inject=inject, user=cw.sec)
        services.response_record(inject=inject, user=cw.user("us"), text=f"Answer {n}")
    assert counts() == few


def test_the_report_is_drafted_edited_published_and_its_plan_confirmed(
    cw: CrisisWorld,
) -> None:
    exercise, secret = secret_released(cw)
    services.response_record(inject=secret, user=cw.user("ru"), text="Diverting")
    services.exercise_end(exercise=exercise, user=cw.sec)
    sec = client_for(cw, "sec")
    report_url = reverse("crises:exercise_report", kwargs={"public_id": exercise.public_id})
    assert client_for(cw, "ru").get(report_url).status_code == 404
    sec.post(reverse("crises:aar_draft", kwargs={"public_id": exercise.public_id}))
    assert "Diverting" in sec.get(report_url).content.decode()
    bad = sec.post(report_url, {"text": "<p>Lessons</p>", "improvements": "Only a title"})
    assert bad.status_code == 400
    assert "Line 1" in bad.content.decode()
    saved = sec.post(
        report_url,
        {
            "text": "<p>Lessons learnt</p>",
            "improvements": "Test the hotline monthly; 2031-03-31; RUS",
            "publish": "on",
        },
    )
    assert saved.status_code == 302
    assert "Lessons learnt" in client_for(cw, "ru").get(report_url).content.decode()
    assert client_for(cw, "fr").get(report_url).status_code == 404
    confirm = reverse("crises:aar_confirm", kwargs={"public_id": exercise.public_id})
    page = sec.post(confirm, follow=True).content.decode()
    assert "no minutes yet" in page


def test_the_live_channel_speaks_the_readers_language(cw: CrisisWorld) -> None:
    """The words exercise-live.js writes come from the page, in the reader's language."""
    exercise, _secret = secret_released(cw)
    client = client_for(cw, "ru")
    client.post("/language/", {"language": "ru"})
    page = client.get(detail(exercise)).content.decode()
    start = page.index('<script id="exercise-live-phrases" type="application/json">')
    body = page[start:].split(">", 1)[1].split("</script>", 1)[0]
    phrases = json.loads(body)
    assert phrases["title"] == "Вводная %(order)s"
    assert phrases["announce_new"] == "Новая вводная: %(text)s"
    assert phrases["announce_response"] == "Ответ стороны «%(party)s»"
    assert set(phrases) == {
        "title",
        "secret",
        "released",
        "disclosed",
        "response_label",
        "announce_new",
        "announce_disclosed",
        "announce_response",
    }
