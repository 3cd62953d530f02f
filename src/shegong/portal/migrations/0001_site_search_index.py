"""A trigram index for the public directory's text search (PostgreSQL only).

The directory searches the organisations registry's sites by `name || ' ' || address || ' ' ||
services` with LIKE '%…%'. On PostgreSQL a pg_trgm GIN index on exactly that expression serves
it (CJK text included); SQLite scans, which is fine at its scale. The index lives on the
orgs table but belongs to the portal's query, so the portal owns it (docs/decisions/
volunteers-0001-portal-hsds-matching-statistics.md).
"""

from django.db import migrations

INDEX = "portal_site_search_trgm"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON orgs_organisation USING gin "
    "((name || ' ' || address || ' ' || services) gin_trgm_ops)"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
