"""Tracing's background job: writing a sent batch's notices and queueing its SMS."""

from django_tasks import task


@task()
def send_notices(batch_id: int) -> int:
    from vaora.tracing import alerts

    return alerts.write_notices(batch_id)
