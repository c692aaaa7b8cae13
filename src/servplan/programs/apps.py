from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "servplan.programs"
    label = "programs"
    verbose_name = "執行計畫與評分表"
