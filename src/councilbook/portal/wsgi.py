"""The WSGI application for gunicorn: ``gunicorn councilbook.portal.wsgi`` (``councilbook portal serve`` does it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilbook.portal.settings")
application = get_wsgi_application()
