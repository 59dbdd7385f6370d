"""Paper registers, the business rules: who may upload for a venue, where the file waits, and
how an upload runs — in the request when small, as a job of the worker when large (with
progress, resumable after a restart, cancellable). The spooled file holds personal data, so it
is private to the server user and deleted as soon as the import ends; refused rows are kept
encrypted for the clerk to download."""

import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from vaora.core import audit
from vaora.core.errors import VaoraError
from vaora.paper import importer
from vaora.paper.models import PaperUpload, Status
from vaora.venues.models import Venue
from vaora.venues.services import require_gate_staff

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
INLINE_BYTES = 512 * 1024  # smaller files are imported before the page answers
ACCEPTED = (".csv", ".txt", ".xlsx")


def spool_dir() -> Path:
    path = settings.VAR_DIR / "paper-spool"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _check_file(name: str, size: int) -> None:
    if not name.lower().endswith(ACCEPTED):
        raise VaoraError("unsupported_file", "Chỉ nhận tệp .csv hoặc .xlsx.",
                         "Only .csv and .xlsx files are accepted.", 400)  # fmt: skip
    if size > MAX_UPLOAD_BYTES:
        raise VaoraError(
            "file_too_large", "Tệp quá lớn (tối đa 200 MB). Hãy chia nhỏ tệp.",
            "The file is too large (200 MB at most). Please split it.", 413,
        )  # fmt: skip
    if size == 0:
        raise VaoraError("empty_file", "Tệp rỗng.", "The file is empty.", 400)


def uploads_for(user, venue: Venue):
    require_gate_staff(user, venue)
    return PaperUpload.objects.visible_to(user).filter(venue=venue)


def get_upload(user, venue: Venue, upload_id: int) -> PaperUpload:
    upload = uploads_for(user, venue).filter(pk=upload_id).first()
    if upload is None:
        raise VaoraError("not_found", "Không tìm thấy lần tải lên này.",
                         "This upload was not found.", 404)  # fmt: skip
    return upload


def rejected_rows(upload: PaperUpload) -> bytes:
    """The refused rows as CSV (already formula-safe; see importer.RejectedRows)."""
    if not upload.rejected_csv:
        raise VaoraError("nothing_rejected", "Tệp này không có dòng bị từ chối.",
                         "No row of this upload was refused.", 404)  # fmt: skip
    return upload.rejected_csv.encode("utf-8")


class Cancelled(Exception):
    """The clerk cancelled the import: what was stored stays, the rest is not read."""


CANCELLED = ("cancelled", "Đã dừng nhập theo yêu cầu. Các dòng đã lưu vẫn được giữ.",
             "The import was cancelled. The rows already stored are kept.")  # fmt: skip
FILE_GONE = ("file_gone", "Tệp tải lên không còn trên máy chủ; hãy tải lại.",
             "The uploaded file is no longer on the server; upload it again.")  # fmt: skip


def _progress(upload: PaperUpload):
    def report(current: importer.Report, line: int, position: int | None) -> None:
        uploads = PaperUpload.objects.for_system("the upload this import runs")
        if uploads.filter(pk=upload.pk, cancel_requested=True).exists():
            raise Cancelled
        upload.total_rows, upload.stored = current.total_rows, current.stored
        upload.duplicates, upload.rejected = current.duplicates, current.rejected
        upload.resume_line = line
        if position is not None:
            upload.bytes_done = position
        upload.save(update_fields=["total_rows", "stored", "duplicates", "rejected",
                                   "bytes_done", "resume_line"])  # fmt: skip

    return report


def _fail(upload: PaperUpload, code: str, vi: str, en: str) -> None:
    upload.status = Status.CANCELLED if code == "cancelled" else Status.FAILED
    upload.error_code, upload.error_vi, upload.error_en = code, vi, en


def run(upload: PaperUpload, path: Path, *, spooled: bool = True) -> PaperUpload:
    """Imports the file of an upload and records the result; a spooled copy is deleted. An
    upload interrupted before (the worker was killed) goes on after its last stored line."""
    resume = None
    if upload.resume_line:
        resume = importer.Checkpoint(upload.resume_line, upload.stored, upload.duplicates)
    upload.status = Status.RUNNING
    upload.save(update_fields=["status"])
    keep_file = False
    try:
        with open(path, "rb") as raw:
            report, rejected = importer.import_register(
                upload.venue, raw, upload.filename, uploaded_by=upload.uploaded_by,
                now=upload.created_at, progress=_progress(upload), resume=resume,
            )  # fmt: skip
        upload.status = Status.DONE
        upload.errors, upload.rejected_csv = report.errors, rejected
        upload.total_rows, upload.stored = report.total_rows, report.stored
        upload.duplicates, upload.rejected = report.duplicates, report.rejected
    except Cancelled:
        _fail(upload, *CANCELLED)
    except VaoraError as error:
        _fail(upload, error.code, error.message_vi, error.message_en)
    except Exception:
        _fail(upload, "import_failed",
              "Nhập tệp bị lỗi giữa chừng. Các dòng đã lưu vẫn còn; có thể chạy lại.",
              "The import failed part-way. Stored rows are kept; it can be run again.")  # fmt: skip
        keep_file = True  # a retry from the operator page goes on where this run stopped
        raise
    finally:
        upload.finished_at = timezone.now()
        upload.bytes_done = upload.size_bytes
        upload.save()
        if spooled and not keep_file:
            path.unlink(missing_ok=True)
        audit.record(upload.uploaded_by, "paper.imported", target=upload.venue,
                     row_count=upload.stored,
                     details={"upload": upload.pk, "status": upload.status,
                              "rows": upload.total_rows, "rejected": upload.rejected})  # fmt: skip
    return upload


def spool_path(upload: PaperUpload) -> Path:
    return spool_dir() / f"upload-{upload.pk}{Path(upload.filename).suffix.lower()}"


def run_job(upload_id: int) -> str:
    """The worker's import of a large upload (paper/tasks.py). Safe to run again: a finished or
    cancelled upload is left alone, an interrupted one resumes."""
    upload = (PaperUpload.objects.for_system("the import job it runs")
              .select_related("venue", "uploaded_by").get(pk=upload_id))  # fmt: skip
    resumable = upload.status in (Status.QUEUED, Status.RUNNING) or (
        upload.status == Status.FAILED and upload.error_code == "import_failed")  # fmt: skip
    if not resumable:
        return upload.status
    path = spool_path(upload)
    if upload.cancel_requested or not path.exists():
        _fail(upload, *(CANCELLED if upload.cancel_requested else FILE_GONE))
        upload.finished_at = timezone.now()
        upload.save()
        path.unlink(missing_ok=True)
        return upload.status
    return run(upload, path).status


def cancel(user, venue: Venue, upload_id: int) -> PaperUpload:
    """Stops an import that is waiting or running; the rows it already stored stay."""
    upload = get_upload(user, venue, upload_id)
    if upload.status not in (Status.QUEUED, Status.RUNNING):
        raise VaoraError("not_running", "Lần tải lên này đã kết thúc.",
                         "This upload has already finished.", 409)  # fmt: skip
    PaperUpload.objects.for_system("an upload the clerk may see").filter(pk=upload.pk).update(
        cancel_requested=True
    )
    audit.record(user, "paper.cancelled", target=venue, details={"upload": upload.pk})
    if upload.status == Status.QUEUED:  # not started: it ends now (the job finds it cancelled)
        run_job(upload.pk)
    upload.refresh_from_db()
    return upload


def start(user, venue: Venue, uploaded_file) -> PaperUpload:
    """Spools an uploaded register and imports it (now if small, else as a worker job)."""
    require_gate_staff(user, venue)
    _check_file(uploaded_file.name, uploaded_file.size)
    upload = PaperUpload.objects.create(venue=venue, uploaded_by=user,
                                        filename=os.path.basename(uploaded_file.name)[:200],
                                        size_bytes=uploaded_file.size)  # fmt: skip
    path = spool_path(upload)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in uploaded_file.chunks():
            out.write(chunk)
    if uploaded_file.size <= INLINE_BYTES:
        return run(upload, path)
    from vaora.paper.tasks import import_upload

    import_upload.enqueue(upload.pk)
    return upload


def import_file(venue: Venue, path: Path, *, actor=None) -> PaperUpload:
    """The CLI's import: the file stays where it is; the upload is recorded like any other."""
    _check_file(path.name, path.stat().st_size)
    upload = PaperUpload.objects.create(venue=venue, uploaded_by=actor, filename=path.name[:200],
                                        size_bytes=path.stat().st_size)  # fmt: skip
    return run(upload, path, spooled=False)


def purge(now) -> dict[str, int]:
    """Uploads keep their refused rows (names, phones): they go with the visits."""
    from vaora.core.retention import cutoff

    return {
        "paper_uploads": PaperUpload.objects.for_system("retention purge")
        .filter(created_at__lt=cutoff(now))
        .delete()[0]
    }
