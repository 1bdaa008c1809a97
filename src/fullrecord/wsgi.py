import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fullrecord.settings")
application = get_wsgi_application()

from fullrecord.media.stream import SignedPlayback  # noqa: E402  (needs settings loaded)

# Signed playback URLs skip Django's middleware; each range is still checked against
# the database (media/stream.py, media/playback.py).
application = SignedPlayback(application)
