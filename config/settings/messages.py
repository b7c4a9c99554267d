"""Settings for extracting one app's own English catalogue (scripts/messages.sh): with no LOCALE_PATHS,
``makemessages`` run inside ``wenming/<app>/`` writes to that app's ``locale/`` folder."""

from .local import *  # noqa: F403

LOCALE_PATHS: list = []
