import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A server: settings refuse to start it without CENTRA_ENV (see config/settings.py).
os.environ.setdefault("CENTRA_SERVING", "1")
application = get_asgi_application()
