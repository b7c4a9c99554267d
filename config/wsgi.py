"""WSGI entry point: the full middleware stack, and a lean one for the public hot POSTs (wenming.web.wsgi)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

from wenming.web.wsgi import Application

application = Application()
