from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "servplan.imports"
    label = "imports"
    verbose_name = "文件匯入"
