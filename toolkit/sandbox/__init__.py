"""An embedded, seeded PharmaOne Manager API on 127.0.0.1 (see `Sandbox`; `p1 sandbox` serves one).

Where the reference is silent the sandbox answers as `toolkit.vocabulary` says (statuses, transitions, error
slugs, limits, status codes, fee model). Choices that only concern how the sandbox itself behaves:

- Unknown paths and methods are answered by the gateway, in Kong's shape.
- An API key of another org under `/orgs/{orgId}/` (token exchange, v1) is a 403 `org_mismatch`; at a shop
  proxy it is Kong's 401. A revoked key (`Sandbox.revoke_key`) gets the backend's 401.
- Validation refusals are `{"error": "validation_error", "message", "field"}`: 400 for a malformed
  request (not JSON, bad query parameter, bad date), 422 for a well-formed body that is refused.
- Unset strings in bodies are "" (order detail, prescription, log entry), never null; an order line
  that is not tied to a product has no `p1_id` key (as in the live example).
- The shop proxy lives at `{base_url}/shop-proxy/{shop_id}` and refuses a body naming `shop_id` or `org_id`.
- Orders do not move stock; only /inventory/adjust and add-to-inventory do (both logged).
- Webhook deliveries are retried after each of `webhook_retry_delays` (default 0.5, 2, 5 s), then
  marked failed.
"""

from toolkit.sandbox.server import Sandbox

__all__ = ["Sandbox"]
