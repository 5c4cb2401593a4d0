from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "councilbook.portal"
    label = "portal"
    verbose_name = "Medlemsportal"
    default_auto_field = "django.db.models.BigAutoField"
