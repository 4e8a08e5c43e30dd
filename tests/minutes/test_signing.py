"""Signed communiqués: the PAdES-signed PDF and the Ed25519-signed canonical JSON of each
published text, verified by the service, the command, the public page and `pdfsig`.

Keys are made in the tests (tmp_path), never committed."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consult.errors import ApplicationError
from consult.pdf import render_pdf
from minutes.keys import body_certificates, key_files_write
from minutes.models import Communique, CommuniqueSignature
from minutes.selectors.communiques import communique_footnotes as communique_footnotes_of
from minutes.services import communiques as communiques_services
from minutes.services import positions as positions_services
from minutes.services import signing as signing_services
from minutes.tasks import communique_sign_task, communiques_sign_pending_task

from .conftest import reload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    """Pinned, ticking: the published_at below, and certificates valid at that instant."""
    with time_machine.travel("2027-02-10 09:00Z", tick=True):
        yield


def _use_keys(settings, files: dict[str, Path], retired: list[str] | None = None) -> None:
    settings.COMMUNIQUE_TEXT_KEY = str(files["text_key"])
    settings.COMMUNIQUE_TEXT_CERT = str(files["text_cert"])
    settings.COMMUNIQUE_PDF_KEY = str(files["pdf_key"])
    settings.COMMUNIQUE_PDF_CERT = str(files["pdf_cert"])
    settings.COMMUNIQUE_RETIRED_CERTS = retired or []


@pytest.fixture
def keys(tmp_path, settings) -> dict[str, Path]:
    files = key_files_write(tmp_path / "current", label="(test)")
    _use_keys(settings, files)
    return files


def _publish(
    world, circulated_communique, *, title: str = "Joint communiqué", reservations: int = 1
) -> Communique:
    """Published with the United States' reservation (and Russia's and NATO's for 3)."""
    communique = circulated_communique(title=title, text="<p>The participants met in Genève.</p>")
    reserving = {1: (), 3: ("RUS", "NATO")}[reservations]
    for code, user in (("RUS", "ru"), ("NATO", "nato"), ("EU", "eu"), ("FRA", "fr")):
        if code in reserving:
            positions_services.position_state(
                communique=communique,
                party=world.parties[code],
                user=world.user(user),
                stance="associates_with_reservation",
                reservation=f"Reservation of {code}.",
            )
            continue
        positions_services.position_state(
            communique=communique,
            party=world.parties[code],
            user=world.user(user),
            stance="associates",
            reservation="",
        )
    positions_services.position_state(
        communique=communique,
        party=world.parties["USA"],
        user=world.user("us"),
        stance="associates_with_reservation",
        reservation="Without prejudice to sanctions.",
    )
    communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    return reload(communique)


@pytest.fixture
def published(world, circulated_communique, keys, django_capture_on_commit_callbacks):
    """Published; the signing task runs after commit, as it does on a worker."""
    with django_capture_on_commit_callbacks(execute=True):
        communique = _publish(world, circulated_communique)
    return communique


def _signature(communique: Communique) -> CommuniqueSignature:
    return CommuniqueSignature.objects.get(version=communique.published_version)


def _envelope(signature: CommuniqueSignature) -> bytes:
    return json.dumps(signing_services.signature_envelope(signature)).encode()


def _pdfsig(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    pdfsig = shutil.which("pdfsig")
    assert pdfsig, "pdfsig (poppler-utils) is installed by bin/with-services"
    return subprocess.run([pdfsig, str(path)], capture_output=True, text=True, check=False).stdout


def _pdftext(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(data)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is installed by bin/with-services"
    return subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _altered(pdf: bytes) -> bytes:
    """One byte changed inside the signed range (a letter of the producer's name)."""
    at = pdf.index(b"/Producer") + 12
    signed_ranges = pdf[pdf.index(b"/ByteRange") :][:80]
    assert at < int(signed_ranges.split(b"[")[1].split()[1])
    changed = bytearray(pdf)
    changed[at] ^= 0x01
    return bytes(changed)


def test_publication_signs_the_pdf_and_the_canonical_text(published, tmp_path):
    """The signed PDF is valid for pdfsig and for the service; the JSON names the version."""
    signature = _signature(published)
    assert bytes(signature.pdf).startswith(b"%PDF-")
    report = _pdfsig(tmp_path, bytes(signature.pdf))
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    verdict = signing_services.communique_verify(data=bytes(signature.pdf))
    assert verdict.genuine, verdict.message
    assert (verdict.kind, verdict.communique_id, verdict.version) == (
        "pdf",
        str(published.public_id),
        published.published_version.number,
    )
    assert verdict.title == "Joint communiqué"
    assert verdict.key_status == "current"
    assert not signature.timestamped
    # The copy carries what the canonical JSON signs: title, preamble, text, attribution.
    text = " ".join(_pdftext(tmp_path, bytes(signature.pdf)).split())
    for part in (
        published.published_title,
        published.published_preamble,
        "The participants met in Genève.",
        published.published_attribution,
    ):
        assert " ".join(part.split()) in text, part


def test_the_canonical_json_is_exactly_the_documented_form(published):
    """Sorted keys, no whitespace between tokens, UTF-8 characters as themselves."""
    canonical = _signature(published).canonical
    document = json.loads(canonical)
    assert sorted(document) == [
        "footnotes",
        "id",
        "language",
        "preamble",
        "published_at",
        "text",
        "title",
        "version",
    ]
    assert canonical == json.dumps(
        document, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert document["id"] == str(published.public_id)
    assert document["version"] == published.published_version.number
    assert document["language"] == "en"
    assert document["text"] == "<p>The participants met in Genève.</p>"
    assert "Genève" in canonical
    assert document["footnotes"] == [
        {"number": 1, "party": "USA", "text": "Without prejudice to sanctions."}
    ]
    assert document["published_at"].startswith("2027-02-10T09:0")
    assert document["published_at"].endswith("Z")


def test_one_changed_byte_of_the_pdf_fails_pdfsig_and_the_command(published, tmp_path):
    altered = _altered(bytes(_signature(published).pdf))
    assert "Signature is Valid." not in _pdfsig(tmp_path, altered)
    path = tmp_path / "altered.pdf"
    path.write_bytes(altered)
    with pytest.raises(CommandError, match="NOT GENUINE: The PDF was altered"):
        call_command("verify_communique", str(path))


def test_the_command_names_the_text_and_its_version(published, tmp_path, capsys):
    signature = _signature(published)
    for name, data in (("copy.pdf", bytes(signature.pdf)), ("copy.json", _envelope(signature))):
        path = tmp_path / name
        path.write_bytes(data)
        call_command("verify_communique", str(path))
        out = capsys.readouterr().out
        assert out.startswith("GENUINE")
        assert f"Communiqué {published.public_id}, version 1: “Joint communiqué”." in out


def test_one_changed_character_of_the_json_fails(published, tmp_path):
    signature = _signature(published)
    envelope = signing_services.signature_envelope(signature)
    envelope["canonical"] = envelope["canonical"].replace("Genève", "Geneve")
    data = json.dumps(envelope).encode()
    verdict = signing_services.communique_verify(data=data)
    assert not verdict.genuine
    assert "does not match the text" in verdict.message
    path = tmp_path / "altered.json"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="NOT GENUINE"):
        call_command("verify_communique", str(path))


def test_an_unknown_key_is_refused(published, tmp_path):
    """A text signed with a key that is not the body's is refused, however well formed."""
    from cryptography.hazmat.primitives.asymmetric import ed25519

    signature = _signature(published)
    forger = ed25519.Ed25519PrivateKey.generate()
    forged = {
        "canonical": signature.canonical,
        "signature": base64.b64encode(forger.sign(signature.canonical.encode())).decode(),
        "key_id": "0123456789abcdef",
    }
    verdict = signing_services.communique_verify(data=json.dumps(forged).encode())
    assert not verdict.genuine
    assert "not one of the body's text-signing keys" in verdict.message
    # The forger's signature under the body's key id does not pass either.
    forged["key_id"] = signature.key_id
    assert not signing_services.communique_verify(data=json.dumps(forged).encode()).genuine


def test_a_pdf_signed_by_another_certificate_is_refused(published, tmp_path):
    other = key_files_write(tmp_path / "other")
    forged, _ = signing_services._sign_pdf(
        render_pdf(
            "minutes/communique_pdf.html",
            signing_services.pdf_context(published, published.published_version),
        ),
        reason=signing_services._reason(published, published.published_version),
        key_pem=other["pdf_key"].read_bytes(),
        cert_pem=other["pdf_cert"].read_bytes(),
    )
    verdict = signing_services.communique_verify(data=forged)
    assert not verdict.genuine
    assert "not with one of the body's keys" in verdict.message


def test_a_retired_key_still_verifies_older_signatures(
    world, circulated_communique, published, keys, tmp_path, settings
):
    """After a rotation, the old texts verify under the retired key, new ones under the new."""
    old = _signature(published)
    new_files = key_files_write(tmp_path / "rotated", label="(2028)")
    _use_keys(settings, new_files, retired=[str(keys["text_cert"]), str(keys["pdf_cert"])])
    second = _publish(world, circulated_communique, title="Second text")
    assert second.published_version is not None
    new = communique_sign_task(second.published_version.pk)
    assert new == "signed"
    new_signature = _signature(second)
    assert new_signature.key_id != old.key_id
    for data in (bytes(old.pdf), _envelope(old)):
        verdict = signing_services.communique_verify(data=data)
        assert verdict.genuine, verdict.message
        assert verdict.key_status == "retired"
    for data in (bytes(new_signature.pdf), _envelope(new_signature)):
        verdict = signing_services.communique_verify(data=data)
        assert verdict.genuine, verdict.message
        assert verdict.key_status == "current"
    statuses = {(cert.purpose, cert.status) for cert in body_certificates()}
    assert statuses == {
        ("text", "current"),
        ("pdf", "current"),
        ("text", "retired"),
        ("pdf", "retired"),
    }
    # Once the old certificates leave the settings, the old signatures no longer verify.
    settings.COMMUNIQUE_RETIRED_CERTS = []
    assert not signing_services.communique_verify(data=_envelope(old)).genuine
    assert not signing_services.communique_verify(data=bytes(old.pdf)).genuine


def test_signing_is_once_per_published_version(published):
    """A second task for the same version keeps the first signature; a draft's version
    is never signed."""
    first = _signature(published)
    assert communique_sign_task(published.published_version.pk) == "signed"
    assert CommuniqueSignature.objects.get() == first


def test_unpublished_versions_are_not_signed(world, circulated_communique, keys):
    communique = circulated_communique()
    assert communique_sign_task(communique.circulated_version.pk) == "not published"
    assert not CommuniqueSignature.objects.exists()


def test_without_keys_publication_still_succeeds_unsigned(
    world, circulated_communique, settings, tmp_path, django_capture_on_commit_callbacks
):
    for name in ("TEXT_KEY", "TEXT_CERT", "PDF_KEY", "PDF_CERT"):
        setattr(settings, f"COMMUNIQUE_{name}", str(tmp_path / "absent.pem"))
    with django_capture_on_commit_callbacks(execute=True):
        communique = _publish(world, circulated_communique)
    assert communique.status == Communique.Status.PUBLISHED
    assert not CommuniqueSignature.objects.exists()
    assert communique.published_version is not None
    with pytest.raises(ApplicationError, match="signing keys are not configured"):
        signing_services.communique_sign(version_id=communique.published_version.pk)


# --- Public pages and the API ------------------------------------------------------------


def test_public_page_links_the_signed_copies_which_download(published, client):
    page = client.get(published.get_absolute_url())
    assert page.status_code == 200
    pdf_url = reverse("minutes:communique_signed_pdf", args=[published.public_id])
    json_url = reverse("minutes:communique_signed_json", args=[published.public_id])
    assert f'href="{pdf_url}">Signed PDF</a>' in page.content.decode()
    pdf = client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf"
    assert signing_services.communique_verify(data=pdf.content).genuine
    envelope = client.get(json_url)
    assert signing_services.communique_verify(data=envelope.content).genuine


def test_non_published_texts_have_no_public_signature(world, circulated_communique, keys, client):
    """A circulated text: its signature URLs and API answer 404, as for a missing row."""
    communique = circulated_communique()
    for name in ("communique_signed_pdf", "communique_signed_json"):
        assert (
            client.get(reverse(f"minutes:{name}", args=[communique.public_id])).status_code == 404
        )
    client.force_login(world.user("us"))
    assert (
        client.get(
            reverse("minutes:communique_signed_pdf", args=[communique.public_id])
        ).status_code
        == 404
    )
    api = client.get(f"/api/v1/communiques/{communique.public_id}/signature/")
    assert api.status_code == 404


def test_api_exposes_the_canonical_text_its_signature_and_key(published, client):
    signature = _signature(published)
    answer = client.get(f"/api/v1/communiques/{published.public_id}/signature/")
    assert answer.status_code == 200
    data = answer.json()
    assert data["canonical"] == signature.canonical
    assert data["key_id"] == signature.key_id
    assert data["algorithm"] == "Ed25519"
    assert data["version"] == 1
    assert base64.b64decode(data["signature"]) == base64.b64decode(signature.signature)
    assert signing_services.communique_verify(
        data=json.dumps({k: data[k] for k in ("canonical", "signature", "key_id")}).encode()
    ).genuine
    keys_answer = client.get("/api/v1/signing-keys/").json()
    assert {row["key_id"] for row in keys_answer} == {signature.key_id, signature.pdf_key_id}
    one = client.get(f"/api/v1/signing-keys/{signature.key_id}/").json()
    assert one["purpose"] == "text"
    assert one["status"] == "current"
    assert one["pem"].startswith("-----BEGIN CERTIFICATE-----")
    assert client.get("/api/v1/signing-keys/0000000000000000/").status_code == 404


def test_keys_page_lists_current_and_retired_keys_with_pem(keys, tmp_path, settings, client):
    rotated = key_files_write(tmp_path / "rotated")
    _use_keys(settings, rotated, retired=[str(keys["text_cert"])])
    certificates = body_certificates()
    page = client.get(reverse("minutes:signing_key_list"))
    body = page.content.decode()
    assert page.status_code == 200
    for cert in certificates:
        assert cert.key_id in body
        assert cert.fingerprint_sha256 in body
    assert "Retired" in body
    assert "Current" in body
    retired = next(cert for cert in certificates if cert.status == "retired")
    pem = client.get(reverse("minutes:signing_key_pem", args=[retired.key_id]))
    assert pem.content.decode() == keys["text_cert"].read_text()
    assert (
        client.get(reverse("minutes:signing_key_pem", args=["0000000000000000"])).status_code == 404
    )


def test_verify_page_says_genuine_and_refuses_bad_uploads(published, client, settings):
    url = reverse("minutes:communique_verify")
    assert client.get(url).status_code == 200
    signature = _signature(published)
    good = client.post(url, {"file": SimpleUploadedFile("c.pdf", bytes(signature.pdf))})
    assert good.status_code == 200
    assert "Genuine" in good.content.decode()
    assert "Joint communiqué" in good.content.decode()
    altered = client.post(
        url, {"file": SimpleUploadedFile("c.pdf", _altered(bytes(signature.pdf)))}
    )
    assert altered.status_code == 422
    assert "altered after it was signed" in altered.content.decode()
    cases = {
        "not-a-pdf.pdf": (b"<html>hello</html>", "neither"),
        "empty.pdf": (b"", "The file is empty."),
    }
    for name, (data, message) in cases.items():
        answer = client.post(url, {"file": SimpleUploadedFile(name, data)})
        assert answer.status_code == 400, name
        assert message in answer.content.decode(), name
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024
    large = client.post(url, {"file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000)})
    assert large.status_code == 400
    assert "larger than" in large.content.decode()
    missing = client.post(url, {})
    assert missing.status_code == 400


def test_verify_page_needs_the_csrf_token(published):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    answer = client.post(
        reverse("minutes:communique_verify"),
        {"file": SimpleUploadedFile("c.json", _envelope(_signature(published)))},
    )
    assert answer.status_code == 403


def test_signature_pages_read_a_fixed_number_of_queries(
    published, world, circulated_communique, client, django_capture_on_commit_callbacks
):
    """The public page, the PDF, the JSON and the API read as many queries for a text with
    one footnote as for one with more footnotes among more signed texts."""

    def counts(communique: Communique) -> list[int]:
        urls = [
            communique.get_absolute_url(),
            reverse("minutes:communique_signed_pdf", args=[communique.public_id]),
            reverse("minutes:communique_signed_json", args=[communique.public_id]),
            f"/api/v1/communiques/{communique.public_id}/signature/",
            reverse("minutes:signing_key_list"),
        ]
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            found.append(len(queries))
        return found

    small = counts(published)
    with django_capture_on_commit_callbacks(execute=True):
        larger = _publish(world, circulated_communique, title="Second text", reservations=3)
    assert len(communique_footnotes_of(larger)) == 3
    assert counts(larger) == small


def test_demo_keys_are_written_for_the_embedded_default_only(tmp_path, settings):
    """Under var/signing/ when the settings are the defaults; never over a deployment's keys."""
    from minutes.keys import demo_keys_ensure

    folder = tmp_path / "signing"
    settings.COMMUNIQUE_DEMO_KEYS_DIR = str(folder)
    configured = tmp_path / "deployment-key.pem"
    settings.COMMUNIQUE_TEXT_KEY = str(configured)
    settings.COMMUNIQUE_TEXT_CERT = str(folder / "text-cert.pem")
    settings.COMMUNIQUE_PDF_KEY = str(folder / "pdf-key.pem")
    settings.COMMUNIQUE_PDF_CERT = str(folder / "pdf-cert.pem")
    assert demo_keys_ensure() is False
    assert not folder.exists()
    settings.COMMUNIQUE_TEXT_KEY = str(folder / "text-key.pem")
    assert demo_keys_ensure() is True
    assert sorted(path.name for path in folder.iterdir()) == [
        "pdf-cert.pem",
        "pdf-key.pem",
        "text-cert.pem",
        "text-key.pem",
    ]
    assert oct((folder / "text-key.pem").stat().st_mode & 0o777) == "0o600"
    first = (folder / "text-key.pem").read_bytes()
    assert demo_keys_ensure() is False
    assert (folder / "text-key.pem").read_bytes() == first
    assert {cert.status for cert in body_certificates()} == {"current"}


def test_a_text_whose_signing_task_was_lost_is_signed_by_the_sweep(
    world, circulated_communique, keys
):
    """Published, but the task queued after commit never ran (none is captured here)."""
    communique = _publish(world, circulated_communique)
    assert not CommuniqueSignature.objects.exists()
    assert communiques_sign_pending_task() == 1
    signature = _signature(communique)
    assert signing_services.communique_verify(data=bytes(signature.pdf)).genuine
    assert communiques_sign_pending_task() == 0
    assert CommuniqueSignature.objects.count() == 1


def test_without_keys_the_sweep_signs_nothing_and_says_so(world, circulated_communique, caplog):
    _publish(world, circulated_communique)
    assert communiques_sign_pending_task() == 0
    assert not CommuniqueSignature.objects.exists()
    assert "1 published text(s) left unsigned" in caplog.text
