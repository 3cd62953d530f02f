"""The load test's working day (issue 18): what the platform's people do at once, as locust users.

Run by `bench/bench_load.py` (which makes the accounts, starts the production server and the
background worker, and writes the plan this file reads); by hand:

    SHEGONG_LOAD_PLAN=var/loadtest/plan.json .venv/bin/locust -f bench/locustfile.py \
        --headless -u 40 -r 4 -t 2m --host http://127.0.0.1:8765

Who (class weights: how many of the simulated users are of each kind, out of 14):

- station social workers (5): their due-visit list, a resident's page, the visit form and its
  POST (which enqueues the visit's background tasks);
- county department staff (3): the matters list (all, awaiting follow-up, overdue), a matter's
  page, a follow-up recorded on a closed matter (a handling POST), the residents list searched
  by name and a resident's page;
- leaders, national and provincial (1): the indicators dashboard, the pivot, the reports list,
  the overdue-visits roll-up, the matters analysis;
- the public (4): the portal's home, sites, activities and statistics, the petition form, and
  the public tracking of a matter by its number and the four digits;
- an API client, a county system pulling data with a token (1): residents and matters, lists and
  reads.

Staff sign in through the real sign-in form (CSRF token from the page, then the authenticator
code when the account has one, computed from its key as an authenticator app would). The public
visitors come through the load balancer (`X-Forwarded-For`, a different address each) as they
would in production, so that the per-address limits of the public pages count each visitor.
Every request is named by its page ("worker: due visits"), so the statistics are per page.
"""

from __future__ import annotations

import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from datetime import date
from hashlib import sha1
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ.get("SHEGONG_LOAD_PLAN", "var/loadtest/plan.json")).read_text())
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_next_account = {role: itertools.count() for role in PLAN["accounts"]}


def totp(key_hex: str, *, step: int = 30, digits: int = 6, at: float | None = None) -> str:
    """RFC 6238 (what django-otp's TOTPDevice checks with its defaults)."""
    counter = int((at if at is not None else time.time()) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


def links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, html)))


class SignedIn(HttpUser):
    """A member of staff: signs in once through the form, then works."""

    abstract = True
    role = ""

    def on_start(self) -> None:
        accounts = PLAN["accounts"][self.role]
        self.account = accounts[next(_next_account[self.role]) % len(accounts)]
        page = self.client.get("/accounts/login/", name="sign-in: form")
        response = self.client.post(
            "/accounts/login/",
            data={
                "username": self.account["username"],
                "password": self.account["password"],
                "csrfmiddlewaretoken": csrf_of(page.text),
            },
            name="sign-in: password",
        )
        if "/accounts/login/verify/" in response.url:
            key = self.account["totp_key"]
            code = totp(key)
            response = self.client.post(
                "/accounts/login/verify/",
                data={"code": code, "csrfmiddlewaretoken": csrf_of(response.text)},
                name="sign-in: authenticator code",
            )
        if "/accounts/login" in response.url:
            raise RuntimeError(f"{self.account['username']} could not sign in ({response.url})")

    def post_form(self, url: str, data: dict, *, name: str):
        """GET the form page, then POST it with the page's CSRF token."""
        page = self.client.get(url, name=f"{name} (form)")
        if page.status_code != 200:
            return page
        return self.client.post(
            url, data={**data, "csrfmiddlewaretoken": csrf_of(page.text)}, name=name
        )


class StationWorker(SignedIn):
    weight = 5
    role = "worker"
    wait_time = between(2, 6)

    def on_start(self) -> None:
        super().on_start()
        self.due: list[str] = []

    @task(6)
    def due_visits(self) -> None:
        page = self.client.get("/people/visits/mine/", name="worker: due visits")
        self.due = links(page.text, r'href="(/people/\d+/visit/)"')

    @task(3)
    def resident(self) -> None:
        if self.due:
            url = random.choice(self.due).removesuffix("visit/")
            self.client.get(url, name="worker: resident page")

    @task(2)
    def record_visit(self) -> None:
        if not self.due:
            return
        url = self.due.pop(random.randrange(len(self.due)))
        self.post_form(
            url,
            {
                "visited_on": date.today().isoformat(),
                "mode": random.choice(["home", "phone"]),
                "visitors": self.account["username"],
                "finding_health": "身体状况稳定（压测）",
                "finding_living": "生活能自理",
                "finding_safety": "",
                "finding_mood": "情绪良好",
                "needs": "",
            },
            name="worker: record visit",
        )


class CountyStaff(SignedIn):
    weight = 3
    role = "staff"
    wait_time = between(2, 6)

    def on_start(self) -> None:
        super().on_start()
        self.matters: list[str] = []
        self.followups: list[str] = []
        self.residents: list[str] = []

    @task(3)
    def matter_list(self) -> None:
        page = self.client.get("/petitions/", name="staff: matters list")
        self.matters = links(page.text, r'href="(/petitions/\d+/)"')

    @task(1)
    def overdue_matters(self) -> None:
        self.client.get("/petitions/?view=overdue", name="staff: matters overdue")

    @task(2)
    def awaiting_followup(self) -> None:
        page = self.client.get(
            "/petitions/?view=followup", name="staff: matters awaiting follow-up"
        )
        self.followups = links(page.text, r'href="(/petitions/\d+/)"')

    @task(3)
    def matter(self) -> None:
        if self.matters:
            self.client.get(random.choice(self.matters), name="staff: matter page")

    @task(1)
    def follow_up(self) -> None:
        if not self.followups:
            return
        url = self.followups.pop(random.randrange(len(self.followups)))
        self.client.get(url, name="staff: matter page")
        self.post_form(
            f"{url}do/follow_up/",
            {"method": "phone", "notes": "电话回访，信访人表示满意（压测）", "rating": "satisfied"},
            name="staff: record follow-up",
        )

    @task(2)
    def resident_search(self) -> None:
        name = random.choice(PLAN["names"])
        page = self.client.get(f"/people/?q={name}", name="staff: residents searched")
        self.residents = links(page.text, r'href="(/people/\d+/)"') or self.residents

    @task(1)
    def resident(self) -> None:
        if self.residents:
            self.client.get(random.choice(self.residents), name="staff: resident page")


class Leader(SignedIn):
    weight = 1
    role = "leader"
    wait_time = between(3, 8)

    @task(4)
    def dashboard(self) -> None:
        self.client.get("/indicators/dashboard/", name="leader: indicators dashboard")

    @task(2)
    def pivot(self) -> None:
        self.client.get("/indicators/pivot/", name="leader: indicators pivot")

    @task(1)
    def reports(self) -> None:
        self.client.get("/indicators/reports/", name="leader: reports")

    @task(1)
    def overdue_visits(self) -> None:
        self.client.get("/people/visits/overdue/", name="leader: overdue visits roll-up")

    @task(1)
    def analysis(self) -> None:
        self.client.get("/petitions/analysis/", name="leader: matters analysis")


class PublicVisitor(HttpUser):
    weight = 4
    wait_time = between(2, 6)

    def on_start(self) -> None:
        # A visitor behind the load balancer, which names the client in X-Forwarded-For.
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        self.client.headers["X-Forwarded-For"] = address
        self.sites: list[str] = []

    @task(3)
    def home(self) -> None:
        self.client.get("/portal/", name="public: portal home")

    @task(2)
    def sites_list(self) -> None:
        page = self.client.get("/portal/sites/", name="public: sites")
        self.sites = links(page.text, r'href="(/portal/sites/\d+/)"')

    @task(1)
    def site(self) -> None:
        if self.sites:
            self.client.get(random.choice(self.sites), name="public: site page")

    @task(1)
    def activities(self) -> None:
        self.client.get("/portal/activities/", name="public: activities")

    @task(1)
    def stats(self) -> None:
        self.client.get("/portal/stats/", name="public: statistics")

    @task(1)
    def petition_form(self) -> None:
        self.client.get("/petitions/public/submit/", name="public: petition form")

    @task(2)
    def track(self) -> None:
        number, suffix = random.choice(PLAN["tracking"])
        page = self.client.get("/petitions/public/track/", name="public: tracking (form)")
        self.client.post(
            "/petitions/public/track/",
            data={"number": number, "suffix": suffix, "csrfmiddlewaretoken": csrf_of(page.text)},
            name="public: tracking",
        )


class ApiClient(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {PLAN['api_token']}"
        self.resident_ids: list[int] = []
        self.matter_ids: list[int] = []

    @task(3)
    def residents(self) -> None:
        page = random.randint(1, 20)
        response = self.client.get(
            f"/api/v1/people/residents?page={page}", name="api: residents list"
        )
        if response.status_code == 200:
            self.resident_ids = [r["id"] for r in _items(response.json())]

    @task(3)
    def resident(self) -> None:
        if self.resident_ids:
            rid = random.choice(self.resident_ids)
            self.client.get(f"/api/v1/people/residents/{rid}", name="api: resident")

    @task(2)
    def matters(self) -> None:
        response = self.client.get(
            f"/api/v1/petitions/matters?page={random.randint(1, 20)}", name="api: matters list"
        )
        if response.status_code == 200:
            self.matter_ids = [m["id"] for m in _items(response.json())]

    @task(2)
    def matter(self) -> None:
        if self.matter_ids:
            pk = random.choice(self.matter_ids)
            self.client.get(f"/api/v1/petitions/matters/{pk}", name="api: matter")


def _items(body) -> list[dict]:
    """A list route's rows: a bare list, or django-ninja's paginated {"items": [...]}."""
    return body.get("items", []) if isinstance(body, dict) else body
