"""Benchmarks of the analysts' API on seed_scale data, printed as ratios.

Run (starts its own PostgreSQL and Redis, seeds, serves with gunicorn):

    bin/with-services .venv/bin/python bench/api.py            # full size
    bin/with-services .venv/bin/python bench/api.py --statements 20000 --documents 20000

Measures, in one run:
1. list page of 100: DRF serialisation vs the same rows via values() + orjson;
2. HTTP throughput of a page-25 list vs a bare Django view with orjson (gunicorn);
3. permission-filtered page vs the same page filtered by a plain membership join;
4. queries per list request at page sizes 1 and 100, for users with few and many grants;
5. peak memory of a statements export at 10k and at all rows;
6. search top-20 for "airspace" (ms) vs a keyset page of 20.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

import orjson  # noqa: E402
import requests  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.test import APIRequestFactory  # noqa: E402

from agenda.models import Invitation, Session  # noqa: E402
from analytics.api.views import EXPORTS  # noqa: E402
from analytics.exports import Format, export_response  # noqa: E402
from analytics.selectors.search import search_page  # noqa: E402
from bench.urls import FIELDS  # noqa: E402
from consult import access  # noqa: E402
from minutes.api.serializers import STATEMENT_COLUMNS, StatementSerializer  # noqa: E402
from minutes.models import Statement  # noqa: E402
from minutes.selectors.record import statement_list  # noqa: E402


def side_by_side(
    first: Callable[[], Any], second: Callable[[], Any], repeat: int = 15
) -> tuple[float, float]:
    """Median seconds of each, their runs interleaved so that load drifting on a
    shared machine weighs on both alike."""
    first(), second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for function, bucket in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            function()
            bucket.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def serialisation(user: Any) -> None:
    page = list(statement_list(user)[:100])
    factory = APIRequestFactory()

    def drf() -> None:
        request = Request(factory.get("/api/v1/statements/", HTTP_HOST="localhost"))
        with access.reading_once():
            rows = list(statement_list(user).only(*STATEMENT_COLUMNS)[:100])
            orjson.dumps(StatementSerializer(rows, many=True, context={"request": request}).data)

    def bare() -> None:
        with access.reading_once():
            orjson.dumps(list(statement_list(user).values(*FIELDS)[:100]))

    assert len(page) == 100
    a, b = side_by_side(drf, bare)
    print(
        f"1. page of 100: DRF {a * 1000:.1f} ms, values()+orjson {b * 1000:.1f} ms, "
        f"ratio {a / b:.2f}x (target <= 2.0x)"
    )


def throughput(username: str, seconds: float = 10.0) -> None:
    port = 8765
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "consult.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            # The application is imported before the workers fork: no worker
            # pays for its imports inside a measured request.
            "--preload",
            "--log-level",
            "warning",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        cwd=ROOT,
    )
    try:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        cookies = {"sessionid": client.cookies["sessionid"].value}
        session = requests.Session()
        session.cookies.update(cookies)
        base = f"http://127.0.0.1:{port}"
        urls = {
            "api": f"{base}/api/v1/statements/?page_size=25",
            "bare": f"{base}/bench/bare-statements/?page_size=25",
        }
        for _ in range(100):
            try:
                session.get(urls["api"], timeout=30)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        for _ in range(10):  # every worker warm on both views
            for url in urls.values():
                session.get(url, timeout=30).raise_for_status()

        served = dict.fromkeys(urls, 0)
        spent = dict.fromkeys(urls, 0.0)
        rounds = 5
        for _ in range(rounds):  # alternated, so that load drifting weighs on both
            for name, url in urls.items():
                started = time.perf_counter()
                while time.perf_counter() - started < seconds / rounds:
                    session.get(url, timeout=30).raise_for_status()
                    served[name] += 1
                spent[name] += time.perf_counter() - started
        api, bare = (served[name] / spent[name] for name in urls)
        print(
            f"2. page of 25 over HTTP: API {api:.1f} req/s, bare view {bare:.1f} req/s, "
            f"{api / bare:.0%} (target >= 60%)"
        )
    finally:
        server.terminate()
        server.wait(timeout=60)


def membership_join(queryset: Any, user: Any, **fields: Any) -> Any:
    """The baseline "rule": rows of sessions the user's party was invited to, nothing else."""
    session = fields.get("session") or "pk"
    parties = user.delegation_memberships.values("delegation__party_id")
    invited = Invitation.objects.filter(session=OuterRef(session), party__in=parties)
    return queryset.filter(Exists(invited))


def permission_filter(user: Any) -> None:
    """The statements list as the API builds it, with the access rule and with a plain join.

    Everything but the filter is the same selector (display fields, drafts
    hidden, the papers' prefetch, the ordering): the baseline swaps only
    ``access.visible`` for ``membership_join``.
    """

    def page() -> None:
        # As a request: a fresh user, and the rule reads the caller once for the page.
        with access.reading_once():
            list(statement_list(type(user).objects.get(pk=user.pk))[:50])

    def joined() -> None:
        with mock.patch.object(access, "visible", membership_join):
            page()

    a, b = side_by_side(page, joined)
    print(
        f"3. page of 50: access rule {a * 1000:.1f} ms, membership join {b * 1000:.1f} ms, "
        f"ratio {a / b:.2f}x (target <= 1.5x)"
    )


def queries(users: dict[str, Any]) -> None:
    # A host the settings allow: a refused request would count no queries at all.
    client = Client(HTTP_HOST="localhost")
    counts = {}
    for role in ("delegate", "many-grants"):
        client.force_login(users[role])
        # Process-wide caches (content types) fill on the first request: not counted.
        client.get("/api/v1/statements/", {"page_size": 1})
        for size in (1, 100):
            with CaptureQueriesContext(connection) as captured:
                response = client.get("/api/v1/statements/", {"page_size": size})
            if response.status_code != 200:
                raise SystemExit(f"statements list answered {response.status_code}")
            counts[(role, size)] = len(captured)
    print(
        "4. queries per list request: "
        + ", ".join(f"{role} page {size}: {n}" for (role, size), n in counts.items())
        + f" ({'constant' if len(set(counts.values())) == 1 else 'NOT constant'})"
    )


def export_memory(user: Any) -> None:
    export, _filterset = EXPORTS["statements"]
    total = Statement.objects.count()
    peaks = {}
    for label, rows in (("10k", 10_000), ("all", total)):
        queryset = export.rows(user)
        if rows < total:
            cut = Statement.objects.order_by("-minutes__session__starts_at").values_list(
                "minutes__session__starts_at", flat=True
            )[rows]
            queryset = queryset.filter(minutes__session__starts_at__gt=cut)
        count = queryset.count()
        tracemalloc.start()
        response = export_response(export, queryset, Format.CSV)
        chunks: Any = response.streaming_content
        size = sum(len(chunk) for chunk in chunks)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        peaks[label] = (count, peak / 2**20, size / 2**20)
    print(
        "5. statements export peak memory: "
        + ", ".join(
            f"{n} rows {peak:.1f} MB (file {size:.0f} MB)" for n, peak, size in peaks.values()
        )
    )


def search(user: Any) -> None:
    matching = Statement.objects.filter(summary__icontains="airspace").count()
    a, b = side_by_side(
        lambda: search_page(user, q="airspace", offset=0, limit=20),
        lambda: list(statement_list(user)[:20]),
    )
    print(
        f"6. search top-20 for 'airspace' ({matching} statements mention it): {a * 1000:.1f} ms;"
        f" keyset page of 20: {b * 1000:.1f} ms; ratio {a / b:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--grants", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Session.objects.exists():
        call_command(
            "seed_scale", statements=args.statements, documents=args.documents, grants=args.grants
        )
    users = get_user_model().objects
    delegate = users.get(username="bench-usa")
    secretary = users.get(username="bench-secretary")
    # A guest state: few session grants, many ad hoc item grants.
    guests = users.filter(username__regex=r"^bench-s[0-9]+$").order_by("-username")
    many = guests.first() or delegate
    serialisation(delegate)
    throughput("bench-usa")
    permission_filter(delegate)
    queries({"delegate": delegate, "many-grants": many})
    export_memory(secretary)
    search(delegate)


if __name__ == "__main__":
    main()
