"""JSON Patch (RFC 6902) for `PATCH` at /sta/v1.1/ (R5.5): what `frost-sta-client`'s `patch` sends
(`Content-Type: application/json-patch+json`, docs/decisions/0007). The operations apply to a copy of the entity's
rendered properties; the top-level properties that changed become the ordinary PATCH body (merge semantics), so
the same parser, checks and service (`entity_update`) handle both. A failed `test`, a bad pointer or an unknown
operation refuses the whole patch."""

from __future__ import annotations

import copy
import json
from typing import Any

from ioc.sensors.drafts import DraftError

CONTENT_TYPE = "application/json-patch+json"
OPS = frozenset({"add", "remove", "replace", "move", "copy", "test"})
# A patch is a handful of edits: bounded in operations and in what it may grow the document to (each `copy` of a
# document into itself doubles it: forty of them would exhaust a worker's memory).
MAX_OPS = 100
MAX_BYTES = 1_000_000


def _tokens(pointer: Any) -> list[str]:
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise DraftError(f"JSON Patch: đường dẫn không hợp lệ {pointer!r} / invalid path {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _parent(doc: Any, tokens: list[str], pointer: str) -> tuple[Any, str]:
    if not tokens:
        raise DraftError("JSON Patch: không thay cả thực thể / the whole entity cannot be the target")
    node = doc
    for token in tokens[:-1]:
        node = _child(node, token, pointer)
    return node, tokens[-1]


def _child(node: Any, token: str, pointer: str) -> Any:
    if isinstance(node, dict) and token in node:
        return node[token]
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    raise DraftError(f"JSON Patch: không có {pointer} / {pointer} does not exist")


def _get(doc: Any, pointer: str) -> Any:
    node = doc
    for token in _tokens(pointer):
        node = _child(node, token, pointer)
    return node


def _remove(doc: Any, pointer: str) -> Any:
    parent, key = _parent(doc, _tokens(pointer), pointer)
    value = _child(parent, key, pointer)
    if isinstance(parent, list):
        del parent[int(key)]
    else:
        del parent[key]
    return value


def _add(doc: Any, pointer: str, value: Any) -> None:
    parent, key = _parent(doc, _tokens(pointer), pointer)
    if isinstance(parent, dict):
        parent[key] = value
    elif isinstance(parent, list) and (key == "-" or (key.isdigit() and int(key) <= len(parent))):
        parent.insert(len(parent) if key == "-" else int(key), value)
    else:
        raise DraftError(f"JSON Patch: không thêm được vào {pointer} / cannot add at {pointer}")


def _apply_one(doc: dict[str, Any], op: Any, index: int) -> None:
    if not isinstance(op, dict) or op.get("op") not in OPS or "path" not in op:
        raise DraftError(f"JSON Patch [{index}]: cần op và path / op and path are required")
    kind, path = op["op"], op["path"]
    if kind in ("add", "replace", "test") and "value" not in op:
        raise DraftError(f"JSON Patch [{index}]: thiếu value / value is required")
    if kind == "add":
        _add(doc, path, copy.deepcopy(op["value"]))
    elif kind == "remove":
        _remove(doc, path)
    elif kind == "replace":
        _remove(doc, path)
        _add(doc, path, copy.deepcopy(op["value"]))
    elif kind in ("move", "copy"):
        source = op.get("from")
        if not isinstance(source, str):
            raise DraftError(f"JSON Patch [{index}]: thiếu from / from is required")
        value = _remove(doc, source) if kind == "move" else copy.deepcopy(_get(doc, source))
        _add(doc, path, value)
    elif _get(doc, path) != op["value"]:
        raise DraftError(f"JSON Patch [{index}]: test thất bại tại {path} / test failed at {path}")


def _size(doc: Any) -> int:
    return len(json.dumps(doc, ensure_ascii=False, default=str).encode())


def patch_to_changes(current: dict[str, Any], patch: Any) -> dict[str, Any]:
    """The ordinary PATCH body equivalent to `patch` on the entity rendered as `current`: each top-level property
    the operations changed, with its new value (a removed one as null)."""
    if not isinstance(patch, list):
        raise DraftError("JSON Patch: cần một mảng thao tác / an array of operations is expected")
    if len(patch) > MAX_OPS:
        raise DraftError(f"JSON Patch: quá {MAX_OPS} thao tác / more than {MAX_OPS} operations")
    properties = {k: v for k, v in current.items() if "@iot." not in k}
    doc = copy.deepcopy(properties)
    for index, op in enumerate(patch):
        _apply_one(doc, op, index)
        if isinstance(op, dict) and op.get("op") in ("add", "copy") and _size(doc) > MAX_BYTES:
            raise DraftError(
                f"JSON Patch [{index}]: thực thể vượt {MAX_BYTES:,} byte / the entity grows past {MAX_BYTES:,} bytes"
            )
    changes = {k: v for k, v in doc.items() if k not in properties or properties[k] != v}
    changes.update({k: None for k in properties if k not in doc})
    return changes
