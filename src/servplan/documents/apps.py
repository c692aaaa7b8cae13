from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "servplan.documents"
    label = "documents"
    verbose_name = "文件輸出"
