from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "servplan.public"
    label = "public"
    verbose_name = "公開資訊"
