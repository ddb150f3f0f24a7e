"""Comparing synthesized ``cdk.tf.json`` documents: byte for byte, or without cdktf's ``"//"`` metadata."""

from __future__ import annotations

import json
from typing import Any


def without_metadata(value: Any) -> Any:
    """Return a synthesized document (or part of one) without cdktf's ``"//"`` metadata comments."""
    if isinstance(value, dict):
        return {key: without_metadata(item) for key, item in value.items() if key != "//"}
    if isinstance(value, list):
        return [without_metadata(item) for item in value]
    return value


def same_without_metadata(first: bytes, second: bytes) -> bool:
    """Whether two documents are the same JSON, in the same key order, once the ``"//"`` comments are removed."""
    return json.dumps(without_metadata(json.loads(first))) == json.dumps(without_metadata(json.loads(second)))
