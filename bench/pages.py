"""Benchmark of the pages on seed_scale data: each list and detail page against the
API's page of the same rows, as the secretariat and as a delegate.

Run (starts its own PostgreSQL and Redis, seeds once, measures in-process through
Django's test client, the whole request/response cycle with middleware):

    bin/with-services .venv/bin/python bench/pages.py                 # the issue's size
    bin/with-services .venv/bin/python bench/pages.py --statements 5000 --documents 5000
    bin/with-services .venv/bin/python bench/pages.py --only invitations,statements

Prints, per page and role: p50/p95 of the page and of the API, their p95 ratio
(target <= 2.0x), the page's size and its queries. Where a page shows rows of
several resources (a session's page: the session with its agenda and invitations,
and a page of its papers), the API side is the requests a client makes to read the
same rows, timed together; the second column of the table says how many.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from agenda.models import Document, Session  # noqa: E402
from minutes.models import Communique, Minutes  # noqa: E402
from tests.mfa import force_login_with_second_factor  # noqa: E402

PAGE = 50


def read(client: Client, urls: list[str]) -> float:
    """Seconds to read ``urls`` one after the other, as one reader would."""
    started = time.perf_counter()
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return time.perf_counter() - started


def p50_p95(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def measure(
    client: Client, page: str, api: list[str], repeat: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """p50/p95 of the page and of the API's requests, taken in turn (page, API, page,
    ...) so that a burst of load on this shared machine falls on both alike."""
    read(client, [page])
    read(client, api)
    pages, apis = [], []
    for _ in range(repeat):
        pages.append(read(client, [page]))
        apis.append(read(client, api))
    return p50_p95(pages), p50_p95(apis)


def size_and_queries(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(response.content), len(queries)


def pairs() -> list[tuple[str, str, list[str]]]:
    """(name, page, the API's requests for the same rows)."""
    busy = (
        Session.objects.annotate(papers=Count("documents"))
        .filter(minutes__isnull=False)
        .order_by("-papers")
        .first()
    )
    assert busy is not None
    minutes = Minutes.objects.get(session=busy)
    paper = Document.objects.filter(session=busy).exclude(distribution="delegation").first()
    communique = Communique.objects.filter(session=busy).first()
    assert paper is not None
    assert communique is not None
    api = f"page_size={PAGE}"
    session = f"/api/v1/sessions/{busy.public_id}/"
    return [
        ("sessions", "/sessions/", [f"/api/v1/sessions/?{api}"]),
        ("invitations", "/invitations/", [f"/api/v1/invitations/?{api}"]),
        ("minutes", "/minutes/", [f"/api/v1/minutes/?{api}"]),
        ("statements", "/minutes/statements/", [f"/api/v1/statements/?{api}"]),
        (
            "action points",
            "/minutes/action-points/",
            [f"/api/v1/action-points/?status=open&{api}"],
        ),
        ("communiqués", "/communiques/", [f"/api/v1/communiques/?status=published&{api}"]),
        ("notes", "/notes/", [f"/api/v1/documents/?distribution=delegation&{api}"]),
        (
            "a session's papers",
            f"/sessions/{busy.public_id}/documents/",
            [f"/api/v1/documents/?session={busy.public_id}&{api}"],
        ),
        # The session with its agenda items and invitations, and a page of its papers.
        (
            "session",
            f"/sessions/{busy.public_id}/",
            [session, f"/api/v1/documents/?session={busy.public_id}&{api}"],
        ),
        # The minutes with their attendance, a page of statements and the action points.
        (
            "minutes (statements)",
            f"/minutes/{minutes.public_id}/",
            [
                f"/api/v1/minutes/{minutes.public_id}/",
                f"/api/v1/statements/?session={busy.public_id}&{api}",
                f"/api/v1/action-points/?session={busy.public_id}&{api}",
            ],
        ),
        ("paper", f"/documents/{paper.public_id}/", [f"/api/v1/documents/{paper.public_id}/"]),
        (
            "communiqué",
            f"/communiques/{communique.public_id}/",
            [f"/api/v1/communiques/{communique.public_id}/"],
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--grants", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument(
        "--only", default="", help="comma-separated page names, e.g. 'invitations,statements'"
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Session.objects.exists():
        call_command(
            "seed_scale",
            years=args.years,
            statements=args.statements,
            documents=args.documents,
            grants=args.grants,
            no_search_index=True,
        )
    users = get_user_model().objects
    clients = {}
    for role, username in (("secretariat", "bench-secretary"), ("delegate", "bench-usa")):
        client = Client(HTTP_HOST="localhost")
        # The secretariat signs in with its second factor, as the pages require.
        force_login_with_second_factor(client, users.get(username=username))
        clients[role] = client
    # Seeding left this process holding objects a web worker never holds; a full
    # garbage collection walks them all, a pause landing on whichever request is
    # running. Set them aside (gc.freeze, as for a worker forked from a preloaded
    # app) before measuring.
    gc.collect()
    print(f"{len(gc.get_objects())} objects set aside from garbage collection")
    gc.freeze()
    print(
        f"{'page':<22}{'as':<12}{'page p50/p95 ms':>18}{'API p50/p95 ms':>18}{'calls':>6}"
        f"{'p95 ratio':>11}{'kB':>7}{'queries':>9}"
    )
    worst = 0.0
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    for name, page, api in pairs():
        if only and name not in only:
            continue
        for role, client in clients.items():
            (page_p50, page_p95), (api_p50, api_p95) = measure(client, page, api, args.repeat)
            size, queries = size_and_queries(client, page)
            ratio = page_p95 / api_p95
            worst = max(worst, ratio)
            print(
                f"{name:<22}{role:<12}{page_p50 * 1000:>8.1f} /{page_p95 * 1000:>7.1f}"
                f"{api_p50 * 1000:>10.1f} /{api_p95 * 1000:>7.1f}{len(api):>6}{ratio:>10.2f}x"
                f"{size / 1000:>7.0f}{queries:>9}"
            )
    print(f"worst p95 ratio {worst:.2f}x (target <= 2.0x)")


if __name__ == "__main__":
    main()
