"""Django's makemessages, without guessing: a new string gets an empty
translation, never a "fuzzy" copy of a similar one (which the site would ignore
and a volunteer might not notice)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
