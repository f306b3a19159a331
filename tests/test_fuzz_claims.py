"""Claims signed with the server's key, of every JSON type and extreme value: never a 500.

Hypothesis builds tokens whose ``exp``, ``nbf``, ``iat``, ``sub``, ``jti``,
``type`` and ``fresh`` take valid, extreme and absurd values, signs them with
the server's key (so only the claims are hostile) and sends each to a
protected view, the refresh endpoint (rotation on) and the logout endpoint,
on every revocation backend. Every answer must be below 500.

The example count per backend comes from ``FUZZ_EXAMPLES`` (a few hundred by
default, so ``make test`` stays quick); ``make fuzz`` runs 3,400 per backend,
over 10,000 in all, and ``.ci/run`` runs it on PostgreSQL and Redis.
"""

import json
import os
import time

import jwt
import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from tests.conftest import SECRET
from tests.revocation_support import (  # noqa: F401 (fixtures)
    backend_path_fixture,
    isolated_cache_fixture,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
NOW = int(time.time())

# Strings a store may choke on: NUL, lone surrogates, long, digest lookalikes.
AWKWARD_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=20),
    st.sampled_from(["", "\x00", "a\udc80b", "\ud800", "sha256:" + "0" * 64, " 1", "01", "+1"]),
    st.integers(min_value=60, max_value=400).map(lambda n: "x" * n),
)
EXTREME_NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 2**31, 2**63, 2**64, 1e300, -1e300, NOW * 1000, 253402300800]),
)
JSON = st.recursive(
    st.none() | st.booleans() | EXTREME_NUMBERS | AWKWARD_TEXT,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


def times(around):
    """A NumericDate: usually plausible (so the token gets past PyJWT), sometimes anything."""
    return st.one_of(st.integers(around - 5, around + 5), EXTREME_NUMBERS, JSON)


def claim_values(user_pk):
    return {
        "exp": st.one_of(times(NOW + 900), st.integers(NOW + 60, 2**40)),
        "nbf": times(NOW - 5),
        "iat": times(NOW - 5),
        "sub": st.one_of(st.just(str(user_pk)), st.just(user_pk), AWKWARD_TEXT, JSON),
        "jti": st.one_of(st.uuids().map(str), AWKWARD_TEXT, JSON),
        "type": st.one_of(st.sampled_from(["access", "refresh"]), JSON),
        "fresh": st.one_of(st.booleans(), EXTREME_NUMBERS, JSON),
    }


@st.composite
def hostile_claims(draw, user_pk):
    claims = {}
    for name, values in claim_values(user_pk).items():
        if draw(st.integers(0, 9)):  # Each claim present nine times out of ten.
            claims[name] = draw(values)
    return claims


def sign(claims):
    # PyJWT writes NaN and Infinity as JSON extensions, which it also reads back.
    return jwt.encode(claims, SECRET, algorithm="HS256")


def answers(client, token):
    """Status codes of a protected view, the refresh endpoint and logout for ``token``."""
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    return [
        client.get("/api/protected", **bearer).status_code,
        client.post(reverse("django_jwt_ext:refresh"), **bearer).status_code,
        client.post(
            reverse("django_jwt_ext:logout"),
            data=json.dumps({"refresh_token": token}),
            content_type="application/json",
            **bearer,
        ).status_code,
    ]


def test_hostile_signed_claims_never_give_a_server_error(backend_path, settings, user):
    settings.JWT_REFRESH_TOKEN_ROTATION = True
    client = Client(raise_request_exception=False)
    failures = []

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=list(HealthCheck),
    )
    @given(hostile_claims(user.pk))
    def probe(claims):
        statuses = answers(client, sign(claims))
        if any(status >= 500 for status in statuses):
            failures.append((claims, statuses))
        assert all(status < 500 for status in statuses), (claims, statuses)

    probe()
    assert failures == []
