"""A WebSocket echo consumer behind JWTAuthMiddlewareStack (needs the ``channels`` extra)."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer


# literalinclude-start: consumer
class EchoConsumer(AsyncJsonWebsocketConsumer):
    """Answer every JSON message with itself and who sent it."""

    async def connect(self):
        # JWTAuthMiddleware refused the handshake already if the token was not valid.
        await self.accept()

    async def receive_json(self, content, **kwargs):
        user = self.scope["user"]
        await self.send_json(
            {
                "echo": content,
                "user": user.get_username() if user.is_authenticated else None,
                "identity": self.scope["jwt"].get("sub"),
            }
        )


# literalinclude-end: consumer
