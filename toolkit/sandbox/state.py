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
    #: shop_id -> org_id. Shops never change while serving, so the gateway check of a shop proxy request
    #: needs no database on the event loop (where a long report holding the lock would stall every request).
    shop_orgs: dict[str, str]
