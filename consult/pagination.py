import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

_WHOLE_NUMBER = re.compile(r"[0-9]+")


class CursorPagination(pagination.CursorPagination):
    """Stable keyset pages; clients choose a page size up to a cap.

    A ``page_size`` that is not a whole number from 1 to the cap answers 400,
    rather than quietly serving the default.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-created_at"

    def get_page_size(self, request: Request) -> int:
        value = request.query_params.get(self.page_size_query_param, "").strip()
        if not value:
            return self.page_size
        if not _WHOLE_NUMBER.fullmatch(value) or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(value)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters
