"""The largest append-only tables become partitioned by time on PostgreSQL (core.partitioning).

Each table in `shegong.core.partitioning.PARTITIONED` is converted in place: the old table becomes
the first partition (everything up to the end of this month, attached under a CHECK constraint,
its rows neither copied nor rewritten), a DEFAULT partition and the next months' partitions are
made. Nothing changes in Django's model state (the models keep `id` as their pk) and nothing
happens on SQLite, which keeps plain tables. For a large existing database read "Partitioning"
in docs/deployment.md before applying it: each table is locked while its primary key
(id, <time column>) is built over the old rows.

Reversing it copies each table's rows back into a plain table (`unconvert`: fine for tests and
small databases; for a large one, a dump and restore of those tables is quicker).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from shegong.core.partitioning import convert_all

    convert_all(using=schema_editor.connection.alias)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from shegong.core.partitioning import unconvert_all

    unconvert_all(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_rate_limit_counter"),
        ("people", "0011_status_and_birth_date_on_category_links"),
        ("volunteers", "0005_record_beneficiary_resident"),
        ("funds", "0006_journal_line_posted_at"),
        ("inbox", "0012_subscribed_report_kind"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
