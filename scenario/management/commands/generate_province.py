from django.core.management.base import BaseCommand, CommandError

from communes.models import Province
from scenario.generator import generate_province


class Command(BaseCommand):
    help = (
        "Generate a realistic province for benchmarks (deterministic for a seed): communes, villages, "
        "households with members, decided reviews for several years, plans with activities and spending, "
        "livelihood models with beneficiaries, conferences with participants."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communes", type=int, default=100)
        parser.add_argument("--households", type=int, default=150_000)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument(
            "--province-code", default="90", help="code of the generated province (must be new)"
        )

    def handle(self, *args, communes, households, years, seed, province_code, **options):
        if communes < 1 or households < communes or not 1 <= years <= 10:
            raise CommandError(
                "Give at least one commune, as many households as communes, and 1 to 10 years."
            )
        if Province.objects.filter(code=province_code).exists():
            raise CommandError(f"Province {province_code} already exists: give another --province-code.")
        counts = generate_province(
            communes=communes,
            households=households,
            years=years,
            seed=seed,
            code=province_code,
            progress=lambda line: self.stdout.write(line),
        )
        self.stdout.write("Generated: " + ", ".join(f"{count:,} {name}" for name, count in counts.items()))
