import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fullrecord.settings")
application = get_wsgi_application()

from fullrecord.media.fastpath import RangeFastPath  # noqa: E402  (needs settings loaded)

# Repeat range reads of an original skip Django's request cycle (see media/fastpath.py).
application = RangeFastPath(application)
