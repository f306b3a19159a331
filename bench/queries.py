"""P4: database queries per protected request and per refresh with rotation."""

from typing import Any

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from django_jwt_ext import create_access_token, create_refresh_token
from django_jwt_ext.revocation import record_refresh_token

from . import timing
from .fresh import bearer
from .report import Section
from .timing import Contender, Spread


def issued_refresh_token(user: Any) -> str:
    """A refresh token as a login issues it: created, then recorded (the issuing step)."""
    token = create_refresh_token(user)
    record_refresh_token(token, user)
    return token


# A refresh costs milliseconds: longer blocks, fewer rounds.
REFRESH_BLOCK_SECONDS = 0.1
REFRESH_ROUNDS = 10
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def data_queries(sql: list[str]) -> int:
    """Count the statements that are not transaction control (BEGIN, COMMIT, savepoints)."""
    return sum(1 for text in sql if not text.upper().startswith(TRANSACTION_CONTROL))


def captured(request) -> tuple[Any, list[str]]:
    """Send ``request()`` (a test client call); return its response and SQL."""
    with CaptureQueriesContext(connection) as queries:
        response = request()
    return response, [query["sql"] for query in queries.captured_queries]


def counted(sql: list[str]) -> Spread:
    return Spread(len(sql), len(sql), len(sql))


def checked(response: Any, status: int = 200) -> Any:
    if response.status_code != status:
        raise AssertionError(f"{response.status_code}: {response.content[:200]!r}")
    return response


def p4(user: Any, show_sql: bool = False) -> Section:
    from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

    section = Section(
        "P4  statements per request (CaptureQueriesContext), Django test client, full middleware"
    )
    client = Client()
    access = create_access_token(user)
    simple_access = str(AccessToken.for_user(user))

    def ours_plain():
        return checked(client.get("/ours/protected", **bearer(access)))

    def ours_drf():
        return checked(client.get("/ours/drf-protected", **bearer(access)))

    def simplejwt_drf():
        return checked(client.get("/simplejwt/protected", **bearer(simple_access)))

    for request in (ours_plain, ours_drf, simplejwt_drf):
        request()  # warm up: URL resolver, middleware chain
    _, plain_sql = captured(ours_plain)
    _, drf_sql = captured(ours_drf)
    _, simple_sql = captured(simplejwt_drf)
    section.value("simplejwt, DRF view (user lookup only)", str(len(simple_sql)))
    section.value("ours, DRF view, default settings", str(len(drf_sql)))
    section.figure(
        "P4a", "@jwt_required view, defaults: statements", counted(plain_sql), 1, unit="queries"
    )

    refresh_url = reverse("django_jwt_ext:refresh")

    def rotation() -> Any:
        return override_settings(JWT_REFRESH_TOKEN_ROTATION=True)

    def ours_refresh(token: str) -> Any:
        response = checked(client.post(refresh_url, **bearer(token)))
        assert "refresh_token" in response.json()
        return response

    def simplejwt_refresh(token: str) -> Any:
        response = checked(
            client.post("/simplejwt/refresh", {"refresh": token}, content_type="application/json")
        )
        assert "refresh" in response.json()
        return response

    with rotation():
        token = issued_refresh_token(user)  # its INSERT is the login's, not the refresh's
        _, refresh_sql = captured(lambda: ours_refresh(token))
    simple_token = str(RefreshToken.for_user(user))
    _, simple_refresh_sql = captured(lambda: simplejwt_refresh(simple_token))
    # A refresh token is exchanged once: each call gets a new one (made untimed).
    refreshes = timing.compare(
        [
            Contender("ours", ours_refresh, lambda: issued_refresh_token(user), rotation),
            Contender("simplejwt", simplejwt_refresh, lambda: str(RefreshToken.for_user(user))),
        ],
        rounds=REFRESH_ROUNDS,
        block_seconds=REFRESH_BLOCK_SECONDS,
    )
    section.value("simplejwt TokenRefreshView, rotation + blacklist", str(len(simple_refresh_sql)))
    section.figure(
        "P4b", "refresh endpoint with rotation: statements", counted(refresh_sql), 4, unit="queries"
    )
    section.value(
        "  (info) refresh without BEGIN/COMMIT/SAVEPOINT: ours / simplejwt",
        f"{data_queries(refresh_sql)} / {data_queries(simple_refresh_sql)}",
    )
    section.timing("  (info) time per refresh, ours", refreshes.seconds("ours"))
    section.timing("  (info) time per refresh, simplejwt", refreshes.seconds("simplejwt"))
    if show_sql:
        for name, sql in [
            ("ours, protected request", plain_sql),
            ("ours, refresh with rotation", refresh_sql),
            ("simplejwt, refresh with rotation", simple_refresh_sql),
        ]:
            section.note(f"SQL of {name}:")
            section.lines += [f"      {index}. {text}" for index, text in enumerate(sql, 1)]
    return section
