from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (manage.py seed_demo): written through the same services as real use."""

    name = "demo"
