"""Cursor pagination: stable while stories are published, cheap on any page.

A cursor is an opaque position in the list's order (DRF's CursorPagination):
the next page starts after the last item seen, so a story published between
two requests never shifts an item onto a second page twice, and page 500
costs what page 1 does. `page_size` is capped at `MAX_PAGE_SIZE`; a bad
cursor or page size answers 400 (problems.py), never a silent default.
"""

import base64
from urllib import parse

from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .problems import InvalidParameters

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _page_size(request, default=PAGE_SIZE) -> int:
    value = request.query_params.get("page_size")
    if value is None:
        return default
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE_SIZE:
        raise InvalidParameters({"page_size": f"A whole number from 1 to {MAX_PAGE_SIZE}."})
    return int(value)


def _response(next_link, previous_link, results):
    return Response({"next": next_link, "previous": previous_link, "results": results})


def _schema(schema):
    return {
        "type": "object",
        "required": ["next", "previous", "results"],
        "properties": {
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "results": schema,
        },
    }


class Cursor(CursorPagination):
    """Newest first by default; a view sets `pagination_ordering` for its own order."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-published_at", "-pk")

    def paginate_queryset(self, queryset, request, view=None):
        self.ordering = getattr(view, "pagination_ordering", self.ordering)
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            raise InvalidParameters({"cursor": "Not a cursor this list gave out."}) from None

    def get_page_size(self, request):
        return _page_size(request)

    def get_paginated_response(self, data):
        return _response(self.get_next_link(), self.get_previous_link(), data)

    def get_paginated_response_schema(self, schema):
        return _schema(schema)


class RankedCursor:
    """For search results, which are ranked rather than ordered by a column: the
    cursor is an opaque offset into the ranking (at most `search.MAX_RESULTS`)."""

    cursor_query_param = "cursor"

    def paginate(self, results, request):
        """(the ids on this page, the response builder)."""
        self.request = request
        self.size = _page_size(request)
        self.offset = self._decode(request.query_params.get(self.cursor_query_param))
        ids = list(results[self.offset : self.offset + self.size + 1])
        self.has_next = len(ids) > self.size
        return ids[: self.size]

    def _decode(self, cursor) -> int:
        if cursor is None:
            return 0
        try:
            decoded = base64.urlsafe_b64decode(cursor.encode()).decode()
            offset = int(parse.parse_qs(decoded, strict_parsing=True)["o"][0])
        except (ValueError, KeyError, UnicodeError):
            raise InvalidParameters({"cursor": "Not a cursor this list gave out."}) from None
        if offset < 0:
            raise InvalidParameters({"cursor": "Not a cursor this list gave out."})
        return offset

    def _link(self, offset):
        url = self.request.build_absolute_uri()
        if offset <= 0:
            return remove_query_param(url, self.cursor_query_param)
        cursor = base64.urlsafe_b64encode(parse.urlencode({"o": offset}).encode()).decode()
        return replace_query_param(url, self.cursor_query_param, cursor)

    def response(self, data):
        next_link = self._link(self.offset + self.size) if self.has_next else None
        previous_link = self._link(self.offset - self.size) if self.offset > 0 else None
        return _response(next_link, previous_link, data)
