"""The PDF renderer: WeasyPrint behind a locked-down URL fetcher, with limits.

Everything a render may load is named by one of two internal schemes:
``consult-static:<path>`` (the project's static assets, found like
``collectstatic`` finds them) and ``consult-media:documents/<name>`` (uploaded
papers in the default storage). Any other URL (``http``, ``https``, ``file``,
``data``, ``ftp``, a relative path) is refused and the render is aborted with
``PdfResourceRefused``: nothing is fetched from the network or the file system
outside those two places, so no redirect can ever be followed either.

``run_limited`` runs a render in a forked child with an address-space limit
and a wall-clock limit, so a hostile or runaway document (a huge CSS value,
a million pages) ends the child, never the worker.
"""

from __future__ import annotations

import contextlib
import functools
import json
import mimetypes
import os
import resource
import select
import signal
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib import request
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.templatetags.static import static

STATIC_SCHEME = "consult-static"
MEDIA_SCHEME = "consult-media"
# Only uploaded papers may be embedded; stamped packs also live in the media
# storage and must never be pulled into another delegate's render.
MEDIA_PREFIXES = ("documents/",)

DEFAULT_RENDER_SECONDS = 90.0
DEFAULT_RENDER_MEMORY_BYTES = 1024 * 1024 * 1024


class PdfError(Exception):
    """A render that did not produce a PDF; ``str()`` says why in English (for logs), and
    each subclass carries what a caller needs to word it for its readers."""


class PdfResourceRefused(PdfError):
    def __init__(self, url: str) -> None:
        self.shown_url = url if len(url) <= 200 else url[:200] + "…"
        super().__init__(
            f"The document refers to a resource outside the platform: {self.shown_url}"
        )
        self.url = url


class PdfRenderLimitExceeded(PdfError):
    """The render ran out of time or memory (possibly transient: a busy machine).

    ``limit`` says which, so that a caller can word it for its readers: ``time`` (more than
    ``seconds``), ``processor``, ``memory``, or ``no_result`` (the process ended without
    one, most likely out of memory)."""

    MESSAGES = {
        "processor": "The render used more processor time than allowed.",
        "memory": "The render needed more memory than allowed.",
        "no_result": "The render process ended without a result, most likely out of memory.",
    }

    def __init__(self, limit: str, *, seconds: float = 0.0) -> None:
        if limit == "time":
            super().__init__(f"The render took longer than {seconds:g} seconds.")
        else:
            super().__init__(self.MESSAGES[limit])
        self.limit = limit
        self.seconds = seconds


class PdfRenderFailed(PdfError):
    pass


def asset_url(path: str, *, for_pdf: bool) -> str:
    """The URL of a static asset in a page (``/static/...``) or in a PDF render."""
    return f"{STATIC_SCHEME}:{path}" if for_pdf else static(path)


def media_url(name: str) -> str:
    return f"{MEDIA_SCHEME}:{name}"


def _safe_relative(path: str) -> str | None:
    path = unquote(path)
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    parts = PurePosixPath(path).parts
    if any(part in ("..", ".") for part in parts):
        return None
    return "/".join(parts)


def _load_lazily() -> tuple[Any, Any, Any]:
    # WeasyPrint pulls in Pango and friends; pages that never render a PDF
    # should not pay for it at import time.
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    return HTML, URLFetcher, FatalURLFetchingError


def _fetcher_class() -> type:
    _, url_fetcher_base, _ = _load_lazily()

    class LockedURLFetcher(url_fetcher_base):  # type: ignore[misc, valid-type]
        """Serves the two internal schemes and refuses everything else.

        Refusals are recorded as well as raised: WeasyPrint swallows some
        fetch errors (inside SVG images), and the render must still abort.
        """

        def __init__(self) -> None:
            # URLFetcher's own __init__ installs urllib's network handlers (and
            # builds an SSL context); none is wanted, so only the bare opener
            # and the attributes WeasyPrint reads are set up.
            request.OpenerDirector.__init__(self)
            self._timeout = 0
            self._http_headers: dict[str, str] = {}
            self._allowed_protocols = (STATIC_SCHEME, MEDIA_SCHEME)
            self._fail_on_errors = True
            self._request = None
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
            from weasyprint.urls import URLFetcherResponse

            body = self._read(url)
            if body is None:
                self.refused.append(url)
                raise PdfResourceRefused(url)
            content_type = mimetypes.guess_type(url.partition(":")[2])[0]
            return URLFetcherResponse(
                url, body, {"Content-Type": content_type or "application/octet-stream"}
            )

        def open(self, url: Any, data: Any = None, timeout: Any = None) -> Any:
            return self.fetch(url if isinstance(url, str) else url.full_url)

        def __call__(self, url: str) -> Any:
            return self.fetch(url)

        def _read(self, url: str) -> bytes | None:
            scheme, _, rest = url.partition(":")
            path = _safe_relative(rest)
            if path is None:
                return None
            if scheme == STATIC_SCHEME:
                return _read_static(path)
            if scheme == MEDIA_SCHEME and path.startswith(MEDIA_PREFIXES):
                return _read_media(path)
            return None

    return LockedURLFetcher


def _read_static(path: str) -> bytes | None:
    found = finders.find(path)
    if isinstance(found, list):
        found = found[0] if found else None
    candidates = [Path(found)] if found else []
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        in_root = (root / path).resolve()
        if in_root.is_relative_to(root):
            candidates.append(in_root)
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_bytes()
    return None


def _read_media(name: str) -> bytes | None:
    try:
        if not default_storage.exists(name):
            return None
        with default_storage.open(name, "rb") as handle:
            data: bytes = handle.read()
            return data
    except (OSError, ValueError):
        return None


# PDF/UA-1: a tagged PDF (structure tree, MarkInfo, the document's language
# from <html lang>) that a screen reader can follow in reading order.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    """Render ``html`` in this process as a tagged PDF; only internal-scheme resources are loaded.

    Relative references resolve against ``base_url`` and must still land on an
    internal scheme. Raises ``PdfResourceRefused`` on the first other URL.
    """
    html_class, _, fatal_error = _load_lazily()
    fetcher = _fetcher_class()()
    try:
        pdf = html_class(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
            pdf_variant=PDF_VARIANT
        )
    except fatal_error as exc:
        cause = exc.__cause__
        if isinstance(cause, PdfResourceRefused):
            raise cause from None
        raise PdfRenderFailed(f"A resource could not be loaded: {cause}") from exc
    if fetcher.refused:
        raise PdfResourceRefused(fetcher.refused[0])
    return bytes(pdf)


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a template (with ``pdf=True`` in its context) to PDF in this process."""
    return html_to_pdf(render_to_string(template_name, {**context, "pdf": True}))


@functools.cache
def warm_up() -> None:
    """Load fonts once in this process, so forked renders start with them loaded.

    Fontconfig's first scan takes seconds; done in a child, it would be lost
    with the child and paid again by every render.
    """
    html_to_pdf('<html lang="en"><p>warm-up</p></html>')


@dataclass(frozen=True, slots=True)
class LimitedResult:
    data: bytes
    meta: dict[str, Any]
    seconds: float
    peak_rss_bytes: int
    """The child's peak resident set size: the memory the render really used."""


def _address_space_in_use() -> int:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _child_main(
    func: Callable[[], tuple[bytes, dict[str, Any]]],
    out_path: str,
    write_fd: int,
    seconds: float,
    memory: int,
) -> None:
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGUSR1, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    in_use = _address_space_in_use()
    if in_use:
        resource.setrlimit(resource.RLIMIT_AS, (in_use + memory, in_use + memory))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    message: dict[str, Any]
    try:
        data, meta = func()
        Path(out_path).write_bytes(data)
        message = {"ok": meta}
    except PdfResourceRefused as exc:
        message = {"refused": exc.url}
    except MemoryError:
        message = {"limit": "memory"}
    except PdfError as exc:
        message = {"error": str(exc)}
    except BaseException as exc:
        message = {"error": f"{type(exc).__name__}: {exc}"}
    os.write(write_fd, json.dumps(message).encode())


def run_limited(
    func: Callable[[], tuple[bytes, dict[str, Any]]],
    *,
    seconds: float = DEFAULT_RENDER_SECONDS,
    memory_bytes: int = DEFAULT_RENDER_MEMORY_BYTES,
    while_waiting: Callable[[], None] | None = None,
    every: float = 10.0,
) -> LimitedResult:
    """Run ``func`` in a forked child limited to ``seconds`` and ``memory_bytes``.

    ``func`` returns the output bytes and a JSON-able dict of facts about
    them (page count...). It must not touch the database: the child shares the parent's
    connections. The parent calls ``while_waiting`` every ``every`` seconds
    until the child is done (to renew a lease, say). Raises
    ``PdfRenderLimitExceeded`` past either limit, ``PdfResourceRefused`` on a
    refused URL and ``PdfRenderFailed`` otherwise.
    """
    warm_up()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="consult-pdf-") as workdir:
        out_path = os.path.join(workdir, "out.pdf")
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_fd)
                _child_main(func, out_path, write_fd, seconds, memory_bytes)
            finally:
                os._exit(0)
        os.close(write_fd)
        reaped = False
        try:
            raw = _read_until_eof(
                read_fd, deadline=started + seconds, while_waiting=while_waiting, every=every
            )
            if raw is None:
                raise PdfRenderLimitExceeded("time", seconds=seconds)
            _, status, usage = os.wait4(pid, 0)
            reaped = True
            elapsed = time.monotonic() - started
            message = json.loads(raw) if raw else {}
            if "ok" in message:
                data = Path(out_path).read_bytes()
                return LimitedResult(data, message["ok"], elapsed, usage.ru_maxrss * 1024)
            if "refused" in message:
                raise PdfResourceRefused(message["refused"])
            if "limit" in message:
                raise PdfRenderLimitExceeded(message["limit"])
            if "error" in message:
                raise PdfRenderFailed(message["error"])
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
                raise PdfRenderLimitExceeded("processor")
            # Native code (Pango, Cairo) aborts rather than raising when memory
            # runs out, and a child out of memory may not manage to report it.
            raise PdfRenderLimitExceeded("no_result")
        finally:
            os.close(read_fd)
            if not reaped:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


def _read_until_eof(
    fd: int,
    *,
    deadline: float,
    while_waiting: Callable[[], None] | None = None,
    every: float = 10.0,
) -> bytes | None:
    chunks: list[bytes] = []
    next_call = time.monotonic() + every
    while True:
        now = time.monotonic()
        remaining = deadline - now
        if remaining <= 0:
            return None
        if while_waiting is not None and now >= next_call:
            while_waiting()
            next_call = now + every
            continue
        wait = remaining if while_waiting is None else min(remaining, next_call - now)
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
