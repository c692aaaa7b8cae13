from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "servplan.audit"
    label = "audit"
    verbose_name = "異動紀錄"
