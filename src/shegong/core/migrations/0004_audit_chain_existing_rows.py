"""Chain the audit rows written before the hash chain existed, oldest first (by time, then id),
in batches, with the same canonical form and hash that `shegong audit_verify` checks."""

from django.db import migrations

BATCH = 2000


def chain_existing(apps, schema_editor):
    from shegong.core.auditchain import GENESIS, canonical_bytes, digest

    AuditLog = apps.get_model("core", "AuditLog")
    using = schema_editor.connection.alias
    rows = AuditLog.objects.using(using).filter(seq__isnull=True).order_by("at", "id")
    seq, prev_hash = 0, GENESIS
    last = AuditLog.objects.using(using).filter(seq__isnull=False).order_by("-seq").first()
    if last is not None:
        seq, prev_hash = last.seq, last.hash
    pending = []
    for row in rows.iterator(chunk_size=BATCH):
        seq += 1
        row.seq, row.prev_hash = seq, prev_hash
        row.hash = digest(
            canonical_bytes(
                seq=row.seq,
                at=row.at,
                actor_id=row.actor_id,
                actor_name=row.actor_name,
                action=row.action,
                object_type=row.object_type,
                object_id=row.object_id,
                region_code=row.region_code,
                detail=row.detail,
                ip=row.ip,
                prev_hash=row.prev_hash,
            )
        )
        prev_hash = row.hash
        pending.append(row)
        if len(pending) >= BATCH:
            AuditLog.objects.using(using).bulk_update(pending, ["seq", "prev_hash", "hash"])
            pending = []
    if pending:
        AuditLog.objects.using(using).bulk_update(pending, ["seq", "prev_hash", "hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_audit_hash_chain"),
    ]

    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop, elidable=False),
    ]
