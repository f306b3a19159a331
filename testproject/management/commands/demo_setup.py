"""Create the demo user and print a curl walk-through of the demo."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from testproject.demo import (
    DEFAULT_ADDRPORT,
    PASSWORD,
    USERNAME,
    WILDCARDS,
    base_url,
    split_addrport,
)

WALKTHROUGH = """
Demo page: {base}/   (log in, call the API with cookies, refresh, log out)
Admin:     {base}/admin/   (revoked tokens are listed there)
Demo user: {username} / {password}
{elsewhere}
Serving on {base}/ (Ctrl-C to stop). With curl, in another shell
(each call prints the JSON body, then the status code):

  # 1. Log in and keep the access token
  TOKEN=$(curl -s -X POST {base}/api/login -H 'Content-Type: application/json' \\
    -d '{{"username": "{username}", "password": "{password}"}}' \\
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')

  # 2. Call a protected view with it: 200 {{"logged_in_as": "{username}", "claims": {{...}}}}
  curl -s -w ' %{{http_code}}\\n' {base}/api/protected -H "Authorization: Bearer $TOKEN"

  # 3. Without a token: 401 {{"msg": "Missing JWT in headers, cookies, query_string or json (...)"}}
  curl -s -w ' %{{http_code}}\\n' {base}/api/protected

  # 4. A tampered token (one signature character changed):
  #    422 {{"msg": "Signature verification failed"}}
  BAD=$(python3 -c 'import sys; h, p, s = sys.argv[1].split("."); \\
    print(h, p, ("B" if s[0] == "A" else "A") + s[1:], sep=".")' "$TOKEN")
  curl -s -w ' %{{http_code}}\\n' {base}/api/protected -H "Authorization: Bearer $BAD"

  # 5. Log out: the token is revoked, 200 {{"msg": "Logged out"}}; then it is refused,
  #    401 {{"msg": "Token has been revoked"}}
  curl -s -w ' %{{http_code}}\\n' -X POST {base}/api/logout -H "Authorization: Bearer $TOKEN"
  curl -s -w ' %{{http_code}}\\n' {base}/api/protected -H "Authorization: Bearer $TOKEN"

  # 6. An expired token: 401 {{"msg": "Token has expired"}}
  SHORT=$(curl -s -X POST {base}/api/login -H 'Content-Type: application/json' \\
    -d '{{"username": "{username}", "password": "{password}", "expires_in": 1}}' \\
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
  sleep 2
  curl -s -w ' %{{http_code}}\\n' {base}/api/protected -H "Authorization: Bearer $SHORT"
"""

ELSEWHERE = """
Listening on every interface: other machines open http://<this machine's name>:{port}/
once that name is allowed, e.g. make demo HOST={addrport} ALLOWED_HOSTS=<name>
"""

# The walk-through's token was logged out at step 5: these steps log in again.
LOGIN = """  TOKEN=$(curl -s -X POST {base}/api/login -H 'Content-Type: application/json' \\
    -d '{{"username": "{username}", "password": "{password}"}}' \\
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
"""

NINJA_STEP = (
    """
  # 7. Django Ninja: the same kind of token on a Ninja API, sync and async
  #    operations (its interactive docs are at {base}/ninja/docs); 200, 200, 401
"""
    + LOGIN
    + """  curl -s -w ' %{{http_code}}\\n' {base}/ninja/whoami -H "Authorization: Bearer $TOKEN"
  curl -s -w ' %{{http_code}}\\n' {base}/ninja/async/whoami -H "Authorization: Bearer $TOKEN"
  curl -s -w ' %{{http_code}}\\n' {base}/ninja/whoami
"""
)

CHANNELS_STEP = (
    """
  # 8. A WebSocket (Channels): the echo consumer answers as the token's user;
  #    without a token the handshake is refused (the client gets HTTP 403)
"""
    + LOGIN
    + """  .venv/bin/python -m testproject.ws_client {ws_base} "$TOKEN"
"""
)


class Command(BaseCommand):
    help = "Create the demo user (demo / demo-password) and print how to try the demo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            default=DEFAULT_ADDRPORT,
            help="The [address:]port that runserver listens on (make demo HOST=...).",
        )

    def handle(self, *args, **options):
        user, _ = get_user_model().objects.get_or_create(username=USERNAME)
        user.set_password(PASSWORD)
        # Demo only: the same user may open the admin to see revoked tokens.
        user.is_active = user.is_staff = user.is_superuser = True
        user.save()
        address, port = split_addrport(options["host"])
        elsewhere = ELSEWHERE.format(port=port, addrport=options["host"])
        template = WALKTHROUGH
        if settings.HAS_NINJA:
            template += NINJA_STEP
        if settings.HAS_CHANNELS and "daphne" in settings.INSTALLED_APPS:
            template += CHANNELS_STEP
        base = base_url(options["host"])
        self.stdout.write(
            template.format(
                base=base,
                ws_base="ws" + base.removeprefix("http"),
                username=USERNAME,
                password=PASSWORD,
                elsewhere=elsewhere if address in WILDCARDS else "",
            )
        )
