from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "fullrecord.access"
    label = "access"
    verbose_name = _("Access approvals")

    def ready(self) -> None:
        # Media playback knows nothing of access requests: this app tells it how a record
        # seen through one is played, and that the request must stay in force.
        from fullrecord.core import todo
        from fullrecord.media import playback

        from . import renditions
        from . import todo as access_todo

        todo.provider(access_todo.requests_to_decide)
        todo.provider(access_todo.copies_ready)

        playback.register_rendition_provider(renditions.rendition_for)
        playback.register_live_condition(renditions.REQUEST_IN_FORCE)
