"""GiST index for "nearest available volunteers first" on PostgreSQL (requests.matching).

An expression index on the built-in point type: no extension needed. Partial, so it holds only
the volunteers matching can offer to. SQLite (the demo) uses the volunteer_match B-tree index.
"""

from django.db import migrations

INDEX = "volunteer_base_point_gist"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON volunteers_volunteer "
        "USING gist (point(base_longitude, base_latitude)) "
        "WHERE status = 'verified' AND is_available AND base_latitude IS NOT NULL"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
