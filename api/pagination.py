from __future__ import annotations

import re
from base64 import b64decode, b64encode
from typing import Any
from urllib import parse

from rest_framework import serializers
from rest_framework.pagination import BasePagination, CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from changelog.models import watermark

MAX_PAGE_SIZE = 100
# A sync token as `Next-Sync-Since` gives it out (see serializers.filters.SyncToken).
SYNC_TOKEN = re.compile(r"^c[0-9]{1,18}$")


class PageParameters(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


class Pagination(PageNumberPagination):
    """Pages of 50 by default, up to 100. A malformed `page` or `page_size` is a 400
    naming it (DRF would quietly use the default size instead); a page past the
    end is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()
    # The query parameters it reads (any other a list does not filter on is a 400).
    query_names = frozenset({"page", "page_size"})

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        PageParameters(data=request.query_params.dict()).is_valid(raise_exception=True)
        return super().paginate_queryset(queryset, request, view)

    def audit_detail(self) -> dict[str, Any]:
        return {"page": self.page.number}

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=MAX_PAGE_SIZE, default=50)
        return parameters


class CursorParameters(serializers.Serializer):
    # A blank cursor (`cursor=`, what a client templating the previous `next` sends on
    # its first call) is the first page, as DRF reads it; the schema allows it too.
    cursor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)

    def validate_cursor(self, value: str) -> str:
        # DRF would answer a cursor it cannot read with a 404, and a position that is
        # not an id with a 500; a bad cursor is the client's malformed parameter.
        if not value:
            return value
        try:
            tokens = b64decode(value.encode("ascii"), validate=True).decode("ascii")
        except ValueError as exc:
            raise serializers.ValidationError("Not a cursor from a `next` link.") from exc
        parts = dict(part.partition("=")[::2] for part in tokens.split("&"))
        position = parts.get("p", "")
        offset = parts.get("o", "0")
        mark = parts.get("w", "0")
        # DRF would answer an offset or a direction it cannot read with a 404.
        if not (
            position.isdigit()
            and len(position) <= 18
            and offset.isdigit()
            and len(offset) <= 18
            and mark.isdigit()
            and len(mark) <= 18
            and parts.get("r", "0") in ("0", "1")
            and set(parts) <= {"p", "o", "r", "w"}
        ):
            raise serializers.ValidationError("Not a cursor from a `next` link.")
        return value


class KeysetPagination(CursorPagination):
    """Pages by position in id order: the next page starts after the last id
    seen. No COUNT(*) and no OFFSET, so a page costs the same at ten thousand
    rows as at ten million, and rows added meanwhile neither repeat nor skip
    a row on the following pages (new ids come after the ones already read)."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    query_names = frozenset({"cursor", "page_size"})

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        CursorParameters(data=request.query_params.dict()).is_valid(raise_exception=True)
        return super().paginate_queryset(queryset, request, view)

    # The run's watermark in the change log, carried from page to page (the `w` of
    # the cursor) so that every page of a run reads up to the same position.
    watermark: int | None = None

    def encode_cursor(self, cursor: Any) -> str:
        tokens = {}
        if cursor.offset != 0:
            tokens["o"] = str(cursor.offset)
        if cursor.reverse:
            tokens["r"] = "1"
        if cursor.position is not None:
            tokens["p"] = cursor.position
        if self.watermark is not None:
            tokens["w"] = str(self.watermark)
        encoded = b64encode(parse.urlencode(tokens).encode("ascii")).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def audit_detail(self) -> dict[str, Any]:
        return {"cursor": self.cursor.position if self.cursor else None}


def cursor_watermark(request: Any) -> int | None:
    """The watermark a `next` link carries, if the request has one."""
    value = request.query_params.get("cursor", "")
    if not value:
        return None
    try:
        tokens = parse.parse_qs(b64decode(value.encode("ascii")).decode("ascii"))
    except ValueError:
        return None  # CursorParameters answers it with a 400
    mark = tokens.get("w", [""])[0]
    return int(mark) if mark.isdigit() and len(mark) <= 18 else None


class SyncPagination(BasePagination):
    """The sync endpoints' pages: by cursor (`next` links, no total count) unless the
    client asks for a `page` number, which keeps the numbered pages (with `count`)
    that earlier clients use. `cursor_by_default` says which one a request without
    either gets; `cursor_when` names filters that switch to the cursor (a sync run)."""

    cursor_by_default = True
    cursor_when: tuple[str, ...] = ()
    query_names = Pagination.query_names | KeysetPagination.query_names

    def __init__(self) -> None:
        self.pages = Pagination()
        self.keyset = KeysetPagination()
        self.chosen: BasePagination = self.keyset

    def reads_change_log(self, request: Any) -> bool:
        """Cursor pages hand out a sync token, and a sync token is read against one."""
        return self._choose(request) is self.keyset or any(
            SYNC_TOKEN.match(value) for value in request.query_params.values()
        )

    def run_watermark(self, request: Any) -> int:
        """Where this run reads the change log up to: the first page takes the current
        watermark and its `next` links carry it. Take it before reading any row."""
        mark = cursor_watermark(request)
        self.keyset.watermark = watermark() if mark is None else mark
        return self.keyset.watermark

    def _choose(self, request: Any) -> BasePagination:
        params = request.query_params
        if "page" in params:
            return self.pages
        if "cursor" in params or any(name in params for name in self.cursor_when):
            return self.keyset
        return self.keyset if self.cursor_by_default else self.pages

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.chosen = self._choose(request)
        return self.chosen.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Any:
        response = self.chosen.get_paginated_response(data)
        if self.chosen is self.keyset and self.keyset.watermark is not None:
            token = f"c{self.keyset.watermark}"
            response = Response({**response.data, "next_sync_since": token})
            response["Next-Sync-Since"] = token
        return response

    def audit_detail(self) -> dict[str, Any]:
        return self.chosen.audit_detail()

    def get_paginated_response_schema(self, schema: Any) -> dict[str, Any]:
        response = self.keyset.get_paginated_response_schema(schema)
        response["properties"]["count"] = {
            "type": "integer",
            "description": "Only on numbered pages (`page` given).",
        }
        response["properties"]["next_sync_since"] = {
            "type": "string",
            "description": (
                "Only on cursor pages: the `updated_since` (`since` for logs) of your next "
                "sync run, the same on every page of this run (also the `Next-Sync-Since` "
                "header)."
            ),
        }
        return response

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = self.pages.get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == "page":
                parameter["description"] = (
                    "A page number: numbered pages with a total `count`, for earlier clients. "
                    "Without it, follow the `next` links."
                )
        cursor = self.keyset.get_schema_operation_parameters(view)[0]
        cursor["description"] = "Where the page starts: take it from the previous page's `next`."
        return [cursor, *parameters]


class PatientSyncPagination(SyncPagination):
    """Patients: numbered pages as before, cursor pages for a sync (`updated_since`)."""

    cursor_by_default = False
    cursor_when = ("updated_since",)


class SinceSyncPagination(SyncPagination):
    """Sessions and red-flag checks: numbered pages as before, cursor pages for a sync
    (`since`, or a blank `cursor`)."""

    cursor_by_default = False
    cursor_when = ("since",)
