"""What this app's management commands share."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext


class TranslatedCommand(BaseCommand):
    """A command whose ``help`` is a message id (``gettext_noop``), shown in the active language.

    argparse cannot format lazy translations, so the help is translated when
    the parser is built, as the arguments' help texts are (``add_arguments``
    calls ``gettext``).
    """

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = gettext(self.help)
        return parser
