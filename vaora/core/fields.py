"""EncryptedTextField: text stored encrypted at rest, decrypted on read."""

from django.core.exceptions import FieldError
from django.db import models

from vaora.core import crypto


class EncryptedTextField(models.TextField):
    """Stores AES-GCM ciphertext. Equality lookups are impossible by design (each write uses a
    fresh nonce): look values up through a blind-index column instead."""

    def _context(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return crypto.decrypt(value, self._context())

    def get_prep_value(self, value):
        if value is None:
            return None
        return crypto.encrypt(str(value), self._context())

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.name} is encrypted: filter on its blind index, not with '{lookup_name}'."
            )
        return super().get_lookup(lookup_name)
