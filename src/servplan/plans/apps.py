from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "servplan.plans"
    label = "plans"
    verbose_name = "區營業處執行計畫"
