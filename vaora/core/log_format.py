"""JSON logs (VAORA_LOG_FORMAT=json): one line per event — time, level, logger, message and the
exception's class — for a log collector. Like the plain format it carries only what vaora logs:
ids and counts, never a name, phone or CCCD number (tests/core/test_no_personal_data_in_logs.py),
and the secret paths are redacted before any formatter sees them (core/log_redaction.py). A
traceback is left out: its frames can hold values; the class and the message say what failed."""

import datetime
import json
import logging


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            event["exception"] = record.exc_info[0].__name__
        return json.dumps(event, ensure_ascii=False)
