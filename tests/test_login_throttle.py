"""The login throttle stops guessing, not colleagues (issue 14, finding 4).

Within a test every request runs in one outer transaction, so now() does not
move: a pair's "seconds since its last failure" is 0 and its full delay applies.
"""

from __future__ import annotations

import pytest

from dashboard.services.login import wait_seconds
from dashboard.views.auth import LOGIN_FAILED
from tests.conftest import Auth, add_user, build_app, fetch_as

CONFIG = {
    "LOGIN_WINDOW_SECONDS": 900,
    "LOGIN_FREE_PAIR_FAILURES": 3,
    "LOGIN_BASE_DELAY_SECONDS": 2,
    "LOGIN_MAX_DELAY_SECONDS": 900,
    "LOGIN_MAX_ADDRESS_FAILURES": 50,
    "LOGIN_MAX_ACCOUNT_FAILURES": 10,
}


def from_address(client, address: str) -> None:
    client.environ_base["REMOTE_ADDR"] = address


def logged_in(client) -> bool:
    return client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("pair", "since", "expected"),
    [
        (2, 0.0, 0),  # within the three free failures
        (3, 0.0, 2),  # 2 s * 2^0
        (4, 1.0, 3),  # 2 s * 2^1 = 4 s, one already waited
        (6, 0.0, 16),  # 2 s * 2^3: each failure doubles the delay
        (6, 20.0, 0),  # waited long enough
        (30, 0.0, 900),  # 2 s * 2^27 capped at 15 minutes
    ],
)
def test_pair_delays_double_after_the_free_failures(pair, since, expected):
    assert wait_seconds(account=pair, pair=pair, from_address=pair, since_pair=since, config=CONFIG) == expected


def test_a_locked_account_lets_a_clean_address_in():
    # 10 failures on the account: addresses that failed wait the window, a clean one does not
    assert wait_seconds(account=10, pair=0, from_address=1, since_pair=None, config=CONFIG) == 900
    assert wait_seconds(account=10, pair=0, from_address=0, since_pair=None, config=CONFIG) == 0


def test_fifty_colleagues_log_in_from_one_address_within_a_minute(app, client, auth, users):
    """An office behind one address: successes never count against anyone."""
    emails = [f"office{n}@test.example" for n in range(50)]
    for email in emails:
        add_user(app, users["admin"]["id"], email)
    from_address(client, "198.51.100.7")
    answers = []
    for email in emails:
        answers.append(auth.login(email).status_code)
        client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    assert answers == [302] * 50


def test_six_wrong_passwords_slow_the_pair_not_the_account_from_elsewhere(app, client, auth, users):
    from_address(client, "203.0.113.10")
    answers = [auth.login(users["rep"]["email"], "wrong-password") for _ in range(6)]
    # three free failures, then the pair waits (2 s, doubling): the 4th to 6th are refused unchecked
    assert [r.status_code for r in answers] == [200, 200, 200, 429, 429, 429]
    assert LOGIN_FAILED in answers[0].get_data(as_text=True)
    assert answers[3].headers["Retry-After"] == "2"
    # even the right password waits from this address ...
    assert auth.login(users["rep"]["email"]).status_code == 429
    assert not logged_in(client)
    # ... while the same account from another address gets in at once
    elsewhere = app.test_client()
    from_address(elsewhere, "203.0.113.99")
    assert Auth(elsewhere).login(users["rep"]["email"]).status_code == 302
    assert logged_in(elsewhere)


def test_an_unknown_account_is_throttled_the_same_way(client, auth, users):
    from_address(client, "203.0.113.11")
    unknown = [auth.login("nobody@test.example", "x-wrong-password").status_code for _ in range(5)]
    from_address(client, "203.0.113.12")
    known = [auth.login(users["rep2"]["email"], "x-wrong-password").status_code for _ in range(5)]
    assert unknown == known == [200, 200, 200, 429, 429]


def test_address_failure_limit_is_configurable(app_url, users, db_session):
    strict = build_app(app_url, LOGIN_MAX_ADDRESS_FAILURES=4)
    with strict.app_context():
        client = strict.test_client()
        from_address(client, "192.0.2.44")
        auth = Auth(client)
        answers = [auth.login(f"spray{n}@test.example", "x-wrong-password").status_code for n in range(5)]
    # four accounts tried once each, then the address waits out the window
    assert answers == [200, 200, 200, 200, 429]


def test_locked_account_still_lets_its_owner_in_from_a_clean_address_and_admin_unlocks(app, client, auth, users):
    email = users["rep2"]["email"]
    for n in range(10):  # a spray from ten addresses, one failure each: the account is locked
        from_address(client, f"198.51.100.{n + 20}")
        assert auth.login(email, "wrong-password").status_code == 200
    from_address(client, "198.51.100.20")
    assert auth.login(email).status_code == 429
    owner = app.test_client()
    from_address(owner, "198.51.100.200")  # no recent failures from here
    assert Auth(owner).login(email).status_code == 302
    # the owner's success clears the lock for everyone
    assert auth.login(email).status_code == 302


def test_admin_unlock_forgets_the_failures(app, client, auth, users):
    email = users["rep2"]["email"]
    for n in range(10):
        from_address(client, f"198.51.101.{n + 20}")
        auth.login(email, "wrong-password")
    admin = app.test_client()
    admin_auth = Auth(admin)
    from_address(admin, "198.51.101.250")
    admin_auth.login(users["admin"]["email"])
    page = admin.get(f"/admin/users/{users['rep2']['id']}/edit").get_data(as_text=True)
    assert "10 failed logins recently." in page
    token = admin_auth.csrf_token(f"/admin/users/{users['rep2']['id']}/edit")
    admin.post(f"/admin/users/{users['rep2']['id']}/unlock", data={"csrf_token": token})
    from_address(client, "198.51.101.20")  # an address that failed before the unlock
    assert auth.login(email).status_code == 302


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(app, app_url, users, db_session):
    behind_proxy = build_app(app_url, TRUSTED_PROXIES=1)
    for flask_app, expected in ((app, "127.0.0.1/32"), (behind_proxy, "192.0.2.77/32")):
        client = flask_app.test_client()
        client.environ_base["REMOTE_ADDR"] = "127.0.0.1"
        client.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.77"
        with flask_app.app_context():
            Auth(client).login("proxy-check@test.example", "x-wrong-password")
        rows = fetch_as(
            app, users["admin"]["id"],
            "select ip::text from crm.login_attempts where email = 'proxy-check@test.example' order by id desc limit 1",
        )  # fmt: skip
        assert rows == [(expected,)]
