"""Authentication backend."""

from django.contrib.auth.backends import ModelBackend


class WenmingBackend(ModelBackend):
    pass
