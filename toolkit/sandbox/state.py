"""Everything a request handler may touch, bundled once per running sandbox."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.sandbox.auth import KeyRing
from toolkit.sandbox.db import Database
from toolkit.sandbox.faults import Faults
from toolkit.sandbox.webhooks import WebhookDispatcher


@dataclass
class SandboxState:
    db: Database
    keys: KeyRing
    faults: Faults
    webhooks: WebhookDispatcher
