"""The operator's page of the job queue (system administrators): what waits, runs and failed,
the live workers, when each periodic job last ran; a failed job can be run again."""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from vaora.core import jobs, sms


@login_required
@require_GET
def queue(request):
    overview = jobs.overview(request.user)
    rows = jobs.jobs_for(request.user, request.GET.get("status", ""))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "core/jobs.html", {"overview": overview, "page": page,
                                              "sms_waiting": sms.waiting()})  # fmt: skip


@login_required
@require_POST
def retry(request, job_id: uuid.UUID):
    jobs.retry(request.user, job_id)
    return redirect("core:jobs")
