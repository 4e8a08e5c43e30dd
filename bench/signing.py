"""Benchmark of signed communiqués: signing a communiqué's PDF against rendering it.

    .venv/bin/python bench/signing.py
    BENCH_REPEAT=9 BENCH_PARAGRAPHS=40 .venv/bin/python bench/signing.py

Renders the signed-PDF template of a published text (BENCH_PARAGRAPHS paragraphs,
default 12, and three footnotes) with WeasyPrint, then measures, as the median of
BENCH_REPEAT runs (default 5) after one warm-up: the render; the PAdES signature
(pyHanko, no time-stamp); the Ed25519 signature of a canonical JSON of the same size;
and verifying the signed PDF as ``verify_communique`` does. Prints the times and the
ratio signing/render. Keys are made in a temporary folder. Needs no database.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.test import override_settings  # noqa: E402

from agenda.models import Session  # noqa: E402
from consult.pdf import render_pdf  # noqa: E402
from minutes.keys import key_files_write, signing_keys  # noqa: E402
from minutes.models import Communique, CommuniqueVersion  # noqa: E402
from minutes.selectors.communiques import Footnote  # noqa: E402
from minutes.services import signing  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
PARAGRAPHS = int(os.environ.get("BENCH_PARAGRAPHS", "12"))


def _median(run: Callable[[], Any]) -> tuple[float, Any]:
    result = run()  # warm-up
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    text = "".join(
        f"<p>Paragraph {n}: the participants reaffirmed the principles of the Helsinki "
        "Final Act, welcomed the de-escalation measures agreed at the last session and "
        "asked the secretariat to report on their implementation.</p>"
        for n in range(1, PARAGRAPHS + 1)
    )
    session = Session(number="CCB/2027/1")
    communique = Communique(
        session=session,
        title="Joint communiqué",
        status=Communique.Status.PUBLISHED,
        published_title="Joint communiqué",
        published_preamble="The participants agreed on the following non-binding communiqué.",
        published_attribution="Issued by the participants in session CCB/2027/1",
        published_at=datetime(2027, 3, 20, 12, tzinfo=UTC),
    )
    version = CommuniqueVersion(communique=communique, number=1, text=text)
    footnotes = [
        Footnote(number=n, party=name, party_code=code, text="A reservation.")
        for n, (name, code) in enumerate(
            [("European Union", "EU"), ("NATO", "NATO"), ("United States", "USA")], start=1
        )
    ]
    context = {"communique": communique, "version": version, "footnotes": footnotes}
    with tempfile.TemporaryDirectory() as folder:
        files = key_files_write(Path(folder))
        with override_settings(
            COMMUNIQUE_TEXT_KEY=str(files["text_key"]),
            COMMUNIQUE_TEXT_CERT=str(files["text_cert"]),
            COMMUNIQUE_PDF_KEY=str(files["pdf_key"]),
            COMMUNIQUE_PDF_CERT=str(files["pdf_cert"]),
            COMMUNIQUE_TSA_URL="",
        ):
            keys = signing_keys()
            render, pdf = _median(lambda: render_pdf("minutes/communique_pdf.html", context))
            communique.public_id = uuid.UUID(int=0)
            reason = signing._reason(communique, version)
            sign, (signed, _) = _median(
                lambda: signing._sign_pdf(
                    pdf, reason=reason, key_pem=keys.pdf_key_pem, cert_pem=keys.pdf_cert_pem
                )
            )
            canonical = signing.canonical_dumps({"id": "x", "text": text}).encode()
            text_sign, _ = _median(lambda: keys.text_key.sign(canonical))
            verify, verdict = _median(lambda: signing._verify_pdf(signed))
    assert verdict.genuine, verdict.message
    print(f"PDF: {len(pdf) / 1024:.0f} KiB rendered, {len(signed) / 1024:.0f} KiB signed")
    print(f"render (WeasyPrint)       {render * 1000:8.1f} ms")
    print(f"PAdES signature (pyHanko) {sign * 1000:8.1f} ms   = {sign / render:.2f}x the render")
    print(f"Ed25519 of the JSON       {text_sign * 1000:8.3f} ms")
    print(f"verify the signed PDF     {verify * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
