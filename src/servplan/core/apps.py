from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "servplan.core"
    label = "core"
    verbose_name = "共用"
