from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assistance import demo as assistance_demo
from communes import demo
from households import demo as households_demo


class Command(BaseCommand):
    help = (
        "Load the demo scenario (Kon Tum DOLISA helping Mường Hoong and Ngọc Linh, and their 2025 merger) "
        "and the demo sign-in. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (a production database)"
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. Add --force to load demo data anyway."
            )
        with transaction.atomic():
            demo.seed()
            households_demo.seed()
            assistance_demo.seed()
        self.stdout.write(
            f"Demo data ready. Sign in as {demo.DEMO_USERNAME!r} with password {demo.DEMO_PASSWORD!r}."
        )
