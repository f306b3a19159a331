"""Managers the benchmark names in ``JWT_MANAGER`` for some comparisons."""

from django_jwt_ext import JWTManager

#: flask-jwt-extended's default: a blocklist callback that answers "not revoked".
flask_defaults = JWTManager()


@flask_defaults.token_in_blocklist_loader
def never_revoked(jwt_header, jwt_data):
    """Answer ``False``, as flask-jwt-extended's default blocklist callback does."""
    return False
