from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Stable keyset pages; clients choose a page size up to a cap."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-created_at"
