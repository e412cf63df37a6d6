"""Write a development `.env` with fresh secrets, unless one exists. Run before Django loads."""

import base64
import secrets
import sys
from pathlib import Path


def render() -> str:
    secret_key = secrets.token_urlsafe(50)
    master_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")
    backup_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")
    return (
        "# Development settings written by `make setup`. Never commit this file.\n"
        "# Values in the real environment override these.\n"
        f"SECRET_KEY={secret_key}\n"
        f"INTEGRITAS_MASTER_KEY={master_key}\n"
        "INTEGRITAS_MASTER_KEY_ID=dev1\n"
        f"INTEGRITAS_RECEIPT_PEPPER={secrets.token_urlsafe(32)}\n"
        f"INTEGRITAS_BACKUP_KEY={backup_key}\n"
        "DEBUG=true\n"
    )


def main(path: str = ".env") -> int:
    target = Path(path)
    if target.exists():
        print(f"{target} bestaat al; niet overschreven.")
        return 0
    target.write_text(render(), encoding="utf-8")
    target.chmod(0o600)
    print(
        f"{target} geschreven met een nieuwe SECRET_KEY, INTEGRITAS_MASTER_KEY en "
        "INTEGRITAS_BACKUP_KEY."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
