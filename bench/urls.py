"""The platform's URLs plus ``/bench/bare-statements/``: the same rows as a list page,
read with ``values()`` and written with orjson, no DRF, no serializer."""

import orjson
from django.http import HttpRequest, HttpResponse
from django.urls import path

from consult.urls import urlpatterns as platform
from minutes.selectors.record import statement_list

# The columns a statement's API representation carries, flat: its links and
# nested summaries are built from these.
FIELDS = (
    "public_id",
    "minutes__public_id",
    "minutes__session__public_id",
    "minutes__session__number",
    "minutes__session__quarter",
    "item__public_id",
    "item__order",
    "item__title",
    "kind",
    "order",
    "display_party_code",
    "display_party",
    "display_speaker",
    "summary",
    "full_text",
    "distribution",
    "created_at",
    "updated_at",
)


def bare_statements(request: HttpRequest) -> HttpResponse:
    size = int(request.GET.get("page_size", "25"))
    rows = list(statement_list(request.user).values(*FIELDS)[:size])
    return HttpResponse(orjson.dumps({"results": rows}), content_type="application/json")


urlpatterns = [path("bench/bare-statements/", bare_statements), *platform]
