"""Concurrent writers against a running commune-assist, to show that no write is lost or refused."""

import html
import http.cookiejar
import ipaddress
import re
import secrets
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communes.models import Profile, Role
from households.models import Household

INPUT = re.compile(r"<input\b([^>]*)>", re.S)
SELECT = re.compile(r'<select\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', re.S)
TEXTAREA = re.compile(r'<textarea\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</textarea>', re.S)
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')
SELECTED = re.compile(r'<option\b[^>]*value="([^"]*)"[^>]*\bselected', re.S)
USERNAME = "load-test"


def form_values(page: str) -> dict[str, str]:
    """What a browser would post back from the page's form, unchanged."""
    values = {}
    for attributes in INPUT.findall(page):
        found = dict(ATTRIBUTE.findall(attributes))
        kind = found.get("type", "text")
        if (
            "name" not in found
            or kind in ("submit", "button")
            or (kind == "checkbox" and "checked" not in attributes)
        ):
            continue
        values.setdefault(found["name"], html.unescape(found.get("value", "")))
    for name, options in SELECT.findall(page):
        chosen = SELECTED.findall(options)
        values[name] = html.unescape(chosen[0]) if chosen else ""
    for name, text in TEXTAREA.findall(page):
        values[name] = html.unescape(text.strip("\n"))
    return values


@dataclass
class Writer:
    number: int
    household_id: int
    writes: int = 0
    last_value: str = ""
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "Load test: WRITERS users edit households of a running server at once for SECONDS seconds, then "
        "the database is checked for every write. Only against this machine (127.0.0.1); it changes "
        "household addresses, so run it on a demo or scratch database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running server")
        parser.add_argument("--writers", type=int, default=20)
        parser.add_argument("--seconds", type=float, default=30)
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, url, writers, seconds, force, **options):
        host = urllib.parse.urlsplit(url).hostname or ""
        if host != "localhost" and not _is_loopback(host):
            raise CommandError("The load test runs only against this machine (127.0.0.1 or localhost).")
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Add --force to write anyway.")
        households = list(Household.objects.order_by("pk").values_list("pk", flat=True)[:writers])
        if len(households) < writers:
            raise CommandError(
                f"The database has {len(households)} households; {writers} writers need one each."
            )
        password = secrets.token_urlsafe(24)
        _load_test_user(password)
        team = [Writer(number, pk) for number, pk in enumerate(households, start=1)]
        history_before = _history_counts(households)
        # The clock starts once every writer has signed in (hashing passwords is not the load measured).
        clock = {}
        signed_in = threading.Barrier(writers, action=lambda: clock.update(start=time.monotonic()))
        threads = [
            threading.Thread(target=_write, args=(url, password, w, signed_in, clock, seconds)) for w in team
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - clock["start"]
        self._report(team, history_before, elapsed)

    def _report(self, team, history_before, elapsed):
        households = Household.objects.filter(pk__in=[w.household_id for w in team])
        written = dict(households.values_list("pk", "address"))
        history_after = _history_counts(list(written))
        lost = sum(
            1
            for w in team
            if w.writes
            and (
                written[w.household_id] != w.last_value
                or history_after[w.household_id] - history_before[w.household_id] != w.writes
            )
        )
        writes = sum(w.writes for w in team)
        errors = [error for w in team for error in w.errors]
        latencies = sorted(latency for w in team for latency in w.latencies)
        median = statistics.median(latencies) if latencies else 0
        p95 = latencies[int(len(latencies) * 0.95)] if latencies else 0
        self.stdout.write(
            f"{len(team)} writers, {elapsed:.1f} s: {writes} writes ({writes / elapsed:.1f}/s), "
            f"median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"{len(errors)} errors, {lost} writers with a lost write"
        )
        for error in sorted(set(errors))[:10]:
            self.stdout.write(f"  error: {error}")
        if errors or lost or not all(w.writes for w in team):
            raise CommandError("Writes were refused or lost, or a writer wrote nothing.")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@transaction.atomic
def _load_test_user(password: str):
    user, _ = get_user_model().objects.update_or_create(username=USERNAME, defaults={"is_active": True})
    user.set_password(password)
    user.save()
    Profile.objects.update_or_create(
        user=user, defaults={"role": Role.DEPARTMENT_OFFICER, "all_communes": True}
    )
    return user


def _history_counts(households: list[int]) -> dict[int, int]:
    counts = dict.fromkeys(households, 0)
    for pk in Household.history.filter(id__in=households).values_list("id", flat=True):
        counts[pk] += 1
    return counts


def _write(
    url: str, password: str, writer: Writer, signed_in: threading.Barrier, clock: dict, seconds: float
):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def send(path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url + path, data=body, headers={"Referer": url + path})
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode(errors="replace")
        except OSError as error:  # refused, reset or timed out: the server did not answer
            return 0, url + path, str(error)

    try:
        _sign_in(send, password, writer)
    finally:
        signed_in.wait()
    if writer.errors:
        return
    deadline = clock["start"] + seconds
    edit = f"/households/{writer.household_id}/edit/"
    while time.monotonic() < deadline:
        status, _, page = send(edit)
        if status != 200:
            writer.errors.append(f"GET edit page: {status}")
            continue
        value = f"Load test, writer {writer.number}, write {writer.writes + 1}"
        started = time.monotonic()
        status, where, answer = send(edit, {**form_values(page), "address": value})
        writer.latencies.append(time.monotonic() - started)
        if status == 200 and where.rstrip("/").endswith(f"/households/{writer.household_id}"):
            writer.writes += 1
            writer.last_value = value
        else:
            locked = "database is locked" in answer
            writer.errors.append(f"POST edit: {status}{' (database is locked)' if locked else ''}")


def _sign_in(send, password: str, writer: Writer) -> None:
    status, _, page = send("/sign-in/")
    if status != 200:
        writer.errors.append(f"sign-in page: {status or page}")
        return
    status, where, page = send("/sign-in/", {**form_values(page), "username": USERNAME, "password": password})
    if "/sign-in/" in where:
        writer.errors.append(f"sign-in failed ({status})")
