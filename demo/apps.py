from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run`, the tests and the bench (`manage.py seed_demo`).

    It imports the product apps; no product app imports it.
    """

    name = "demo"
    verbose_name = "Demo data"
