from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "servplan.offices"
    label = "offices"
    verbose_name = "區營業處與人員"
