"""The admin screens of the store: they render, search, filter, revoke, never leak a token."""

import re
import uuid
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from django_jwt_ext import create_access_token, create_refresh_token, decode_token
from django_jwt_ext.admin import compact_datetime, shortened
from django_jwt_ext.models import IssuedRefreshToken, RevokedFamily, RevokedIdentity, RevokedToken
from django_jwt_ext.revocation import (
    is_token_revoked,
    record_refresh_token,
    revoke_token,
    revoke_user_tokens,
)
from django_jwt_ext.revocation.records import JTI_LENGTH, storable

pytestmark = pytest.mark.django_db


def issued_refresh_token(user):
    """A refresh token as a login issues it: created, then recorded."""
    token = create_refresh_token(user)
    record_refresh_token(token, user)
    return token


def revoked_family(user):
    """A refresh-token family revoked after a replay, as the store records it."""
    return RevokedFamily.objects.create(
        family=uuid.uuid4(),
        identity=str(user.pk),
        user=user,
        jti=str(uuid.uuid4()),
        reason="Refresh token reused",
    )


MODELS = {
    "issued": IssuedRefreshToken,
    "revoked": RevokedToken,
    "logouts": RevokedIdentity,
    "families": RevokedFamily,
}


def changelist(model):
    return reverse(f"admin:django_jwt_ext_{model._meta.model_name}_changelist")


def make_rows(django_user_model, count, start=0):
    """Create ``count`` users, each with one row in every model of the store."""
    now = timezone.now()
    names = [f"user{start + i:04d}" for i in range(count)]
    django_user_model.objects.bulk_create(django_user_model(username=name) for name in names)
    users = list(django_user_model.objects.filter(username__in=names).order_by("username"))
    IssuedRefreshToken.objects.bulk_create(
        IssuedRefreshToken(
            jti=str(uuid.uuid4()),
            family=uuid.uuid4(),
            identity=str(user.pk),
            user=user,
            issued_at=now - timedelta(days=i % 30),
            expires_at=now + timedelta(days=30),
        )
        for i, user in enumerate(users)
    )
    RevokedToken.objects.bulk_create(
        RevokedToken(
            jti=str(uuid.uuid4()),
            token_type="refresh" if i % 2 else "access",
            identity=str(user.pk),
            user=user,
            expires_at=now + timedelta(minutes=15),
            reason="logout",
        )
        for i, user in enumerate(users)
    )
    RevokedIdentity.objects.bulk_create(
        RevokedIdentity(identity=str(user.pk), user=user, revoked_before=now, reason="everywhere")
        for user in users
    )
    RevokedFamily.objects.bulk_create(
        RevokedFamily(
            family=uuid.uuid4(),
            identity=str(user.pk),
            user=user,
            jti=str(uuid.uuid4()),
            reason="Refresh token reused",
        )
        for user in users
    )
    return users


def result_jtis(response):
    return sorted(str(row) for row in response.context["cl"].result_list)


@pytest.mark.parametrize("name", list(MODELS))
def test_changelist_renders_many_rows_in_a_bounded_number_of_queries(
    name, admin_client, django_user_model
):
    url = changelist(MODELS[name])
    make_rows(django_user_model, 5)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200

    make_rows(django_user_model, 200, start=5)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 100  # one page of list_per_page

    # Session, admin user, the page's rows (users joined), the pagination
    # probe, the date hierarchy: a constant, whatever the number of rows.
    assert len(many) == len(few) <= 8, [q["sql"] for q in many.captured_queries]


def test_search_by_jti_and_by_username(admin_client, user, django_user_model):
    bob = django_user_model.objects.create_user("bob")
    alice_tokens = [decode_token(issued_refresh_token(user))["jti"] for _ in range(2)]
    bob_token = decode_token(issued_refresh_token(bob))["jti"]
    url = changelist(IssuedRefreshToken)

    assert result_jtis(admin_client.get(url, {"q": bob_token})) == [bob_token]
    assert result_jtis(admin_client.get(url, {"q": "alice"})) == sorted(alice_tokens)
    assert result_jtis(admin_client.get(url, {"q": "nobody"})) == []

    revoke_token(create_access_token(user), reason="logout")
    revoked = create_access_token(bob)
    revoke_token(revoked, reason="logout")
    response = admin_client.get(changelist(RevokedToken), {"q": decode_token(revoked)["jti"]})
    assert result_jtis(response) == [decode_token(revoked)["jti"]]
    assert (
        len(admin_client.get(changelist(RevokedToken), {"q": "alice"}).context["cl"].result_list)
        == 1
    )

    revoke_user_tokens(user)
    revoke_user_tokens(bob)
    response = admin_client.get(changelist(RevokedIdentity), {"q": "bob"})
    assert [row.user for row in response.context["cl"].result_list] == [bob]


def test_filters(admin_client, user):
    revoked_jti, kept_jti = (decode_token(issued_refresh_token(user))["jti"] for _ in range(2))
    old_jti = decode_token(issued_refresh_token(user))["jti"]
    IssuedRefreshToken.objects.filter(jti=old_jti).update(
        issued_at=timezone.now() - timedelta(days=40)
    )
    revoke_token({"jti": revoked_jti, "type": "refresh", "sub": str(user.pk)})
    revoke_token(create_access_token(user))
    url = changelist(IssuedRefreshToken)

    assert result_jtis(admin_client.get(url, {"revoked": "yes"})) == [revoked_jti]
    assert result_jtis(admin_client.get(url, {"revoked": "no"})) == sorted([kept_jti, old_jti])

    # Dates: the "Past 7 days" choice the issued-at filter offers.
    response = admin_client.get(url)
    (spec,) = [s for s in response.context["cl"].filter_specs if s.title == "issued at"]
    (past_week,) = [
        c for c in spec.choices(response.context["cl"]) if c["display"] == "Past 7 days"
    ]
    response = admin_client.get(url + past_week["query_string"])
    assert response.status_code == 200
    assert result_jtis(response) == sorted([revoked_jti, kept_jti])

    response = admin_client.get(changelist(RevokedToken), {"token_type__exact": "refresh"})
    assert result_jtis(response) == [revoked_jti]
    response = admin_client.get(changelist(RevokedToken), {"token_type__exact": "access"})
    assert len(response.context["cl"].result_list) == 1


def test_action_revoke_selected_refresh_tokens(admin_client, user):
    chosen, spared = issued_refresh_token(user), issued_refresh_token(user)
    chosen_row = IssuedRefreshToken.objects.get(jti=decode_token(chosen)["jti"])

    response = admin_client.post(
        changelist(IssuedRefreshToken),
        {"action": "revoke_selected", ACTION_CHECKBOX_NAME: [chosen_row.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Revoked 1 token." in [str(m) for m in response.context["messages"]]
    assert is_token_revoked(decode_token(chosen)) is True
    assert is_token_revoked(decode_token(spared)) is False
    assert RevokedToken.objects.get().reason == "Admin: admin"
    assert (
        admin_client.post("/api/refresh", HTTP_AUTHORIZATION=f"Bearer {chosen}").status_code == 401
    )


@pytest.mark.parametrize(
    "model", [IssuedRefreshToken, RevokedToken, RevokedFamily], ids=["issued", "revoked", "family"]
)
def test_action_revoke_users(admin_client, user, django_user_model, model):
    bob = django_user_model.objects.create_user("bob")
    alice_refresh, alice_access = issued_refresh_token(user), create_access_token(user)
    bob_refresh, bob_access = issued_refresh_token(bob), create_access_token(bob)
    if model is RevokedToken:
        revoke_token(create_access_token(user))
    if model is RevokedFamily:
        revoked_family(user)
    row = model.objects.get(user=user)

    response = admin_client.post(
        changelist(model), {"action": "revoke_users", ACTION_CHECKBOX_NAME: [row.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "Revoked every token of 1 user." in [str(m) for m in response.context["messages"]]
    assert RevokedIdentity.objects.get().user == user
    assert is_token_revoked(decode_token(alice_refresh)) is True
    assert is_token_revoked(decode_token(alice_access)) is True
    assert is_token_revoked(decode_token(bob_refresh)) is False
    assert is_token_revoked(decode_token(bob_access)) is False


def test_user_shows_as_a_link_to_the_user_admin(admin_client, user):
    issued_refresh_token(user)
    revoke_token(create_access_token(user))
    revoke_user_tokens(user)
    revoked_family(user)
    link = f'<a href="{reverse("admin:auth_user_change", args=[user.pk])}">alice</a>'
    for model in MODELS.values():
        assert link in admin_client.get(changelist(model)).content.decode()


def test_the_encoded_token_never_appears(admin_client, user):
    refresh, access = issued_refresh_token(user), create_access_token(user)
    revoke_token(access, reason="logout")
    revoke_token(refresh, reason="logout")
    revoke_user_tokens(user)
    revoked_family(user)
    pages = [changelist(model) for model in MODELS.values()]
    pages += [
        reverse(
            f"admin:django_jwt_ext_{model._meta.model_name}_change", args=[model.objects.first().pk]
        )
        for model in MODELS.values()
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for token in (refresh, access):
            assert token not in content
            assert token.rsplit(".", 1)[1] not in content  # not even the signature
    # ... while the jti, which is what the store keeps, is shown: whole in the
    # changelist's tooltip and in the change view.
    jti = decode_token(refresh)["jti"]
    assert f'title="{jti}"' in admin_client.get(pages[0]).content.decode()
    assert jti in admin_client.get(pages[len(MODELS)]).content.decode()


def test_records_cannot_be_typed_in(admin_client):
    for model in MODELS.values():
        url = reverse(f"admin:django_jwt_ext_{model._meta.model_name}_add")
        assert admin_client.get(url).status_code == 403


ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
DIGEST = storable("x" * (JTI_LENGTH + 1), JTI_LENGTH)


@pytest.mark.parametrize(
    ("value", "length", "html"),
    [
        (
            "7876ff18-bb94-4144-ae6e-d3a9536c75ed",
            8,
            '<span class="jwt-ext-value" title="7876ff18-bb94-4144-ae6e-d3a9536c75ed">'
            f"<span>7876ff18{ELLIPSIS}</span></span>",
        ),
        (
            DIGEST,
            8,
            f'<span class="jwt-ext-value" title="{DIGEST}">sha256:<wbr>'
            f"<span>{DIGEST[7:15]}{ELLIPSIS}</span></span>",
        ),
        # Digests keep 8 hex digits, whatever length readable values get.
        (
            DIGEST,
            24,
            f'<span class="jwt-ext-value" title="{DIGEST}">sha256:<wbr>'
            f"<span>{DIGEST[7:15]}{ELLIPSIS}</span></span>",
        ),
        # Nothing to hide: no ellipsis, no tooltip.
        ("42", 8, '<span class="jwt-ext-value"><span>42</span></span>'),
        ("123456789", 8, '<span class="jwt-ext-value"><span>123456789</span></span>'),
        (
            "alice@example.com",
            24,
            '<span class="jwt-ext-value"><span>alice@example.com</span></span>',
        ),
        (
            '<b>"x"</b>-0123456789',
            8,
            '<span class="jwt-ext-value" title="&lt;b&gt;&quot;x&quot;&lt;/b&gt;-0123456789">'
            f"<span>&lt;b&gt;&quot;x&quot;&lt;/{ELLIPSIS}</span></span>",
        ),
    ],
    ids=["uuid", "digest", "digest-identity", "tiny", "one-over", "identity", "escaped"],
)
def test_shortened_values(value, length, html):
    assert shortened(value, length) == html


def test_compact_dates_wrap_between_date_and_time_only(settings):
    settings.TIME_ZONE = "Europe/Paris"
    moment = datetime(2025, 7, 10, 15, 4, 5, tzinfo=dt_timezone.utc)
    assert compact_datetime(moment) == (
        '<time datetime="2025-07-10T17:04:05+02:00" title="2025-07-10T17:04:05+02:00">'
        "07/10/2025 5:04\N{NO-BREAK SPACE}p.m.</time>"
    )
    assert compact_datetime(None) is None


def row_cells(content, css_class):
    """The inner HTML of every changelist cell of the column ``css_class``."""
    return re.findall(rf'<t[dh] class="{css_class}"[^>]*>(.*?)</t[dh]>', content, re.S)


def test_changelists_show_short_identifiers_and_compact_dates(admin_client, user):
    long_jti = "sso-" + "0f1e2d3c" * 40
    token = create_refresh_token(user, additional_claims={"jti": long_jti})
    record_refresh_token(token, user)
    issued = IssuedRefreshToken.objects.get()
    assert issued.jti == storable(long_jti, JTI_LENGTH)

    content = admin_client.get(changelist(IssuedRefreshToken)).content.decode()
    (jti_cell,) = row_cells(content, "field-jti")
    assert f'title="{issued.jti}"' in jti_cell
    assert f"sha256:<wbr><span>{issued.jti[7:15]}{ELLIPSIS}</span>" in jti_cell
    assert issued.jti not in jti_cell.replace(f'title="{issued.jti}"', "")
    (family_cell,) = row_cells(content, "field-family")
    assert f"<span>{str(issued.family)[:8]}{ELLIPSIS}</span>" in family_cell
    (issued_cell,) = row_cells(content, "field-issued_at")
    assert issued_cell.startswith(
        f'<time datetime="{issued.issued_at.isoformat(timespec="seconds")}"'
    )
    (rotated_cell,) = row_cells(content, "field-used_at")
    assert rotated_cell == "-"
    # The stylesheet that lets reasons and usernames wrap.
    assert "django_jwt_ext/admin.css" in content
    assert finders.find("django_jwt_ext/admin.css")


def test_reasons_are_shown_whole(admin_client, user):
    # As long as the column holds (255), without trailing space (which some
    # Django versions trim when rendering).
    reason = ("Laptop stolen; " + "every session ends. " * 12)[:255].rstrip()
    revoke_token(create_access_token(user), reason=reason)
    revoke_user_tokens(user, reason=reason)
    for model in (RevokedToken, RevokedIdentity):
        content = admin_client.get(changelist(model)).content.decode()
        assert row_cells(content, "field-reason") == [reason]


def test_logouts_of_identities_without_user(admin_client):
    identity = "https://idp.example.com/subjects/" + "a1b2c3" * 50
    revoke_user_tokens(identity, reason="partner offboarded")
    stored = RevokedIdentity.objects.get().identity
    assert stored.startswith("sha256:")

    content = admin_client.get(changelist(RevokedIdentity)).content.decode()
    (identity_cell,) = row_cells(content, "field-identity")
    assert f'title="{stored}"' in identity_cell
    assert f"{stored[7:15]}{ELLIPSIS}" in identity_cell
    # No user to link, and the identity is not repeated in the user column.
    assert row_cells(content, "field-user_display") == ["-"]


@pytest.mark.parametrize(
    ("model", "column", "field"),
    [
        (IssuedRefreshToken, 1, "jti"),
        (IssuedRefreshToken, 3, "issued_at"),
        (IssuedRefreshToken, 7, "family"),
        (RevokedToken, 4, "revoked_at"),
        (RevokedIdentity, 1, "identity"),
        (RevokedFamily, 2, "jti"),
    ],
)
def test_shortened_and_date_columns_sort_by_their_field(
    admin_client, django_user_model, model, column, field
):
    make_rows(django_user_model, 5)
    for direction in ("", "-"):
        response = admin_client.get(changelist(model), {"o": f"{direction}{column}"})
        shown = [getattr(row, field) for row in response.context["cl"].result_list]
        assert shown == sorted(shown, reverse=direction == "-")
        assert len(set(shown)) > 1


def test_user_column_falls_back_to_the_identity_shortened(admin_client):
    service = "svc:billing-reconciliation-worker-eu-west-1"
    revoke_token(create_access_token(service), reason="rotated")
    content = admin_client.get(changelist(RevokedToken)).content.decode()
    assert row_cells(content, "field-user_display") == [
        f'<span class="jwt-ext-value" title="{service}">'
        f"<span>{service[:24]}{ELLIPSIS}</span></span>"
    ]
