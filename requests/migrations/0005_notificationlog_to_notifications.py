"""NotificationLog now belongs to the notifications app (notifications.0001 took over the
table and its rows): forget it here without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0004_source_in_person"),
        ("notifications", "0001_notificationlog_from_requests"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="NotificationLog")],
            database_operations=[],
        ),
    ]
