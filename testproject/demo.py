"""The demo's user and address, shared by ``demo_setup``, the demo page and the settings.

Imports nothing from Django: the settings module uses it.
"""

USERNAME = "demo"
PASSWORD = "demo-password"
DEFAULT_ADDRPORT = "127.0.0.1:8000"

# Addresses that mean "every interface": a browser cannot open them.
WILDCARDS = {"0", "0.0.0.0", "::", "[::]"}


def split_addrport(addrport: str) -> tuple[str, str]:
    """Split ``runserver``'s ``[addr:]port`` into its address ("" when absent) and port."""
    address, colon, port = addrport.strip().rpartition(":")
    return (address, port) if colon else ("", port)


def base_url(addrport: str) -> str:
    """Return the URL a browser on this machine opens for ``runserver addrport``."""
    address, port = split_addrport(addrport)
    if not address or address in WILDCARDS:
        address = "127.0.0.1"
    return f"http://{address}:{port}"


def allowed_hosts(addrport: str) -> list[str]:
    """Return the host names ``runserver addrport`` must accept besides the local ones."""
    address, _ = split_addrport(addrport)
    return [] if not address or address in WILDCARDS else [address]
