"""Paper registers, the business rules: who may upload for a venue, where the file waits, and
how an upload runs — in the request when small, in a background thread with progress when
large. The spooled file holds personal data, so it is private to the server user and deleted
as soon as the import ends; refused rows are kept encrypted for the clerk to download."""

import logging
import os
import threading
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from vaora.core import audit
from vaora.core.errors import VaoraError
from vaora.paper import importer
from vaora.paper.models import PaperUpload, Status
from vaora.venues.models import Venue
from vaora.venues.services import require_gate_staff

logger = logging.getLogger(__name__)
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


def _progress(upload: PaperUpload, raw):
    def report(current: importer.Report) -> None:
        upload.total_rows, upload.stored = current.total_rows, current.stored
        upload.duplicates, upload.rejected = current.duplicates, current.rejected
        try:
            upload.bytes_done = raw.tell()
        except (OSError, ValueError):
            pass
        upload.save(update_fields=["total_rows", "stored", "duplicates", "rejected",
                                   "bytes_done"])  # fmt: skip

    return report


def run(upload: PaperUpload, path: Path, *, spooled: bool = True) -> PaperUpload:
    """Imports the file of an upload and records the result; a spooled copy is deleted."""
    upload.status = Status.RUNNING
    upload.save(update_fields=["status"])
    try:
        with open(path, "rb") as raw:
            report, rejected = importer.import_register(
                upload.venue, raw, upload.filename, uploaded_by=upload.uploaded_by,
                progress=_progress(upload, raw),
            )  # fmt: skip
        upload.status = Status.DONE
        upload.errors, upload.rejected_csv = report.errors, rejected
        upload.total_rows, upload.stored = report.total_rows, report.stored
        upload.duplicates, upload.rejected = report.duplicates, report.rejected
    except VaoraError as error:
        upload.status = Status.FAILED
        upload.error_code, upload.error_vi, upload.error_en = (
            error.code, error.message_vi, error.message_en)  # fmt: skip
    except Exception:
        upload.status = Status.FAILED
        upload.error_code = "import_failed"
        upload.error_vi = "Nhập tệp bị lỗi giữa chừng. Các dòng đã lưu vẫn còn; hãy tải lại tệp."
        upload.error_en = "The import failed part-way. Stored rows are kept; upload the file again."
        raise
    finally:
        upload.finished_at = timezone.now()
        upload.bytes_done = upload.size_bytes
        upload.save()
        if spooled:
            path.unlink(missing_ok=True)
        audit.record(upload.uploaded_by, "paper.imported", target=upload.venue,
                     row_count=upload.stored,
                     details={"upload": upload.pk, "status": upload.status,
                              "rows": upload.total_rows, "rejected": upload.rejected})  # fmt: skip
    return upload


def _run_in_background(upload_id: int, path: Path) -> None:
    close_old_connections()
    try:
        run(
            PaperUpload.objects.for_system("the import it started")
            .select_related("venue", "uploaded_by")
            .get(pk=upload_id),
            path,
        )
    except Exception:  # noqa: BLE001 - recorded on the upload; a thread has nobody to tell
        logger.exception("paper upload %s failed", upload_id)
    finally:
        connection.close()  # this thread's own connection: nobody else will close it


def start(user, venue: Venue, uploaded_file) -> PaperUpload:
    """Spools an uploaded register and imports it (now if small, else in the background)."""
    require_gate_staff(user, venue)
    _check_file(uploaded_file.name, uploaded_file.size)
    upload = PaperUpload.objects.create(venue=venue, uploaded_by=user,
                                        filename=os.path.basename(uploaded_file.name)[:200],
                                        size_bytes=uploaded_file.size)  # fmt: skip
    path = spool_dir() / f"upload-{upload.pk}{Path(upload.filename).suffix.lower()}"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in uploaded_file.chunks():
            out.write(chunk)
    if uploaded_file.size <= INLINE_BYTES:
        return run(upload, path)
    threading.Thread(target=_run_in_background, args=(upload.pk, path), daemon=True,
                     name=f"paper-upload-{upload.pk}").start()  # fmt: skip
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
