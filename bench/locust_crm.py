"""The Locust scenario of a sales team at work (run by bench/load.py, which prepares the plan and the server).

Users are spread over reps (about 5 in 6) and managers, each logged in as one of the `large` demo's people
(``CRM_LOAD_PLAN``: a JSON file with their emails, the password and the open stages). A rep reads their
dashboard, lists and details of deals, companies and activities, logs activities and moves deals on the
pipeline board; a manager reads the team dashboard, a rep's dashboard, lists and details. Think time is
0.3-0.7 s (0.5 s on average) between requests.

    locust -f bench/locust_crm.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8000
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading

import gevent
from locust import FastHttpUser, between, task

PLAN = json.loads(open(os.environ["CRM_LOAD_PLAN"]).read()) if os.environ.get("CRM_LOAD_PLAN") else {}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
DEAL_LINK = re.compile(r'href="/deals/([0-9a-f-]{36})"')
COMPANY_LINK = re.compile(r'href="/companies/([0-9a-f-]{36})"')
CARD = re.compile(r'data-deal-id="([0-9a-f-]{36})" data-stage-id="([0-9a-f-]{36})" draggable="true" '
                  r'data-move-url="([^"]+)" data-version="(\d+)"')
_next = {"rep": itertools.count(), "manager": itertools.count()}
_lock = threading.Lock()
_logged_in = itertools.count(1)
# bench/load.py: measure this long once everyone has logged in (the statistics are reset then, and the
# file CRM_LOAD_MARKER written), then stop
MEASURE_SECONDS = float(os.environ.get("CRM_LOAD_SECONDS") or 0)


def logged_in(environment) -> None:
    """After the last user's login: the measured part starts (logins, argon2id each, are not measured)."""
    with _lock:
        everyone = next(_logged_in) == environment.parsed_options.num_users
    if everyone and MEASURE_SECONDS:
        environment.runner.stats.reset_all()
        if os.environ.get("CRM_LOAD_MARKER"):
            with open(os.environ["CRM_LOAD_MARKER"], "w") as marker:
                marker.write("measuring\n")
        gevent.spawn_later(MEASURE_SECONDS, environment.runner.quit)


def next_email(role: str) -> str:
    """The people of a role in turn: 100 users over 54 reps log in twice as some (each its own session)."""
    with _lock:
        emails = PLAN[f"{role}s"]
        return emails[next(_next[role]) % len(emails)]


class CrmUser(FastHttpUser):
    abstract = True
    wait_time = between(0.3, 0.7)
    role = "rep"

    def on_start(self) -> None:
        self.email = next_email(self.role)
        page = self.client.get("/login", name="/login")
        token = CSRF.search(page.text).group(1)
        self.client.post("/login", data={"email": self.email, "password": PLAN["password"], "csrf_token": token},
                         name="/login (POST)")  # fmt: skip
        self.deals: list[str] = []
        self.companies: list[str] = []
        self.csrf = token
        self.remember(self.client.get("/deals", name="/deals").text)
        logged_in(self.environment)

    def remember(self, html: str) -> None:
        """Keep the deal and company ids a page links to (details are read among them), and its CSRF token."""
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
        board = self.client.get("/pipeline", name="/pipeline").text
        self.remember(board)
        cards = CARD.findall(board)
        if not cards:
            return
        deal_id, stage_id, url, version = random.choice(cards)
        others = [s for s in PLAN["open_stages"] if s != stage_id]
        with self.client.post(url, name="/pipeline/deals/<id>/move (POST)", headers={"HX-Request": "true"},
                              data={"csrf_token": self.csrf, "stage_id": random.choice(others), "version": version},
                              catch_response=True) as response:  # fmt: skip
            if response.status_code != 200 or "Moved " not in response.text:
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
