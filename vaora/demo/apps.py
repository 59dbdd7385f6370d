from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for a whole province: the top layer, above every app it fills."""

    name = "vaora.demo"
    label = "demo"
    verbose_name = _("Demo data")
