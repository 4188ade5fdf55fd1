"""An embedded, seeded PharmaOne Manager API on 127.0.0.1 (see `Sandbox`)."""

from toolkit.sandbox.server import Sandbox

__all__ = ["Sandbox"]
