"""Keeps one-time secrets and personal codes out of the logs (threat 29): activation links and
the tokens of personal and travel QR codes travel in URL paths, which access logs and Django's
request warnings print. A filter on those loggers replaces each such token with «…» before the
line is written — whatever server runs vaora, and whatever level it logs at."""

import logging
import re

# /activate/<token>/, /P/<token>, /T/<token> (either case: QR codes carry upper case).
SECRET_PATHS = re.compile(r"(/(?:activate|[PpTt])/)([A-Za-z0-9_.\-~%]{8,})")
LOGGERS = ("uvicorn.access", "uvicorn.error", "django.request", "django.server", "gunicorn.access")


def redact(text: str) -> str:
    return SECRET_PATHS.sub(r"\1«…»", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a record whose arguments do not fit: leave it
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install() -> None:
    """Adds the filter to the loggers that print request paths (idempotent)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
