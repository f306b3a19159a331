"""Create the demo user and print a curl walk-through of the demo."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "demo"
PASSWORD = "demo-password"
BASE = "http://127.0.0.1:8000"
WS_BASE = "ws://127.0.0.1:8000"

WALKTHROUGH = f"""
Demo page: {BASE}/   (log in, call the API with cookies, log out)
Admin:     {BASE}/admin/   (revoked tokens are listed there)
Demo user: {USERNAME} / {PASSWORD}

Serving on {BASE}/ (Ctrl-C to stop). With curl, in another shell:

  # 1. Log in and keep the access token
  TOKEN=$(curl -s -X POST {BASE}/api/login -H 'Content-Type: application/json' \\
    -d '{{"username": "{USERNAME}", "password": "{PASSWORD}"}}' \\
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')

  # 2. Call a protected view with it: 200
  curl -s {BASE}/api/protected -H "Authorization: Bearer $TOKEN"

  # 3. Without a token: 401 {{"msg": "Missing JWT in headers, cookies, query_string or json (...)"}}
  curl -s {BASE}/api/protected

  # 4. A tampered token (one signature character changed):
  #    422 {{"msg": "Signature verification failed"}}
  BAD=$(python3 -c 'import sys; h, p, s = sys.argv[1].split("."); \
    print(h, p, ("B" if s[0] == "A" else "A") + s[1:], sep=".")' "$TOKEN")
  curl -s {BASE}/api/protected -H "Authorization: Bearer $BAD"

  # 5. An expired token: 401 {{"msg": "Token has expired"}}
  SHORT=$(curl -s -X POST {BASE}/api/login -H 'Content-Type: application/json' \\
    -d '{{"username": "{USERNAME}", "password": "{PASSWORD}", "expires_in": 1}}' \\
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
  sleep 2; curl -s {BASE}/api/protected -H "Authorization: Bearer $SHORT"
"""

NINJA_STEP = f"""
  # 6. Django Ninja: the same token on a Ninja API, sync and async operations
  #    (its interactive docs are at {BASE}/ninja/docs)
  curl -s {BASE}/ninja/whoami -H "Authorization: Bearer $TOKEN"
  curl -s {BASE}/ninja/async/whoami -H "Authorization: Bearer $TOKEN"
  curl -s {BASE}/ninja/whoami   # 401, with the body of step 3
"""

CHANNELS_STEP = f"""
  # 7. A WebSocket (Channels): the echo consumer answers as the token's user;
  #    without a token the handshake is refused (the client gets HTTP 403)
  .venv/bin/python -c 'import sys; from websockets.sync.client import connect
  with connect("{WS_BASE}/ws/echo?jwt=" + sys.argv[1], origin="{BASE}") as ws:
      ws.send("[1, 2, 3]"); print(ws.recv())' "$TOKEN"
"""


class Command(BaseCommand):
    help = "Create the demo user (demo / demo-password) and print how to try the demo."

    def handle(self, *args, **options):
        user, _ = get_user_model().objects.get_or_create(username=USERNAME)
        user.set_password(PASSWORD)
        # Demo only: the same user may open the admin to see revoked tokens.
        user.is_active = user.is_staff = user.is_superuser = True
        user.save()
        walkthrough = WALKTHROUGH
        if settings.HAS_NINJA:
            walkthrough += NINJA_STEP
        if settings.HAS_CHANNELS and "daphne" in settings.INSTALLED_APPS:
            walkthrough += CHANNELS_STEP
        self.stdout.write(walkthrough)
