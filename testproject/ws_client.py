"""Send one message to the demo's WebSocket echo and print the answer (the walk-through's step 8).

Usage: ``python -m testproject.ws_client ws://127.0.0.1:8000 TOKEN``
"""

import sys

from websockets.sync.client import connect


def main(base: str, token: str) -> None:
    origin = "http" + base.removeprefix("ws")
    with connect(f"{base}/ws/echo?jwt={token}", origin=origin) as websocket:
        websocket.send("[1, 2, 3]")
        print(websocket.recv())


if __name__ == "__main__":
    main(*sys.argv[1:3])
