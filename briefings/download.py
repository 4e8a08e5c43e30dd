"""The HTTP answer carrying a delegate's stamped copy, the same for the page and the API."""

from __future__ import annotations

from django.http import FileResponse

from briefings.models import Pack


def pack_file_response(pack: Pack) -> FileResponse:
    """``pack``'s PDF as an attachment named after its session and pack id.

    ``pack.session`` is read for the name: load it with the pack.
    """
    filename = f"{pack.session.number.replace('/', '-')}-briefing-pack-{pack.public_id}.pdf"
    response = FileResponse(
        pack.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    # A personal, marked copy: never kept by a shared cache or sniffed into something else.
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
