"""The Locust scenario of a sales team at work (run by bench/load.py, which prepares the plan and the server).

Users are spread over reps (about 5 in 6) and managers, each logged in as one of the `large` demo's people
(``CRM_LOAD_PLAN``: a JSON file with their emails, the password and the open stages). A rep reads their
dashboard, lists and details of deals, companies and activities, logs activities and moves deals on the
pipeline board; a manager reads the team dashboard, a rep's dashboard, lists and details. Think time is
0.3-0.7 s (0.5 s on average) between requests. With more users than reps, two sessions of one rep may move
the same deal at once: the later move is answered 409 ("changed ... so it was not moved"), which is the app
doing its job (nothing overwritten): counted as a conflict, not an error.

    locust -f bench/locust_crm.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8000
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time

from locust import FastHttpUser, LoadTestShape, between, task

PLAN = json.loads(open(os.environ["CRM_LOAD_PLAN"]).read()) if os.environ.get("CRM_LOAD_PLAN") else {}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
DEAL_LINK = re.compile(r'href="/deals/([0-9a-f-]{36})"')
COMPANY_LINK = re.compile(r'href="/companies/([0-9a-f-]{36})"')
CARD = re.compile(r'data-deal-id="([0-9a-f-]{36})" data-stage-id="([0-9a-f-]{36})" draggable="true" '
                  r'data-move-url="([^"]+)" data-version="(\d+)"')
_next = {"rep": itertools.count(), "manager": itertools.count()}
_lock = threading.Lock()
_logged_in = itertools.count(1)
LOGGED_IN = [0]  # users whose login is done (on_start)
CONFLICTS = [0]  # moves answered 409 because another session moved the deal first (the level's count)


def next_email(role: str) -> str:
    """The people of a role in turn: 100 users over 54 reps log in twice as some (each its own session)."""
    with _lock:
        emails = PLAN[f"{role}s"]
        return emails[next(_next[role]) % len(emails)]


def logged_in(_environment) -> None:
    with _lock:
        LOGGED_IN[0] = next(_logged_in)


class Levels(LoadTestShape):
    """bench/load.py's levels (``CRM_LOAD_LEVELS``, e.g. ``50,100,200``) in one run, so users logged in for one
    level stay for the next: for each, spawn up to that many users, wait until all have logged in (logins,
    argon2id each, are not measured), reset the statistics, measure ``CRM_LOAD_SECONDS``, then append the
    level's figures as a JSON line to ``CRM_LOAD_RESULTS``. ``CRM_LOAD_MARKER``.<level>.start and .end files
    mark the measured part (bench/load.py reads the servers' CPU time then)."""

    levels = [int(n) for n in os.environ.get("CRM_LOAD_LEVELS", "").split(",") if n.strip()]
    seconds = float(os.environ.get("CRM_LOAD_SECONDS") or 60)
    spawn_rate = float(os.environ.get("CRM_LOAD_SPAWN_RATE") or 5)

    def __init__(self):
        super().__init__()
        self.level, self.measuring_since = 0, None

    def tick(self):
        if not self.levels or self.level >= len(self.levels):
            return None
        users = self.levels[self.level]
        if self.measuring_since is None:
            if LOGGED_IN[0] >= users:
                self.runner.stats.reset_all()
                CONFLICTS[0] = 0
                self.measuring_since = time.monotonic()
                mark(users, "start")
            return users, self.spawn_rate
        if time.monotonic() - self.measuring_since >= self.seconds:
            record(self.runner.stats, users)
            mark(users, "end")
            self.level, self.measuring_since = self.level + 1, None
            return self.tick()
        return users, self.spawn_rate


def mark(users: int, what: str) -> None:
    if os.environ.get("CRM_LOAD_MARKER"):
        open(f"{os.environ['CRM_LOAD_MARKER']}.{users}.{what}", "w").close()


def record(stats, users: int) -> None:
    total = stats.total
    endpoints = sorted(((entry.get_response_time_percentile(0.95), f"{entry.method} {entry.name}")
                        for entry in stats.entries.values() if entry.num_requests), reverse=True)  # fmt: skip
    line = {"users": users, "requests": total.num_requests, "failures": total.num_failures,
            "rps": total.num_requests / max(time.time() - total.start_time, 1e-9),
            "p50": total.get_response_time_percentile(0.5), "p95": total.get_response_time_percentile(0.95),
            "p99": total.get_response_time_percentile(0.99), "slowest": endpoints[:4], "conflicts": CONFLICTS[0],
            "errors": sorted({str(error.error)[:120] for error in stats.errors.values()})[:5]}  # fmt: skip
    with open(os.environ["CRM_LOAD_RESULTS"], "a") as results:
        results.write(json.dumps(line) + "\n")


class CrmUser(FastHttpUser):
    abstract = True
    wait_time = between(0.3, 0.7)
    role = "rep"

    def on_start(self) -> None:
        self.email = next_email(self.role)
        page = self.client.get("/login", name="/login")
        token = CSRF.search(page.text or "")
        token = token.group(1) if token else ""
        self.client.post("/login", data={"email": self.email, "password": PLAN["password"], "csrf_token": token},
                         name="/login (POST)")  # fmt: skip
        self.deals: list[str] = []
        self.companies: list[str] = []
        self.csrf = token
        self.remember(self.client.get("/deals", name="/deals").text)
        logged_in(self.environment)

    def remember(self, html: str | None) -> None:
        """Keep the deal and company ids a page links to (details are read among them), and its CSRF token."""
        html = html or ""  # a failed request has no body
        self.deals = list(dict.fromkeys(DEAL_LINK.findall(html)))[:25] or self.deals
        self.companies = list(dict.fromkeys(COMPANY_LINK.findall(html)))[:25] or self.companies
        token = CSRF.search(html)
        if token:
            self.csrf = token.group(1)

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/", name="/ (dashboard)")

    @task(3)
    def deal_list(self) -> None:
        page = random.choice(["", "?page=2", "?sort=value&dir=desc", "?status=open"])
        self.remember(self.client.get(f"/deals{page}", name="/deals").text)

    @task(4)
    def deal_detail(self) -> None:
        if self.deals:
            self.client.get(f"/deals/{random.choice(self.deals)}", name="/deals/<id>")

    @task(2)
    def companies_list(self) -> None:
        self.remember(self.client.get("/companies", name="/companies").text)

    @task(2)
    def company_detail(self) -> None:
        if self.companies:
            self.client.get(f"/companies/{random.choice(self.companies)}", name="/companies/<id>")

    @task(2)
    def activities_list(self) -> None:
        self.client.get("/activities", name="/activities")


class Rep(CrmUser):
    weight = 5
    role = "rep"

    @task(1)
    def log_activity(self) -> None:
        if not self.deals:
            return
        with self.client.post("/activities/new", name="/activities/new (POST)", allow_redirects=False, data={
            "csrf_token": self.csrf, "type": random.choice(["call", "email", "meeting"]), "status": "completed",
            "subject": "Load test follow-up", "details": "Talked through the proposal; they liked the pricing.",
            "date": "2026-12-01T10:30", "amount": "", "quantity": "1", "company_id": "", "contact_id": "",
            "deal_id": random.choice(self.deals)}, catch_response=True) as response:  # fmt: skip
            if response.status_code != 302:  # the form again: not saved
                response.failure(f"activity not saved: {response.status_code}")

    @task(1)
    def move_deal(self) -> None:
        board = self.client.get("/pipeline", name="/pipeline").text or ""
        self.remember(board)
        cards = CARD.findall(board)
        if not cards:
            return
        deal_id, stage_id, url, version = random.choice(cards)
        others = [s for s in PLAN["open_stages"] if s != stage_id]
        with self.client.post(url, name="/pipeline/deals/<id>/move (POST)", headers={"HX-Request": "true"},
                              data={"csrf_token": self.csrf, "stage_id": random.choice(others), "version": version},
                              catch_response=True) as response:  # fmt: skip
            if response.status_code == 409 and "so it was not moved" in (response.text or ""):
                CONFLICTS[0] += 1  # two sessions of one rep moved the same deal: told, nothing overwritten
                response.success()
            elif response.status_code != 200 or "Moved " not in (response.text or ""):
                response.failure(f"deal not moved: {response.status_code}")


class Manager(CrmUser):
    weight = 1
    role = "manager"

    @task(3)
    def team(self) -> None:
        self.client.get("/team", name="/team")

    @task(2)
    def rep_dashboard(self) -> None:
        if PLAN.get("reps_of", {}).get(self.email):
            rep = random.choice(PLAN["reps_of"][self.email])
            self.client.get(f"/team/reps/{rep}", name="/team/reps/<id>")
