"""Model fields for sensitive personal information."""

from __future__ import annotations

from django.db import models

from shegong.core import crypto


class EncryptedTextField(models.TextField):
    """Free text stored as a token of the field-encryption envelope (`core.crypto`) and read back
    as plain text, so forms, templates and the API see the text while the database, its backups
    and the history tables (django-simple-history copies the field) hold only ciphertext.

    Only "is it empty" can be asked of such a column (`exact`/`isnull`): searching or ordering by
    it is meaningless and is not offered. Plain text that predates encryption reads as it is until
    the app's data migration has encrypted it.
    """

    description = "Text encrypted at rest"
    ALLOWED_LOOKUPS = frozenset({"exact", "isnull"})

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value) if crypto.is_token(value) else value

    def to_python(self, value):
        if isinstance(value, str) and crypto.is_token(value):
            return crypto.decrypt(value)
        return super().to_python(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in self.ALLOWED_LOOKUPS:
            return None
        return super().get_lookup(lookup_name)
