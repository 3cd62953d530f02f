"""Every encrypted column and blind index in the product is in the one registry that key
rotation walks (`shegong.core.sensitive.REGISTRY`): a new one that is not fails here."""

from django.apps import apps

from shegong.core.fields import EncryptedTextField
from shegong.core.sensitive import REGISTRY, TOKEN

# Hashes that are not blind indexes of personal data: the audit log's chain (integrity, SM3 over
# a row that is itself public to the auditor).
NOT_PERSONAL = {
    ("core.AuditLog", "prev_hash"),
    ("core.AuditLog", "hash"),
    ("core.AuditAnchor", "last_hash"),
    ("core.AuditVerification", "head_hash"),
}


def test_every_encrypted_column_and_blind_index_is_registered():
    registered = {(c.model, c.name) for c in REGISTRY}
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("shegong.") or "Historical" in model.__name__:
            continue
        for field in model._meta.concrete_fields:
            name = field.name
            if (
                isinstance(field, EncryptedTextField)
                or name.endswith(("_encrypted", "_hash"))
                or name in {"phone_key"}
                or "索引" in str(field.verbose_name)
            ):
                found.add((model._meta.label, name))
    assert found, "no sensitive columns found"
    found -= NOT_PERSONAL
    assert found - registered == set()
    assert registered - found == set()  # nothing stale in the registry


def test_registered_tokens_are_text_columns_and_indexes_have_a_source():
    for column in REGISTRY:
        field = apps.get_model(column.model)._meta.get_field(column.name)
        if column.kind == TOKEN:
            assert field.get_internal_type() == "TextField", column.label
        else:
            assert bool(column.of) != bool(column.plain), column.label
            assert field.max_length >= 59, column.label  # "sha256:<kid>:<43>" fits
