"""Django Channels: authenticate WebSocket connections with the shared pipeline.

Install the ``channels`` extra. The handshake's token is verified once, by
:func:`~django_jwt_ext.pipeline.averify`, on a request-like view of the ASGI
scope (:class:`HandshakeRequest`); afterwards every message the client sends
has the token judged again (expiry and revocation,
:func:`~django_jwt_ext.pipeline.arevalidate`) before the consumer sees it.

Close codes are 4000 plus the HTTP status of the matching refusal
(RFC 6455 leaves 4000-4999 to applications): :data:`UNAUTHORIZED` (4401)
for a token that is missing, invalid, expired or revoked,
:data:`UNAVAILABLE` (4503) when the revocation store or the ``JWT_JWKS_URL``
key set cannot be reached.
"""

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any

from channels.middleware import BaseMiddleware
from channels.sessions import CookieMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.http import QueryDict
from django.http.cookie import parse_cookie
from django.utils.translation import gettext

from .exceptions import (
    ConfigurationError,
    InvalidQueryParamError,
    JWTExtendedException,
    ServiceUnavailableError,
)
from .pipeline import Requirements, VerifiedJWT, arevalidate, averify

logger = logging.getLogger("django_jwt_ext.channels")

#: Close code: the token is missing, invalid, expired, revoked or no longer fresh.
UNAUTHORIZED = 4401
#: Close code: the revocation store or the JWKS cannot be reached (the connection fails closed).
UNAVAILABLE = 4503
# A handshake has no body: the JSON location cannot apply.
HANDSHAKE_LOCATIONS = ("headers", "cookies", "query_string")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class HandshakeRequest:
    """The WebSocket handshake as the token locators read a request: ``META``,
    ``COOKIES``, ``GET`` and the method, built from the ASGI scope here only.

    Headers are read as Django's ASGI handler reads them (latin-1, repeated
    headers joined). A query string with more fields than
    ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` raises Django's ``SuspiciousOperation``.
    """

    method = "GET"

    def __init__(self, scope: Scope):
        meta: dict[str, str] = {}
        for raw_name, raw_value in scope.get("headers", ()):
            name = "HTTP_" + raw_name.decode("latin-1").upper().replace("-", "_")
            value = raw_value.decode("latin-1")
            if name == "HTTP_COOKIE":
                value = value.rstrip("; ")
                if name in meta:
                    value = meta[name] + "; " + value
            elif name in meta:
                value = meta[name] + "," + value
            meta[name] = value
        query_string = scope.get("query_string", b"")
        if isinstance(query_string, bytes):
            query_string = query_string.decode("latin-1")
        meta["QUERY_STRING"] = query_string
        self.META = meta
        self.path = scope.get("path", "")
        self.COOKIES = parse_cookie(meta.get("HTTP_COOKIE", ""))
        self.GET = QueryDict(query_string)


def close_code(error: JWTExtendedException) -> int:
    return UNAVAILABLE if isinstance(error, ServiceUnavailableError) else UNAUTHORIZED


class JWTAuthMiddleware(BaseMiddleware):
    """Accept WebSocket connections whose handshake carries a valid access token.

    ``scope["user"]`` is the token's user (a
    :class:`~django_jwt_ext.token_user.TokenUser` when ``JWT_USER_LOOKUP =
    None``) and ``scope["jwt"]`` its claims. The token is looked for in the
    configured locations (``JWT_TOKEN_LOCATION``, or ``locations``) among the
    query string, the cookies and the header; the JSON location does not
    apply to a handshake.

    A refused handshake is closed before acceptance, before the consumer
    runs (servers answer the client with 403); the reason is logged on
    ``django_jwt_ext.channels``.
    A message received after the token expired or was revoked is not passed
    on: the connection is closed with 4401 (4503 if the store cannot be
    reached) and the consumer receives ``websocket.disconnect``.

    :param optional: a handshake without any token passes, as ``AnonymousUser``
        with empty claims.
    :param fresh: require a fresh token.
    :param locations: where to look (a name or a list).

    Connections other than WebSockets pass through untouched.
    """

    def __init__(
        self,
        inner: Any,
        *,
        optional: bool = False,
        fresh: bool = False,
        locations: str | Sequence[str] | None = None,
    ):
        super().__init__(inner)
        self.requirements = Requirements.of(
            locations,  # type: ignore[arg-type]
            optional=optional,
            fresh=fresh,
        )

    def handshake_requirements(self) -> Requirements:
        """Return the requirements with the locations a handshake can carry a token in."""
        locations = tuple(
            location
            for location in self.requirements.token_locations
            if location in HANDSHAKE_LOCATIONS
        )
        if not locations:
            raise ConfigurationError(
                gettext("JWTAuthMiddleware needs one of the locations %(needed)s; got %(got)s.")
                % {
                    "needed": ", ".join(HANDSHAKE_LOCATIONS),
                    "got": self.requirements.token_locations,
                }
            )
        return replace(self.requirements, locations=locations)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> Any:
        if scope.get("type") != "websocket":
            return await self.inner(scope, receive, send)
        requirements = self.handshake_requirements()
        try:
            try:
                request = HandshakeRequest(scope)
            except SuspiciousOperation as exc:  # Too many query-string fields.
                raise InvalidQueryParamError(str(exc)) from exc
            verified = await averify(request, requirements)
        except JWTExtendedException as exc:
            return await refuse(scope, receive, send, exc)
        if verified is None or verified.location is None:
            scope = dict(scope, user=AnonymousUser(), jwt={})
            return await self.inner(scope, receive, send)
        scope = dict(scope, user=verified.user, jwt=verified.claims)
        connection = Connection(scope, verified, receive, send)
        return await self.inner(scope, connection.receive, connection.send)


class Connection:
    """One accepted connection: judges the token again on every message received."""

    def __init__(self, scope: Scope, verified: VerifiedJWT, receive: Receive, send: Send):
        self.path = scope.get("path", "")
        self.verified = verified
        self.upstream_receive = receive
        self.upstream_send = send
        self.closed = False

    async def receive(self) -> Message:
        message = await self.upstream_receive()
        if message.get("type") != "websocket.receive" or self.closed:
            return message
        try:
            await arevalidate(self.verified)
        except JWTExtendedException as exc:
            code = close_code(exc)
            logger.info("Closed the WebSocket on %s with %s: %s", self.path, code, exc)
            self.closed = True
            await self.upstream_send({"type": "websocket.close", "code": code})
            # The consumer sees the connection end, not the message.
            return {"type": "websocket.disconnect", "code": code}
        return message

    async def send(self, message: Message) -> None:
        # After this middleware closed the connection, the server would
        # refuse (and log) anything the consumer still sends.
        if not self.closed:
            await self.upstream_send(message)


async def refuse(scope: Scope, receive: Receive, send: Send, error: JWTExtendedException) -> None:
    """Close the handshake before acceptance; log why."""
    logger.warning("Refused a WebSocket handshake on %s: %s", scope.get("path", ""), error)
    message = await receive()
    if message.get("type") == "websocket.connect":  # Else the client went away first.
        await send({"type": "websocket.close", "code": close_code(error)})


def JWTAuthMiddlewareStack(inner: Any, **options: Any) -> Any:
    """Return ``inner`` behind Channels' cookie middleware and :class:`JWTAuthMiddleware`.

    The counterpart of Channels' ``AuthMiddlewareStack``; ``options`` are
    :class:`JWTAuthMiddleware`'s.
    """
    return CookieMiddleware(JWTAuthMiddleware(inner, **options))
