"""Carries the households of a merged commune's former communes over to it (households.merger_services)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communes.models import Commune
from households.merger_services import carry_households_over


class Command(BaseCommand):
    help = (
        "Carry the households of a merged commune's former communes over to it on the merger date, with "
        "their current members; the old records end that day and keep their reviews. Running it again "
        "carries nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commune", required=True, help="Code of the new commune, e.g. 23300.")
        parser.add_argument("--user", required=True, help="Username recorded as the author of the change.")
        parser.add_argument(
            "--on",
            type=datetime.date.fromisoformat,
            help="Merger date, YYYY-MM-DD (default: its establishment).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be carried, change nothing."
        )

    def handle(self, *args, commune, user, on, dry_run, **options):
        try:
            commune = Commune.objects.get(code=commune)
        except Commune.DoesNotExist:
            raise CommandError(f"No commune with code {commune}.") from None
        except Commune.MultipleObjectsReturned:
            raise CommandError(f"Several communes have the code {commune}.") from None
        try:
            user = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {user}.") from None
        try:
            with transaction.atomic():
                carried = carry_households_over(commune=commune, on=on, by=user)
                transaction.set_rollback(dry_run)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied:
            raise CommandError(f"{user} may not change households.") from None
        verb = "Would carry (dry run, nothing saved)" if dry_run else "Carried"
        self.stdout.write(
            f"{verb} {carried.households} households and {carried.members} members over to {commune}."
        )
