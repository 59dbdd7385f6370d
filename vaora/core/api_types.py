"""Bounded types for API inputs: every integer a client sends has a minimum and a maximum in
the schema (threat 31 — an offset of 10^20 reached SQLite and answered 500)."""

from typing import Annotated

from ninja import Path, Query, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import Field

MAX_ID = 2**53  # ids stay inside 64-bit integers and exact JSON numbers
MAX_OFFSET = 10**9
MAX_LIMIT = 500

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID, description="an object's id")]
OptionalIdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def id_field(default=..., **extra):
    """A body or query field holding an object's id."""
    return Field(default, ge=1, le=MAX_ID, **extra)


class BoundedPagination(LimitOffsetPagination):
    """ninja's limit/offset pagination with both bounded (NINJA_PAGINATION_CLASS)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description="rows per page")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="rows to skip")
