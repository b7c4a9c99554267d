"""Password validators (MLPS 2.0 level 3)."""


class _Base:
    def validate(self, password, user=None):
        return None

    def get_help_text(self):
        return ""


class RoleLengthValidator(_Base):
    pass


class CharacterClassValidator(_Base):
    pass


class NoUsernameValidator(_Base):
    pass


class HistoryValidator(_Base):
    pass
