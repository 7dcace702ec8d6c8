"""Errors as Problem Details (RFC 9457): `application/problem+json` with `type`,
`title`, `status`, `detail`, and for bad input `invalid_params`, one entry per
parameter with its `name` and the `reason` in plain words.

Problem types are `tag:` URIs (RFC 9457 allows URIs that do not resolve);
docs/api.md describes each. Plain HTTP errors (404, 405, 429…) are
`about:blank`, titled with the status's own phrase.
"""

from http import HTTPStatus

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "tag:newsroom,2026:api/problems/"
INVALID_PARAMETERS = TYPE_BASE + "invalid-parameters"
GONE = TYPE_BASE + "withdrawn"


class InvalidParameters(exceptions.ValidationError):
    """Query parameters the API does not know or cannot read: {name: [reasons]}."""

    def __init__(self, reasons: dict[str, list[str] | str]):
        super().__init__({name: _as_list(why) for name, why in reasons.items()})


class Withdrawn(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This story has been withdrawn by its editors."
    default_code = "withdrawn"


def _as_list(reasons) -> list[str]:
    return [str(reason) for reason in (reasons if isinstance(reasons, list | tuple) else [reasons])]


def _flatten(detail, prefix="") -> list[dict]:
    """DRF's error detail ({field: [messages]}, nested) as invalid_params entries."""
    if isinstance(detail, dict):
        found = []
        for name, inner in detail.items():
            found += _flatten(inner, f"{prefix}.{name}" if prefix else str(name))
        return found
    if isinstance(detail, list) and detail and isinstance(detail[0], dict | list):
        return [entry for inner in detail for entry in _flatten(inner, prefix)]
    return [{"name": prefix or "request", "reason": reason} for reason in _as_list(detail)]


def problem(status_code: int, *, detail: str, type_: str = "about:blank", **extra) -> dict:
    return {
        "type": type_,
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        **extra,
    }


def handle(exc, context):
    """DRF's exception handler, answering with a problem document."""
    response = exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500 page, never a half-made problem
    if isinstance(exc, exceptions.ValidationError):
        params = _flatten(exc.detail)
        names = ", ".join(dict.fromkeys(entry["name"] for entry in params))
        body = problem(
            response.status_code,
            type_=INVALID_PARAMETERS,
            detail=f"Check these parameters: {names}.",
            invalid_params=params,
        )
    elif isinstance(exc, Http404):
        # One sentence for everything not public, whatever the reason.
        body = problem(404, detail="Nothing public has this address.")
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body = problem(
            response.status_code,
            type_=GONE if isinstance(exc, Withdrawn) else "about:blank",
            detail=str(detail),
        )
    headers = {name: value for name, value in response.items() if name != "Content-Type"}
    # A 404 or 410 may be heuristically cached by default; a scheduled story's
    # 404 must end the moment it goes live, and a withdrawn story can come back.
    headers.setdefault("Cache-Control", "no-cache")
    return Response(body, status=response.status_code, headers=headers, content_type=MEDIA_TYPE)
