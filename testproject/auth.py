"""The demo's JWTManager, named by the JWT_MANAGER setting."""

from django_jwt_ext import JWTManager

# literalinclude-start: manager
jwt = JWTManager()


@jwt.additional_claims_loader
def add_claims(identity):
    """Mark every token the demo issues."""
    return {"demo": True}


# literalinclude-end: manager
