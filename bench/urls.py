"""The platform's URLs plus ``/bench/bare-statements/``: the same rows as a list page,
read with ``values()`` and written with orjson, no DRF, no serializer."""

import orjson
from django.http import HttpRequest, HttpResponse
from django.urls import path

from consult.urls import urlpatterns as platform
from minutes.api.serializers import STATEMENT_COLUMNS
from minutes.selectors.record import statement_list

# What a statement's API representation is written from, flat: the columns
# the list loads and the selector's display fields.
FIELDS = (*STATEMENT_COLUMNS, "display_party_code", "display_party", "display_speaker")


def bare_statements(request: HttpRequest) -> HttpResponse:
    size = int(request.GET.get("page_size", "25"))
    rows = list(statement_list(request.user).values(*FIELDS)[:size])
    return HttpResponse(orjson.dumps({"results": rows}), content_type="application/json")


urlpatterns = [path("bench/bare-statements/", bare_statements), *platform]
