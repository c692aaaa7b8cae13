from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "servplan.periods"
    label = "periods"
    verbose_name = "考核期間"
