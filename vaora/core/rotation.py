"""Data-key rotation (`vaora rotate-data-key`): every encrypted value is sealed again with the
current VAORA_DATA_KEY and every blind index recomputed with it, in batches, each batch one
transaction with its checkpoint — so an interrupted run goes on where it stopped. Lookups by
phone and CCCD keep working throughout: until a row is re-indexed it is found by its old key's
index (crypto.blind_indexes), which is why the old key stays in VAORA_OLD_DATA_KEYS until
`remaining()` says nothing is left under it.

Which models hold encrypted fields is read from the models themselves; which index columns a
row derives from them, each app says ("crypto.reindex" hook: {model label: fn(row) -> names of
the index fields it set})."""

import dataclasses
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from vaora.core import crypto, hooks
from vaora.core.errors import VaoraError
from vaora.core.fields import EncryptedTextField
from vaora.core.models import KeyRotation


@dataclasses.dataclass
class Target:
    model: type
    fields: list[str]  # the encrypted ones
    reindex: Callable | None

    @property
    def label(self) -> str:
        return self.model._meta.label


def targets() -> list[Target]:
    reindexers = {}
    for answer in hooks.answers("crypto.reindex"):
        reindexers.update(answer)
    found = []
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append(Target(model, fields, reindexers.get(model._meta.label)))
    return sorted(found, key=lambda t: t.label)


def _require_old_key() -> None:
    if not settings.VAORA_OLD_DATA_KEYS:
        raise VaoraError(
            "no_old_key",
            "Chưa có khóa cũ: đặt khóa mới vào VAORA_DATA_KEY và khóa cũ vào VAORA_OLD_DATA_KEYS "
            "trước khi xoay khóa.",
            "No old key: put the new key in VAORA_DATA_KEY and the old one in "
            "VAORA_OLD_DATA_KEYS before rotating.", 400,
        )  # fmt: skip


def _rotate_one(target: Target, batch_size: int, report: Callable) -> int:
    current = crypto.current_key_id()
    mark, _ = KeyRotation.objects.get_or_create(label=target.label,
                                                defaults={"key_id": current})  # fmt: skip
    if mark.key_id != current:  # a newer rotation: start this model again
        mark.key_id, mark.last_pk, mark.rows_done, mark.finished_at = current, 0, 0, None
        mark.save()
    if mark.finished_at:
        return 0
    rows = target.model._base_manager.order_by("pk")
    total = mark.rows_done + rows.filter(pk__gt=mark.last_pk).count()
    done_now = 0
    while chunk := list(rows.filter(pk__gt=mark.last_pk)[:batch_size]):
        with transaction.atomic():
            index_fields: set[str] = set()
            for row in chunk:
                if target.reindex:
                    index_fields.update(target.reindex(row))
            # Saving writes every encrypted field again, sealed with the current key.
            target.model._base_manager.bulk_update(chunk, [*target.fields, *sorted(index_fields)])
            mark.last_pk, mark.rows_done = chunk[-1].pk, mark.rows_done + len(chunk)
            mark.save(update_fields=["last_pk", "rows_done"])
        done_now += len(chunk)
        report(target.label, mark.rows_done, total)
    mark.finished_at = timezone.now()
    mark.save(update_fields=["finished_at"])
    return done_now


def rotate(*, batch_size: int = 1000, report: Callable = lambda label, done, total: None,
           only: str | None = None) -> dict[str, int]:  # fmt: skip
    """Re-encrypts and re-indexes every model (or `only` one, by label); returns rows per model
    done in this run."""
    _require_old_key()
    return {t.label: _rotate_one(t, batch_size, report) for t in targets()
            if only is None or t.label == only}  # fmt: skip


def remaining() -> dict[str, int]:
    """Values still sealed with another key than the current one, per model (read from the
    stored ciphertexts themselves, not from the checkpoints)."""
    prefix = f"{crypto.PREFIX}.{crypto.current_key_id()}.%"
    left = {}
    with connection.cursor() as cursor:
        for target in targets():
            table = target.model._meta.db_table
            columns = [target.model._meta.get_field(f).column for f in target.fields]
            old = " OR ".join(f'("{c}" IS NOT NULL AND "{c}" <> \'\' AND "{c}" NOT LIKE %s)'
                              for c in columns)  # fmt: skip
            cursor.execute(f'SELECT COUNT(*) FROM "{table}" WHERE {old}',  # noqa: S608
                           [prefix] * len(columns))  # fmt: skip
            left[target.label] = cursor.fetchone()[0]
    return left
