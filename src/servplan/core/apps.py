from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "servplan.core"
    label = "core"
    verbose_name = "共用"

    def ready(self):
        from servplan.core import throttle  # noqa: F401  (connects the login signal receivers)
