import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communes.models import Commune, District, Province
from communes.services import apply_merger

LEVELS = {"province": Province, "district": District, "commune": Commune}


class DryRun(Exception):
    pass


def parse_date(text: str) -> datetime.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise CommandError(f"Date {text!r} is neither dd/mm/yyyy nor yyyy-mm-dd.")


class Command(BaseCommand):
    help = (
        "Merge administrative units on a date, in one transaction: the old units end, the new one "
        "(existing or created) becomes their successor; villages of merged communes carry on. "
        "Refuses overlapping or looping mergers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--level", choices=sorted(LEVELS), default="commune")
        parser.add_argument(
            "--old", nargs="+", required=True, metavar="CODE", help="codes of the merged units"
        )
        parser.add_argument("--new", required=True, metavar="CODE", help="code of the new unit")
        parser.add_argument("--date", required=True, type=parse_date, help="effective date, dd/mm/yyyy")
        parser.add_argument("--new-name", help="name of the new unit, when it does not exist yet")
        parser.add_argument("--province", metavar="CODE", help="province code of a new commune or district")
        parser.add_argument("--kind", help="kind of the new unit (e.g. commune, ward)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, change nothing")

    def handle(self, *args, level, old, new, date, new_name, province, kind, dry_run, **options):
        model = LEVELS[level]
        old_units = list(model.objects.filter(code__in=old))
        missing = set(old) - {unit.code for unit in old_units}
        if missing:
            raise CommandError(f"No {level} with code {', '.join(sorted(missing))}.")
        new_unit = model.objects.filter(code=new).first() or self.build_new_unit(
            model, new, new_name, province, kind
        )
        try:
            with transaction.atomic():
                villages = apply_merger(old_units=old_units, new_unit=new_unit, on=date)
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        names = ", ".join(unit.name for unit in old_units)
        verb = "Would merge" if dry_run else "Merged"
        self.stdout.write(
            f"{verb} {names} into {new_unit.name} ({new_unit.code}) on {date:%d/%m/%Y}; "
            f"{len(villages)} villages carried over."
        )

    def build_new_unit(self, model, code, name, province_code, kind):
        if not name:
            raise CommandError(f"No {model._meta.model_name} with code {code}: give --new-name to create it.")
        unit = model(code=code, name=name)
        if kind:
            unit.kind = kind
        if model in (Commune, District):
            if not province_code:
                raise CommandError("Give --province for a new commune or district.")
            unit.province = Province.objects.filter(code=province_code).first()
            if unit.province is None:
                raise CommandError(f"No province with code {province_code}.")
        return unit
