"""Answer as a flask-jwt-extended 3.25.1 application would, driven by JSON.

Runs inside ``.venv-flask3`` (``make flask3-venv``: Python 3.9, Flask 1.1,
PyJWT 1.7), never in the project's own virtualenv, so it must stay valid
Python 3.9 and import nothing from the project.

Each line of standard input is one JSON request; each answer is one line of
JSON on standard output, in the same order. A request builds a new Flask
application, so requests never share state::

    {"config": {"JWT_SECRET_KEY": "...", ...},   # app.config, 3.x names
     "loaders": {"user_claims": {...}, ...},     # see register_loaders()
     "actions": [{"op": "mint", ...}, {"op": "request", ...}, ...]}

answers ``{"results": [...]}`` with one result per action, or
``{"error": "<traceback>"}`` when the request itself is malformed.

Actions:

``{"op": "versions"}``
    ``{"flask": ..., "flask_jwt_extended": ..., "jwt": ..., "werkzeug": ...}``.
``{"op": "mint", "kind": "access"|"refresh", "identity": ..., "fresh": bool
  or {"seconds": n}, "expires": null|false|{"seconds": n}, "claims": null|{...},
  "cookies": bool}``
    ``create_access_token``/``create_refresh_token`` (``claims`` is 3.x's
    ``user_claims`` argument); answers the token, its unverified header and
    payload, the identities the ``user_claims`` loader received (``calls``),
    and with ``cookies`` the cookies ``set_access_cookies`` or
    ``set_refresh_cookies`` would set, by name.
``{"op": "decode", "token": "..."}``
    ``decode_token``: ``{"claims": ...}`` or ``{"error": [type, message]}``.
``{"op": "request", "endpoint": "protected"|"optional"|"fresh"|"refresh",
  "body": "identity"|"claims", "method": "GET", "location": "headers"|
  "cookies"|"query_string"|"json", "token": "..." or "token_from": <index of
  a mint action>, "cookies": {...}, "csrf_header": null|"<name>",
  "csrf_value": "cookie"|"<literal>", "headers": {...}}``
    Calls the endpoint through Flask's test client with the token where
    ``location`` says, plus any other ``headers``, and answers ``{"status",
    "json", "calls"}``; ``calls`` lists, per loader, what each call received
    during that request.

The endpoints: ``/interop3/<endpoint>/identity`` answers
``{"identity", "type", "jti"}`` of the verified token and
``/interop3/<endpoint>/claims`` answers ``{"identity", "claims"}``
(``get_jwt_claims()``), behind ``jwt_required``, ``jwt_optional``,
``fresh_jwt_required`` and ``jwt_refresh_token_required`` respectively.
"""

import datetime
import json
import sys
import traceback
from http.cookies import SimpleCookie

import flask
import flask_jwt_extended as fjwt
import jwt
import werkzeug
from flask_jwt_extended.config import config as fjwt_config

DECORATORS = {
    "protected": fjwt.jwt_required,
    "optional": fjwt.jwt_optional,
    "fresh": fjwt.fresh_jwt_required,
    "refresh": fjwt.jwt_refresh_token_required,
}
LOADER_NAMES = ("user_claims", "claims_verification", "token_in_blacklist", "user_loader")


def identity_body():
    raw = fjwt.get_raw_jwt()
    return flask.jsonify(identity=fjwt.get_jwt_identity(), type=raw.get("type"), jti=raw.get("jti"))


def claims_body():
    return flask.jsonify(identity=fjwt.get_jwt_identity(), claims=fjwt.get_jwt_claims())


BODIES = {"identity": identity_body, "claims": claims_body}


def fill(template, identity):
    """Return ``template`` with every value ``"$identity"`` replaced by ``identity``."""
    return {key: identity if value == "$identity" else value for key, value in template.items()}


def error(status, message):
    return flask.jsonify(msg=message), status


def register_loaders(manager, specs, calls):
    """Register the 3.x loaders that ``specs`` describe; record their calls in ``calls``.

    ``user_claims``: a template dict (``"$identity"`` values become the identity).
    ``user_identity``: ``{"field": name}``, the identity is ``identity[name]``.
    ``claims_verification``: ``{"require": {...}}``, the user claims must hold these items.
    ``claims_verification_failed``: ``{"status": n, "msg": "..."}``.
    ``token_in_blacklist``: ``{"identities": [...]}``, tokens of these identities are revoked.
    ``user_loader``: ``{"unknown": [...]}``, these identities load no user.
    ``user_loader_error``: ``{"status": n, "prefix": "..."}``, message prefix + identity.
    """
    if "user_claims" in specs:
        template = specs["user_claims"]

        @manager.user_claims_loader
        def user_claims(identity):
            calls["user_claims"].append(identity)
            return fill(template, identity)

    if "user_identity" in specs:
        field = specs["user_identity"]["field"]
        manager.user_identity_loader(lambda identity: identity[field])

    if "claims_verification" in specs:
        required = specs["claims_verification"]["require"]

        @manager.claims_verification_loader
        def claims_verification(user_claims):
            calls["claims_verification"].append(user_claims)
            return all(user_claims.get(key) == value for key, value in required.items())

    if "claims_verification_failed" in specs:
        spec = specs["claims_verification_failed"]
        manager.claims_verification_failed_loader(lambda: error(spec["status"], spec["msg"]))

    if "token_in_blacklist" in specs:
        revoked = specs["token_in_blacklist"]["identities"]

        @manager.token_in_blacklist_loader
        def token_in_blacklist(decoded_token):
            identity = decoded_token.get(fjwt_config.identity_claim_key)
            calls["token_in_blacklist"].append(
                {
                    "identity": identity,
                    "type": decoded_token.get("type"),
                    "jti": decoded_token.get("jti"),
                }
            )
            return identity in revoked

    if "user_loader" in specs:
        unknown = specs["user_loader"]["unknown"]

        @manager.user_loader_callback_loader
        def user_loader(identity):
            calls["user_loader"].append(identity)
            return None if identity in unknown else {"name": identity}

    if "user_loader_error" in specs:
        spec = specs["user_loader_error"]
        manager.user_loader_error_loader(
            lambda identity: error(spec["status"], spec["prefix"] + str(identity))
        )


def make_app(config, loaders, calls):
    app = flask.Flask("flask3_peer")
    app.config.update(config)
    manager = fjwt.JWTManager(app)
    register_loaders(manager, loaders, calls)
    for endpoint, decorator in DECORATORS.items():
        for body, view in BODIES.items():
            name = f"{endpoint}-{body}"
            app.add_url_rule(
                f"/interop3/{endpoint}/{body}",
                name,
                decorator(view),
                methods=["GET", "POST"],
            )
    return app


def seconds(spec):
    """Turn ``{"seconds": n}`` into a timedelta; anything else passes unchanged."""
    if isinstance(spec, dict):
        return datetime.timedelta(seconds=spec["seconds"])
    return spec


def set_cookies_of(app, kind, token):
    """Return the cookies set_access_cookies/set_refresh_cookies set, by name."""
    response = flask.make_response("")
    if kind == "access":
        fjwt.set_access_cookies(response, token)
    else:
        fjwt.set_refresh_cookies(response, token)
    jar = {}
    for header in response.headers.getlist("Set-Cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            jar[name] = morsel.value
    return jar


def mint(app, action, calls):
    kind = action.get("kind", "access")
    identity = action.get("identity", "alice")
    expires = seconds(action.get("expires"))
    claims = action.get("claims")
    del calls["user_claims"][:]
    with app.test_request_context():
        if kind == "access":
            token = fjwt.create_access_token(
                identity,
                fresh=seconds(action.get("fresh", False)),
                expires_delta=expires,
                user_claims=claims,
            )
        else:
            token = fjwt.create_refresh_token(identity, expires_delta=expires, user_claims=claims)
        result = {
            "token": token,
            "header": jwt.get_unverified_header(token),
            "payload": jwt.decode(token, verify=False),
            "calls": {"user_claims": list(calls["user_claims"])},
        }
        if action.get("cookies"):
            result["cookies"] = set_cookies_of(app, kind, token)
    return result


def decode(app, action):
    with app.test_request_context():
        try:
            return {"claims": fjwt.decode_token(action["token"])}
        except Exception as exc:  # Every failure is an observation here.
            return {"error": [type(exc).__name__, str(exc)]}


def request(app, action, results, calls):
    refresh = action.get("endpoint") == "refresh"
    token = action.get("token")
    jar = dict(action.get("cookies") or {})
    if "token_from" in action:
        minted = results[action["token_from"]]
        token = minted["token"]
        jar.update(minted.get("cookies") or {})
    location = action.get("location", "headers")
    headers, query, kwargs = dict(action.get("headers") or {}), {}, {}
    client = app.test_client()
    if token is not None:
        if location == "headers":
            headers["Authorization"] = "Bearer " + token
        elif location == "cookies":
            if not jar:
                name = "refresh_token_cookie" if refresh else "access_token_cookie"
                jar[name] = token
            for name, value in jar.items():
                client.set_cookie("localhost", name, value)
        elif location == "query_string":
            query["jwt"] = token
        elif location == "json":
            kwargs["json"] = {"refresh_token" if refresh else "access_token": token}
        else:
            raise ValueError(location)
    if action.get("csrf_header"):
        value = action.get("csrf_value", "cookie")
        if value == "cookie":
            value = jar["csrf_refresh_token" if refresh else "csrf_access_token"]
        headers[action["csrf_header"]] = value
    for name in LOADER_NAMES:
        del calls[name][:]
    path = f"/interop3/{action['endpoint']}/{action.get('body', 'identity')}"
    try:
        response = client.open(
            path, method=action.get("method", "GET"), headers=headers, query_string=query, **kwargs
        )
    except Exception as exc:  # An unhandled error is a 500 in production.
        return {"status": 500, "json": None, "exception": [type(exc).__name__, str(exc)]}
    return {
        "status": response.status_code,
        "json": response.get_json(silent=True),
        "calls": {name: list(calls[name]) for name in LOADER_NAMES},
    }


def versions(app, action):
    return {
        "flask": flask.__version__,
        "flask_jwt_extended": fjwt.__version__,
        "jwt": jwt.__version__,
        "werkzeug": werkzeug.__version__,
        "python": "{}.{}.{}".format(*sys.version_info[:3]),
    }


def handle(message):
    calls = {name: [] for name in LOADER_NAMES}
    app = make_app(message.get("config", {}), message.get("loaders", {}), calls)
    # An unhandled error reaches request(), which answers 500 and names it.
    app.config["PROPAGATE_EXCEPTIONS"] = True
    results = []
    for action in message.get("actions", []):
        op = action["op"]
        if op == "mint":
            results.append(mint(app, action, calls))
        elif op == "decode":
            results.append(decode(app, action))
        elif op == "request":
            results.append(request(app, action, results, calls))
        elif op == "versions":
            results.append(versions(app, action))
        else:
            raise ValueError(f"unknown op {op!r}")
    return {"results": results}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = handle(json.loads(line))
        except Exception:
            answer = {"error": traceback.format_exc()}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
