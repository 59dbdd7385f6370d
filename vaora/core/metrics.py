"""Metrics in the Prometheus text format (prometheus-client), for the province's monitoring:
GET /metrics, off unless VAORA_METRICS=1, and behind a bearer token when VAORA_METRICS_TOKEN is
set. Names start with vaora_; labels never carry a personal value (results and codes only).

With several server processes, set PROMETHEUS_MULTIPROC_DIR to an empty directory shared by
them (prometheus-client's multiprocess mode) so a scrape sums every process."""

import collections
import hmac
import os
import time

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

CHECKINS = Counter(
    "vaora_checkins",
    "Check-ins and check-outs decided, every door (page, API, fast path, gate, paper)",
    ["result", "code"],
)
SMS = Counter("vaora_sms", "SMS handed to the gateway (or the outbox), by outcome", ["status"])
HTTP = Counter("vaora_http_responses", "HTTP responses by status class", ["status_class"])
INGEST_BATCH = Histogram("vaora_ingest_batch_size", "Requests per fast-path commit",
                         buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500))  # fmt: skip
INGEST_COMMIT = Histogram(
    "vaora_ingest_commit_seconds",
    "Fast-path batch commit time",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5),
)


def count_results(results) -> None:
    # Tallied first: a paper batch is 5,000 results and labels() is a locked dictionary
    # lookup each time.
    tally = collections.Counter(
        (result.status, result.error.code if result.error is not None else "") for result in results
    )
    for (status, code), count in tally.items():
        CHECKINS.labels(result=status, code=code).inc(count)


def count_refusal(code: str) -> None:
    """A check-in refused before the engine decided it (a forged or revoked code, …)."""
    CHECKINS.labels(result="rejected", code=code).inc()


class DatabaseHealth:
    """Collected at each scrape: whether the database answers, and how fast."""

    def describe(self):  # lets the registry learn the names without querying the database
        yield GaugeMetricFamily("vaora_database_up", "1 when the database answers SELECT 1")
        yield GaugeMetricFamily("vaora_database_latency_seconds", "Time of a SELECT 1")

    def collect(self):
        up = GaugeMetricFamily("vaora_database_up", "1 when the database answers SELECT 1")
        latency = GaugeMetricFamily("vaora_database_latency_seconds", "Time of a SELECT 1")
        started = time.perf_counter()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            up.add_metric([], 1)
        except Exception:  # noqa: BLE001 - a scrape reports the outage, it must not fail
            up.add_metric([], 0)
        latency.add_metric([], time.perf_counter() - started)
        yield up
        yield latency


class QueueState:
    """Collected at each scrape from the database (so every process reports the same): jobs by
    status, live workers, SMS waiting for the gateway."""

    HELP = {"vaora_jobs": "Background jobs by status (READY is the queue's depth)",
            "vaora_workers": "Workers that beat within VAORA_WORKER_STALE_SECONDS",
            "vaora_sms_waiting": "SMS queued or waiting to retry"}  # fmt: skip

    def describe(self):
        yield GaugeMetricFamily("vaora_jobs", self.HELP["vaora_jobs"], labels=["status"])
        yield GaugeMetricFamily("vaora_workers", self.HELP["vaora_workers"])
        yield GaugeMetricFamily("vaora_sms_waiting", self.HELP["vaora_sms_waiting"])

    def collect(self):
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        from vaora.core import jobs, sms

        by_status = GaugeMetricFamily("vaora_jobs", self.HELP["vaora_jobs"], labels=["status"])
        workers = GaugeMetricFamily("vaora_workers", self.HELP["vaora_workers"])
        waiting = GaugeMetricFamily("vaora_sms_waiting", self.HELP["vaora_sms_waiting"])
        try:
            counts = dict(DBTaskResult.objects.exclude(status="SUCCESSFUL").values_list("status")
                          .annotate(n=Count("pk")).values_list("status", "n"))  # fmt: skip
            for status in ("READY", "RUNNING", "FAILED"):
                by_status.add_metric([status], counts.get(status, 0))
            workers.add_metric([], jobs.live_workers().count())
            waiting.add_metric([], sms.waiting())
        except Exception:  # noqa: BLE001 - the database is down: vaora_database_up says so
            return
        yield by_status
        yield workers
        yield waiting


REGISTRY.register(DatabaseHealth())
REGISTRY.register(QueueState())


def _registry():
    """This process's metrics, or every process's in prometheus-client's multiprocess mode."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(DatabaseHealth())
    registry.register(QueueState())
    return registry


def metrics_view(request):
    if not settings.VAORA_METRICS:
        raise Http404
    token = settings.VAORA_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return HttpResponse("metrics token required\n", status=401,
                                content_type="text/plain; charset=utf-8")  # fmt: skip
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


def http_metrics(get_response):
    """Middleware: counts every answer by its status class (2xx, 3xx, 4xx, 5xx)."""

    def middleware(request):
        response = get_response(request)
        HTTP.labels(status_class=f"{response.status_code // 100}xx").inc()
        return response

    return middleware
