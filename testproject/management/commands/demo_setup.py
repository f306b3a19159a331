"""Create the demo user and print a curl walk-through of the demo."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "demo"
PASSWORD = "demo-password"
BASE = "http://127.0.0.1:8000"

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


class Command(BaseCommand):
    help = "Create the demo user (demo / demo-password) and print how to try the demo."

    def handle(self, *args, **options):
        user, _ = get_user_model().objects.get_or_create(username=USERNAME)
        user.set_password(PASSWORD)
        # Demo only: the same user may open the admin to see revoked tokens.
        user.is_active = user.is_staff = user.is_superuser = True
        user.save()
        self.stdout.write(WALKTHROUGH)
