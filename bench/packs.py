"""Benchmark of briefing packs, printing ratios measured in one run.

    .venv/bin/python bench/packs.py            # a throwaway SQLite database
    BENCH_DELEGATES=40 BENCH_ITEMS=12 .venv/bin/python bench/packs.py

Sets up a demo session whose pack runs past 100 pages (rich-text papers on
every item and an uploaded PDF annex) for one delegation of
BENCH_DELEGATES delegates (one audience), then measures:

1. the pack build (content queries, template, WeasyPrint in the limited
   child, annex splicing, stamp slots) against plain WeasyPrint on the same
   saved HTML, in this process: target <= 1.1x;
2. making every delegate's stamped copy (access re-checked, stamped with
   the visible stamp and the invisible mark: dots, XMP, text layer; stored,
   notified) against the one render: target <= 1.5x;
3. tracing a leak: page 3 of a copy rasterised by pdftoppm at 150 dpi, its
   header and footer cropped, saved as JPEG at quality 70, traced back to its
   copy (and the same page of the unstamped render, where nothing is found,
   the slow case: every alignment of the tile is tried);
4. the peak memory of a build: the render child's peak resident size and
   the Python allocations of the parent while it prepares the content.

Each timing is the best of BENCH_REPEAT runs (default 2), the build and
plain WeasyPrint interleaved. Run it on a quiet machine. The saved HTML
and one stamped copy are left in bench/out/.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
WORKDIR = Path(tempfile.mkdtemp(prefix="consult-bench-"))

sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "consult.settings"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR / 'bench.sqlite3'}")
os.environ["MEDIA_ROOT"] = str(WORKDIR / "media")
os.environ["CONSULT_DATA_DIR"] = str(WORKDIR)
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("PACK_RENDER_SECONDS", "600")
os.environ.setdefault("PACK_RENDER_MEMORY_BYTES", str(3 * 1024**3))
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from agenda.models import Agenda, AgendaItem, Invitation, Session  # noqa: E402
from agenda.services.documents import document_create  # noqa: E402
from agenda.services.invitations import invitation_create  # noqa: E402
from briefings.models import BuildStatus, Pack, PackRender  # noqa: E402
from briefings.selectors.audiences import Audience  # noqa: E402
from briefings.selectors.content import pack_content  # noqa: E402
from briefings.services import pdf_compose, pdf_stamp, pdf_stamp_font  # noqa: E402
from briefings.services.copies import pack_copies_stamp  # noqa: E402
from briefings.services.planning import packs_plan  # noqa: E402
from briefings.services.renders import pack_render_produce  # noqa: E402
from briefings.services.trace import pack_trace  # noqa: E402
from consult.access import SECRETARIAT_GROUP, Distribution  # noqa: E402
from consult.pdf import html_to_pdf, warm_up  # noqa: E402
from consult.quarters import Quarter  # noqa: E402
from members.models import Delegation, DelegationMembership, Party  # noqa: E402

DELEGATES = int(os.environ.get("BENCH_DELEGATES", "40"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "12"))
PAPERS_PER_ITEM = int(os.environ.get("BENCH_PAPERS", "3"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "2"))
WORDS = [
    "crisis", "stability", "escalation", "channel", "maritime", "incident", "verification",
    "ceasefire", "corridor", "notification", "exercise", "transparency", "airspace", "hotline",
    "deconfliction", "observer", "mandate", "assessment", "confidence", "measure", "dialogue",
    "reciprocity", "restraint", "posture", "inspection",
]  # fmt: skip


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paper_html(rng: random.Random, number: int) -> str:
    parts = [f"<h2>Part {number}: context</h2>"]
    for section in range(6):
        parts.append(f"<h3>Section {section + 1}</h3>")
        parts += [f"<p>{paragraph(rng, rng.randint(60, 120))}</p>" for _ in range(4)]
        parts.append("<ul>" + "".join(f"<li>{paragraph(rng, 12)}</li>" for _ in range(4)) + "</ul>")
    return "".join(parts)


def annex_pdf(pages: int) -> bytes:
    body = "".join(
        f"<section style='break-before: page'><h1>Annex page {n}</h1><p>{'map legend ' * 80}</p>"
        "</section>"
        for n in range(1, pages + 1)
    )
    return html_to_pdf(body)


def set_up() -> Session:
    call_command("migrate", verbosity=0)
    users = get_user_model().objects
    secretary = users.create_user("bench-secretary", is_staff=True)
    secretary.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    party = Party.objects.create(code="USA", kind=Party.Kind.STATE, name_en="United States")
    delegation = Delegation.objects.create(
        party=party, group=Group.objects.create(name="delegation-USA")
    )
    since = timezone.now() - timedelta(days=30)
    for n in range(DELEGATES):
        user = users.create_user(
            f"delegate-{n:02d}", first_name="Delegate", last_name=f"Number {n:02d}"
        )
        DelegationMembership.objects.create(
            delegation=delegation, user=user, role="adviser", valid_from=since
        )
    now = timezone.now()
    session = Session.objects.create(
        number="CCB/BENCH/Q1",
        kind=Session.Kind.REGULAR,
        quarter=str(Quarter.of(now)),
        title="Benchmark session",
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=11),
        venue="Hofburg, Vienna",
        status=Session.Status.SCHEDULED,
    )
    agenda = Agenda.objects.create(session=session)
    invitation_create(
        session=session, party=party, kind=Invitation.Kind.MEMBER, user=None, notify=False
    )
    rng = random.Random(2027)
    for order in range(1, ITEMS + 1):
        item = AgendaItem.objects.create(
            agenda=agenda,
            session=session,
            order=order,
            title=f"Item {order}: {paragraph(rng, 5)}",
            kind=AgendaItem.Kind.CRISIS_REVIEW,
            description=paragraph(rng, 80),
            distribution=Distribution.PARTICIPANTS,
        )
        for paper in range(PAPERS_PER_ITEM):
            document_create(
                user=secretary,
                session=session,
                item=item,
                title=f"Background paper {order}.{paper + 1}",
                distribution=Distribution.PARTICIPANTS,
                body_html=paper_html(rng, paper + 1),
            )
    document_create(
        user=secretary,
        session=session,
        title="Maps",
        distribution=Distribution.PARTICIPANTS,
        file=BytesIO(annex_pdf(8)),
        filename="maps.pdf",
    )
    return session


def best(run: Callable[[], Any], times: int) -> tuple[float, Any]:
    durations, result = [], None
    for _ in range(times):
        started = time.perf_counter()
        result = run()
        durations.append(time.perf_counter() - started)
    return min(durations), result


def reset_render(render: PackRender) -> None:
    if render.file:
        render.file.delete(save=False)
    PackRender.objects.filter(pk=render.pk).update(
        status=BuildStatus.QUEUED, attempts=0, lease_until=None, file=""
    )


def reset_copies(render: PackRender) -> None:
    Pack.objects.filter(render=render).update(status=BuildStatus.QUEUED, file="", stamped_at=None)


def leaked_page(pdf: bytes, name: str) -> bytes:
    """Page 3 at 150 dpi without its top 72 and bottom 74 points, JPEG quality 70."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        sys.exit("pdftoppm (poppler-utils) is needed for the tracing figures.")
    source = WORKDIR / f"{name}.pdf"
    source.write_bytes(pdf)
    crop = ["-x", "0", "-y", "150", "-W", "1240", "-H", "1450"]
    jpeg = ["-jpeg", "-jpegopt", "quality=70", "-singlefile"]
    subprocess.run(
        [tool, "-r", "150", "-f", "3", "-l", "3", *crop, *jpeg, str(source), str(WORKDIR / name)],
        check=True,
        capture_output=True,
    )
    return (WORKDIR / f"{name}.jpg").read_bytes()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"Setting up a demo session in {WORKDIR} ...", flush=True)
    session = set_up()
    packs_plan(session_id=session.pk)
    render = PackRender.objects.get(session=session)
    audience = Audience.from_json(render.audience)
    viewer = render.packs.select_related("user").first().user  # type: ignore[union-attr]

    warm_up()
    pdf_stamp_font.stamp_font()

    # 1. The pack build, then plain WeasyPrint on the HTML it rendered.
    tracemalloc.start()
    content = pack_content(
        session=session, audience=audience, viewer=viewer, version=render.content_version
    )
    pdf_compose._load_annexes(content)
    html = pdf_compose.pack_html(content)
    _, parent_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    (OUT / "pack.html").write_text(html)

    def pack_build() -> PackRender:
        reset_render(render)
        assert pack_render_produce(render_id=render.pk) == "ready", render.display_reason
        return PackRender.objects.get(pk=render.pk)

    # Interleaved, best of each: a machine that gets busier half-way through
    # must not favour whichever was measured first.
    saved_html = (OUT / "pack.html").read_text()
    build_runs, plain_runs = [], []
    built: PackRender | None = None
    plain_pdf = b""
    for _ in range(REPEAT):
        seconds, built = best(pack_build, 1)
        build_runs.append(seconds)
        seconds, plain_pdf = best(lambda: html_to_pdf(saved_html), 1)
        plain_runs.append(seconds)
    assert built is not None
    build_seconds, plain_seconds = min(build_runs), min(plain_runs)

    # 2. Every delegate's copy from that one render.
    def copies() -> int:
        reset_copies(built)
        return pack_copies_stamp(render_id=built.pk)

    copies_seconds, made = best(copies, REPEAT)
    with built.file.open("rb") as handle:
        prepared = handle.read()
    stamp_only = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        for n in range(DELEGATES):
            pdf_stamp.stamp(
                prepared,
                built.stamp_slots,
                pdf_stamp.Recipient(
                    name=f"Delegate Number {n:02d}",
                    delegation="Delegation of United States",
                    pack_id=str(Pack.objects.values_list("public_id", flat=True).first()),
                    stamped_at=timezone.now(),
                ),
            )
        stamp_only.append(time.perf_counter() - started)
    sample = Pack.objects.select_related("user").filter(render=built).first()
    assert sample is not None
    with sample.file.open("rb") as handle:
        copy_pdf = handle.read()
    (OUT / "copy.pdf").write_bytes(copy_pdf)

    # 3. Tracing a cropped JPEG of a page back to its copy, and one with no mark.
    leak = leaked_page(copy_pdf, "leak")
    (OUT / "leak.jpg").write_bytes(leak)
    unmarked = leaked_page(prepared, "unmarked")
    trace_seconds, traced = best(lambda: pack_trace(user=None, data=leak, filename="l.jpg"), REPEAT)
    miss_seconds, missed = best(
        lambda: pack_trace(user=None, data=unmarked, filename="u.jpg"), REPEAT
    )

    mb = 1024 * 1024
    print()
    print(f"Session {session.number}: {built.page_count} pages, {made} delegates, one audience")
    plain_pages = len(PdfReader(BytesIO(plain_pdf)).pages)
    print(f"  (plain WeasyPrint: {plain_pages} pages, the annex's reserved pages blank)")
    print()
    print(f"pack build (content, template, WeasyPrint, annex, slots): {build_seconds:7.2f} s")
    print(f"plain WeasyPrint on the same saved HTML:                  {plain_seconds:7.2f} s")
    print(
        f"  ratio build / plain WeasyPrint: {build_seconds / plain_seconds:.3f}x (target <= 1.1x)"
    )
    print()
    print(f"{made} stamped copies (access check, stamp, store, notify): {copies_seconds:7.2f} s")
    print(f"one render (the pack build above):                         {build_seconds:7.2f} s")
    ratio = copies_seconds / build_seconds
    print(f"  ratio {made} copies / one render: {ratio:.3f}x (target <= 1.5x)")
    print(f"  stamping alone: {made} copies in {statistics.fmean(stamp_only):.3f} s")
    print()
    print("tracing page 3 (pdftoppm 150 dpi, header and footer cropped, JPEG quality 70):")
    named = traced.pack is not None and traced.pack.pk == sample.pk
    print(
        f"  marked copy:   {trace_seconds:6.2f} s, "
        f"{'names its copy (' + sample.user.username + ')' if named else 'WRONG: ' + str(traced)}"
    )
    print(
        f"  unmarked page: {miss_seconds:6.2f} s, "
        f"{'nothing found' if missed.pack is None and not missed.findings else 'WRONG'}"
    )
    print()
    print("peak memory of a build:")
    print(f"  render child, peak resident size: {(built.peak_memory_bytes or 0) / mb:8.1f} MB")
    print(f"  parent, Python allocations preparing the content: {parent_peak / mb:6.1f} MB")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"  this process, peak resident size: {own / mb:8.1f} MB")
    print()
    print(f"Saved HTML, a stamped copy and its leaked page: {OUT / 'pack.html'},")
    print(f"  {OUT / 'copy.pdf'}, {OUT / 'leak.jpg'}")


if __name__ == "__main__":
    main()
