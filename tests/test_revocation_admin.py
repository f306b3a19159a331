"""The admin screens of the store: they render, search, filter, revoke, never leak a token."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from django_jwt_ext import create_access_token, create_refresh_token, decode_token
from django_jwt_ext.models import IssuedRefreshToken, RevokedIdentity, RevokedToken
from django_jwt_ext.revocation import (
    is_token_revoked,
    record_refresh_token,
    revoke_token,
    revoke_user_tokens,
)

pytestmark = pytest.mark.django_db


def issued_refresh_token(user):
    """A refresh token as a login issues it: created, then recorded."""
    token = create_refresh_token(user)
    record_refresh_token(token, user)
    return token

MODELS = {
    "issued": IssuedRefreshToken,
    "revoked": RevokedToken,
    "logouts": RevokedIdentity,
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


@pytest.mark.parametrize("model", [IssuedRefreshToken, RevokedToken], ids=["issued", "revoked"])
def test_action_revoke_users(admin_client, user, django_user_model, model):
    bob = django_user_model.objects.create_user("bob")
    alice_refresh, alice_access = issued_refresh_token(user), create_access_token(user)
    bob_refresh, bob_access = issued_refresh_token(bob), create_access_token(bob)
    if model is RevokedToken:
        revoke_token(create_access_token(user))
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
    link = f'<a href="{reverse("admin:auth_user_change", args=[user.pk])}">alice</a>'
    for model in MODELS.values():
        assert link in admin_client.get(changelist(model)).content.decode()


def test_the_encoded_token_never_appears(admin_client, user):
    refresh, access = issued_refresh_token(user), create_access_token(user)
    revoke_token(access, reason="logout")
    revoke_token(refresh, reason="logout")
    revoke_user_tokens(user)
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
    # ... while the jti, which is what the store keeps, is shown.
    assert decode_token(refresh)["jti"] in admin_client.get(pages[0]).content.decode()


def test_records_cannot_be_typed_in(admin_client):
    for model in MODELS.values():
        url = reverse(f"admin:django_jwt_ext_{model._meta.model_name}_add")
        assert admin_client.get(url).status_code == 403
