"""`roster serve`: the published versions' feeds at their token URLs, each worker's page and the
coordinator's pages, as an ASGI app under uvicorn. See docs/serve.md."""

from .app import ServeConfig, create_app, run
from .auth import PASSWORD_ENV, PASSWORD_FILE, write_password_hash

__all__ = [
    "PASSWORD_ENV",
    "PASSWORD_FILE",
    "ServeConfig",
    "create_app",
    "run",
    "write_password_hash",
]
