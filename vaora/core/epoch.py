"""Times as whole microseconds since the epoch (UTC): read as integers straight from SQL where
hundreds of thousands of rows would otherwise each become a datetime in the driver, and made
datetimes again only where one is kept (the tracer: decision 0021; the rollups: 0031)."""

import datetime

from django.db import connection

MICROSECOND = datetime.timedelta(microseconds=1)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def us(value: datetime.datetime | datetime.timedelta) -> int:
    """A datetime (aware) or a duration → whole microseconds (since the epoch)."""
    if isinstance(value, datetime.timedelta):
        return value // MICROSECOND
    return (value - EPOCH) // MICROSECOND


def at(micros: int) -> datetime.datetime:
    """Exact: a double holds every microsecond count of these centuries, and fromtimestamp
    rounds to the nearest microsecond (a third faster than adding a timedelta to the epoch)."""
    return datetime.datetime.fromtimestamp(micros / 1_000_000, datetime.UTC)


def epoch_us(column: str) -> str:
    """SQL: a stored datetime as whole microseconds since the epoch (an integer, exact).
    SQLite keeps naive UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]' (every path writes
    isoformat(" ")): seconds from strftime, the fraction's digits as they are. (The % is
    doubled: these statements take parameters.)"""
    if connection.vendor == "sqlite":
        return (f"(CAST(strftime('%%s', {column}) AS INTEGER) * 1000000 "
                f"+ CAST(substr({column}, 21, 6) AS INTEGER))")  # fmt: skip
    # date_part's double (exact to a quarter microsecond in this century) rounded back: a
    # fifth of the cost of EXTRACT's numeric arithmetic, for the same integer.
    return f"round(date_part('epoch', {column}) * 1000000)::bigint"
