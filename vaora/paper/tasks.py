"""Paper's background job: importing a large register upload."""

from django_tasks import task


@task()
def import_upload(upload_id: int) -> str:
    from vaora.paper import services

    return services.run_job(upload_id)
