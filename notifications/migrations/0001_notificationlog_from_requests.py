"""NotificationLog moves from the requests app: its rows stay.

The model is taken over in Django's state only (the table requests_notificationlog already
exists with its data), then the table is renamed, which keeps every row, index and key.
requests.0005 drops the model from the requests app's state, again without touching the table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("requests", "0004_source_in_person"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NotificationLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("key", models.CharField(max_length=200, unique=True)),
                        ("channel", models.CharField(max_length=16)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "help_request",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="requests.helprequest",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification sent",
                        "verbose_name_plural": "notifications sent",
                        "ordering": ["-created_at"],
                        "db_table": "requests_notificationlog",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="notificationlog", table=None),
    ]
