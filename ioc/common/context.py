"""Per-request context (request id, client address) readable by services without passing the request, and a
memo that lives as long as the request (`request_memo`: None outside a request, so tests, tasks and commands that
call a selector twice always read afresh)."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    address: str = ""
    memo: dict[Any, Any] | None = None


_EMPTY = RequestContext()
_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar("ioc_request", default=_EMPTY)


def current() -> RequestContext:
    return _current.get()


def set_current(ctx: RequestContext) -> contextvars.Token[RequestContext]:
    return _current.set(ctx)


def reset(token: contextvars.Token[RequestContext]) -> None:
    _current.reset(token)


def request_memo() -> dict[Any, Any] | None:
    """What the current request has already looked up (issue 20 "Speed": the user's scope, asked by every domain's
    selector, once a request); None outside a request."""
    return _current.get().memo
