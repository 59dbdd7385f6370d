"""What else PostgreSQL is doing while a benchmark times something: a thread with a connection
of its own samples pg_stat_activity every 0.25 s, and during(began, ended) says what it saw in
that span — the autovacuum workers' statements, and how many client backends were running a
statement at once (the timed one's included)."""

import threading
import time

SAMPLE = (
    "SELECT backend_type, state, left(query, 160) FROM pg_stat_activity"
    " WHERE pid <> pg_backend_pid()"
    " AND (backend_type = 'autovacuum worker' OR state = 'active')"
)


class ActivitySampler(threading.Thread):
    def __init__(self, every: float = 0.25):
        super().__init__(daemon=True)
        self.every, self.stop, self.samples = every, threading.Event(), []

    def run(self) -> None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                while not self.stop.wait(self.every):
                    cursor.execute(SAMPLE)
                    self.samples.append((time.perf_counter(), cursor.fetchall()))
        finally:
            connection.close()

    def during(self, began: float, ended: float) -> dict:
        """What the samples taken between two time.perf_counter() readings saw."""
        seen = [rows for at, rows in self.samples if began <= at <= ended]
        autovacuum = sorted({query for rows in seen for kind, _state, query in rows
                             if kind == "autovacuum worker"})  # fmt: skip
        active = [sum(1 for kind, state, _query in rows
                      if kind == "client backend" and state == "active")
                  for rows in seen]  # fmt: skip
        return {"samples": len(seen), "autovacuum": autovacuum,
                "client_backends_active_max": max(active, default=0)}  # fmt: skip
