import io
import json
import statistics
import time

import openpyxl
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Max, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from assistance.models import Plan
from communes.models import Commune, Profile, Province, Role
from households.models import Household, HouseholdReview, ReviewRound


class Command(BaseCommand):
    help = (
        "Time the key pages on a generated province (see generate_province): for each page the query count, "
        "median and p95 time over N runs, and the time of its slowest SQL query alone. "
        "Prints a table, or JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=10)
        parser.add_argument("--province-code", default="90")
        parser.add_argument("--json", action="store_true", help="print JSON, to compare runs between commits")
        parser.add_argument(
            "--only", nargs="+", default=[], help="measure only pages whose name has these words"
        )

    def handle(self, *args, runs, province_code, json: bool, only, **options):
        province = Province.objects.filter(code=province_code).first()
        if province is None:
            raise CommandError(f"No province {province_code}: run `manage.py generate_province` first.")
        commune = Commune.objects.filter(province=province).order_by("code").first()
        officer = self.user("bench_officer", Role.DEPARTMENT_OFFICER, all_communes=True)
        commune_officer = self.user("bench_commune", Role.COMMUNE_OFFICER, communes=[commune])
        households = Household.objects.filter(commune=commune)
        household = households.order_by("pk").first()
        last_page = max(1, (Household.objects.filter(commune__province=province).count() + 49) // 50)
        round_ = ReviewRound.objects.filter(commune=commune).order_by("-year").first()
        plan = Plan.objects.filter(commune=commune).order_by("-from_year").first()
        pages = [
            ("dashboard", officer, "home", [], {}),
            ("dashboard (commune officer)", commune_officer, "home", [], {}),
            ("commune list", officer, "communes:list", [], {}),
            ("household list, first page", officer, "households:list", [], {}),
            ("household list, deep page", officer, "households:list", [], {"page": last_page}),
            (
                "household list, filtered",
                officer,
                "households:list",
                [],
                {"commune": commune.pk, "q": "nguyen"},
            ),
            ("household list (commune officer)", commune_officer, "households:list", [], {}),
            ("household detail", officer, "households:detail", [household.pk], {}),
            ("review round", officer, "households:round", [round_.pk], {}),
            ("commune summary", officer, "households:commune_summary", [commune.pk], {}),
            ("province summary", officer, "households:summary", [], {}),
            ("plan page", officer, "assistance:plan_detail", [plan.pk], {}),
            ("plan document (HTML)", officer, "assistance:plan_document", [plan.pk], {}),
            ("plan document (PDF)", officer, "assistance:plan_document_pdf", [plan.pk], {}),
            (
                "commune review summary (HTML)",
                officer,
                "households:commune_summary_document",
                [commune.pk],
                {},
            ),
            (
                "commune review summary (PDF)",
                officer,
                "households:commune_summary_document_pdf",
                [commune.pk],
                {},
            ),
            ("commune report tables (HTML)", officer, "households:commune_report_tables", [commune.pk], {}),
            (
                "province report tables (HTML)",
                officer,
                "households:province_report_tables",
                [province.pk],
                {},
            ),
            (
                "province report tables (PDF)",
                officer,
                "households:province_report_tables_pdf",
                [province.pk],
                {},
            ),
            (
                "province report tables (XLSX)",
                officer,
                "households:province_report_tables_xlsx",
                [province.pk],
                {},
            ),
            ("households XLSX export", officer, "households:export", [], self.export_filter(20_000)),
            (
                "decision with annexes (PDF)",
                officer,
                "households:round_decision_pdf",
                [round_.pk],
                {},
            ),
            (
                "all certificates of a decision (PDF)",
                officer,
                "households:round_certificates_pdf",
                [round_.pk],
                {},
            ),
        ]
        if only:
            pages = [page for page in pages if any(word in page[0] for word in only)]
        if not json:
            self.print_header(runs)
        results = []
        for label, user, name, pk_args, params in pages:
            results.append(self.measure(label, user, name, pk_args, params, runs))
            if not json:
                self.print_row(results[-1])
        if json:
            self.stdout.write(json_dumps(results))

    def export_filter(self, rows: int) -> dict:
        """The filter (year, category, livelihood) whose household export has the nearest to `rows` rows
        (one per current member): the size a commune or district asks for, not the whole province."""
        year = ReviewRound.objects.filter(state__in=ReviewRound.DECIDED_STATES).aggregate(Max("year"))[
            "year__max"
        ]
        groups = (
            HouseholdReview.objects.counting(year)
            .values_list("household__main_livelihood", "category")
            .annotate(rows=Count("household__members", filter=Q(household__members__left_on__isnull=True)))
        )
        livelihood, category, _rows = min(groups, key=lambda group: abs(group[2] - rows))
        return {"year": year, "category": category, "livelihood": livelihood}

    def user(self, username, role, *, all_communes=False, communes=()):
        user, _ = get_user_model().objects.get_or_create(username=username, defaults={"first_name": username})
        profile, _ = Profile.objects.update_or_create(
            user=user, defaults={"role": role, "all_communes": all_communes}
        )
        profile.communes.set(communes)
        return user

    def measure(self, label, user, name, pk_args, params, runs):
        try:
            url = reverse(name, args=pk_args)
        except NoReverseMatch:
            return {"page": label, "url": name, "missing": True}
        client = Client(
            HTTP_HOST=next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
        )
        client.force_login(user)
        client.get(url, params, secure=True)  # warm caches and the session
        times, queries, slowest = [], 0, None
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url, params, secure=True)
                if hasattr(response, "streaming_content"):
                    content = b"".join(response.streaming_content)
                times.append((time.perf_counter() - start) * 1000)
            queries = len(captured.captured_queries)
            reads = [
                q
                for q in captured.captured_queries
                if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
            ]
            slowest = max(reads, key=lambda q: float(q["time"]), default=None)
        sql_ms = self.time_sql(slowest["sql"], runs) if slowest else 0.0
        rows = None
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
            rows = sum(1 for _row in sheet.iter_rows()) - 1  # without the header
        median = statistics.median(times)
        return {
            "page": label,
            "url": url + (f"?{'&'.join(f'{k}={v}' for k, v in params.items())}" if params else ""),
            "status": response.status_code,
            "queries": queries,
            "median_ms": round(median, 1),
            "p95_ms": round(sorted(times)[max(0, int(len(times) * 0.95) - 1)], 1),
            "main_sql_ms": round(sql_ms, 1),
            "page_to_sql": round(median / sql_ms, 1) if sql_ms else None,
            "bytes": len(response.content) if not hasattr(response, "streaming_content") else len(content),
            "rows": rows,
        }

    def time_sql(self, sql, runs):
        times = []
        with connection.cursor() as cursor:
            for _ in range(runs):
                start = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    def print_header(self, runs):
        self.stdout.write(f"{connection.vendor}, {runs} runs per page (times in ms)")
        columns = ("status", 6), ("queries", 7), ("median", 8), ("p95", 8), ("main SQL", 9), ("page/SQL", 8)
        header = f"{'page':36} " + " ".join(f"{name:>{width}}" for name, width in columns)
        self.stdout.write(header)
        self.stdout.write("-" * len(header))

    def print_row(self, row):
        if row.get("missing"):
            self.stdout.write(f"{row['page']:36} {'—':>6}   (no URL {row['url']} in this build)")
            return
        ratio = f"{row['page_to_sql']:.1f}" if row["page_to_sql"] else "—"
        self.stdout.write(
            f"{row['page']:36} {row['status']:>6} {row['queries']:>7} {row['median_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {row['main_sql_ms']:>9.1f} {ratio:>8}"
            + (f"  ({row['rows']} rows)" if row.get("rows") is not None else "")
        )
        self.stdout.flush()


def json_dumps(results):
    return json.dumps({"database": connection.vendor, "pages": results}, ensure_ascii=False, indent=2)
