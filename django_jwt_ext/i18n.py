"""Marking message ids for translation without Django's translation machinery."""


def gettext_noop(message: str) -> str:
    """Return ``message`` unchanged; ``makemessages`` collects it as a message id.

    Django's ``gettext_noop`` reads the settings, so the module constants of a
    package imported before settings are configured cannot use it (Django's
    ``global_settings`` defines its own for the same reason). Translate the
    constant with ``gettext`` where the message is given.
    """
    return message
