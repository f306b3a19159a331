"""P2 and P2b: DRF ``JWTAuthentication.authenticate`` against simplejwt's, with a user lookup.

One interleaved comparison of five contenders, each authenticating a fresh
DRF ``Request`` with a new authentication instance (DRF makes one per
request): simplejwt (user lookup, one query); ours with the defaults (user
lookup and database revocation check, one query); ours on the lookup-only
path, by ``skip_revocation_check`` and by a project's own blocklist
callback; and ours with the ``cached_db`` backend over a local-memory cache
once its cache knows the token.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from . import timing
from .fresh import drf_request
from .report import Section
from .settings import LOCMEM_CACHE
from .timing import Contender
from .tokens import same_size

CACHED_DB_BACKEND = "django_jwt_ext.revocation.cached_db.CachedDatabaseBackend"


def queries_of(call: Any, argument: Any) -> str:
    """Count the statements of ``call(argument)`` and say whether they read the revocations."""
    from django_jwt_ext.models import RevokedToken

    with CaptureQueriesContext(connection) as queries:
        call(argument)
    revocations = any(RevokedToken._meta.db_table in query["sql"] for query in queries)
    return f"{len(queries)} query, {'user + revocations' if revocations else 'user only'}"


def cached_db() -> Any:
    return override_settings(
        JWT_REVOCATION_BACKEND=CACHED_DB_BACKEND, JWT_REVOCATION_CACHE_ALIAS=LOCMEM_CACHE
    )


def filled_by_check(token: str):
    """Return a setup: ``cached_db``, its cache filled by ``is_token_revoked`` for ``token``."""
    from django_jwt_ext import decode_token
    from django_jwt_ext.revocation import is_token_revoked

    @contextmanager
    def setup() -> Iterator[None]:
        with cached_db():
            is_token_revoked(decode_token(token))
            yield

    return setup


def contenders(ours_token: str, simple_token: str) -> list[Contender]:
    from rest_framework_simplejwt.authentication import (
        JWTAuthentication as SimpleJWTAuthentication,
    )

    from django_jwt_ext.authentication import JWTAuthentication

    class SkipRevocationCheck(JWTAuthentication):
        skip_revocation_check = True

    def simplejwt(request: Any) -> Any:
        return SimpleJWTAuthentication().authenticate(request)

    def ours(request: Any) -> Any:
        return JWTAuthentication().authenticate(request)

    def skip(request: Any) -> Any:
        return SkipRevocationCheck().authenticate(request)

    def fresh_ours() -> Any:
        return drf_request(ours_token)

    return [
        Contender("simplejwt", simplejwt, lambda: drf_request(simple_token)),
        Contender("ours", ours, fresh_ours),
        Contender("skip", skip, fresh_ours),
        Contender(
            "loader",
            ours,
            fresh_ours,
            lambda: override_settings(JWT_MANAGER="bench.managers.custom_blocklist"),
        ),
        Contender("cached_db", ours, fresh_ours, cached_db),
        # Informational: the warm path itself, whether or not requests fill the cache.
        Contender("cached_db_filled", ours, fresh_ours, filled_by_check(ours_token)),
    ]


def p2(user: Any) -> Section:
    section = Section(
        f"P2, P2b  DRF authenticate(): ours / simplejwt 5.5 (user lookup, 1 query),"
        f" {connection.vendor}, fresh DRF Request per call"
    )
    ours_token, simple_token = same_size(user)
    everyone = contenders(ours_token, simple_token)
    counts = {}
    for contender in everyone:
        with contender.setup():
            argument = contender.prepare()
            assert contender.call(argument)[0].pk == user.pk, contender.name
            # The second request with the token: a cached_db cache has seen it once.
            counts[contender.name] = queries_of(contender.call, contender.prepare())
    result = timing.compare(everyone)
    section.value(
        "token length: ours / simplejwt", f"{len(ours_token)} / {len(simple_token)} characters"
    )
    labels = {
        "simplejwt": "simplejwt JWTAuthentication().authenticate()",
        "ours": "ours, defaults: user + database revocation check",
        "skip": "ours, skip_revocation_check = True (lookup only)",
        "loader": "ours, own token_in_blocklist_loader (lookup only)",
        "cached_db": "ours, cached_db backend, warm local-memory cache",
        "cached_db_filled": "  (info) cached_db, cache filled by is_token_revoked",
    }
    for name, label in labels.items():
        section.timing(label, result.seconds(name))
    section.note("statements per call (the token's second request):")
    for name in labels:
        section.value(f"  {name}", counts[name])
    section.figure(
        "P2", "DRF authenticate, defaults / simplejwt", result.ratio("ours", "simplejwt"), 0.80
    )
    section.figure(
        "P2b-skip",
        "DRF, skip_revocation_check / simplejwt",
        result.ratio("skip", "simplejwt"),
        0.85,
    )
    section.figure(
        "P2b-loader",
        "DRF, own blocklist loader / simplejwt",
        result.ratio("loader", "simplejwt"),
        0.85,
    )
    section.value(
        "  (info) cached_db filled by is_token_revoked / simplejwt",
        f"{result.ratio('cached_db_filled', 'simplejwt').median:.2f}",
    )
    section.figure(
        "P2b-cached_db",
        "DRF, cached_db (warm, locmem) / simplejwt",
        result.ratio("cached_db", "simplejwt"),
        0.85,
    )
    return section
