"""The choices this project made where the PharmaOne reference is silent, kept in one place.

The reference (`shared/api/pharmaone-api.md`) marks these facts unknown ([?]). The sandbox serves them,
the toolkit validates arguments with them and the bot offers them in menus; the README lists them.
Values the reference does show are marked "seen".
"""

from __future__ import annotations

import re
from types import MappingProxyType

# --- orders -------------------------------------------------------------------------------------------

#: Every order status, in workflow order. Seen: pending, awaiting_packing, ready_pickup; the rest are ours.
ORDER_STATUSES: tuple[str, ...] = (
    "pending",  # received, not yet checked by the pharmacy
    "awaiting_packing",  # checked (prescription valid, paid or cash on pickup), waiting to be packed
    "ready_pickup",  # packed, waiting at the counter ("Abholung")
    "ready_shipping",  # packed, waiting for the carrier
    "shipped",  # handed to the carrier
    "completed",  # picked up or delivered
    "cancelled",
)

#: The moves a status change may make. Anything else is refused with 409 `invalid_transition`.
ORDER_TRANSITIONS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "pending": ("awaiting_packing", "cancelled"),
        "awaiting_packing": ("ready_pickup", "ready_shipping", "cancelled"),
        "ready_pickup": ("completed", "cancelled"),
        "ready_shipping": ("shipped", "cancelled"),
        "shipped": ("completed",),
        "completed": (),
        "cancelled": (),
    }
)

#: Orders in these statuses count as orders but not as revenue (daily report, sandbox reports).
#: Ours: the reference has no rule.
REVENUE_EXCLUDED_ORDER_STATUSES: tuple[str, ...] = ("cancelled",)

#: Seen: pending, paid. `refunded` is ours.
PAYMENT_STATUSES: tuple[str, ...] = ("pending", "paid", "refunded")

#: Order ids look like ORD_20260614_8v039dhnrv (docs example: ORD_20260605_abc123, 6 characters). The
#: suffix's alphabet and length are not documented: any letters, digits, _ or - are accepted (ours).
ORDER_ID_PATTERN = re.compile(r"^ORD_\d{8}_[A-Za-z0-9_-]{1,64}$")
ORDER_ID_EXAMPLE = "ORD_20260614_8v039dhnrv"

#: Seen: "Abholung" (pickup). "Versand" (delivery) is ours.
SHIPPING_OPTIONS: tuple[str, ...] = ("Abholung", "Versand")

#: Delivery address fields of an order-request payload. Seen: address_street, address_city ("etc.");
#: address_postal_code and address_phone are ours, named after the order detail's shipping_address keys.
ORDER_REQUEST_ADDRESS_FIELDS: tuple[str, ...] = (
    "address_street",
    "address_postal_code",
    "address_city",
    "address_phone",
)

# --- prescriptions ----------------------------------------------------------------------------------

#: All seen (prescriptions page).
PRESCRIPTION_STATUSES: tuple[str, ...] = (
    "new",
    "pending",
    "pending_signature",
    "signed",
    "approved",
    "declined",
    "completed",
)
#: Seen: org1-pq-CQ3TLK (always 6 characters after -pq-; other lengths are accepted, ours).
PRESCRIPTION_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+-pq-[A-Za-z0-9]{4,32}$")

# --- auth ---------------------------------------------------------------------------------------------

#: The ten default scopes every key's token carries today (seen).
SCOPES: tuple[str, ...] = (
    "orders.read",
    "orders.write",
    "order_requests.write",
    "prescriptions.read",
    "prescriptions.write",
    "products.read",
    "products.write",
    "inventory.read",
    "inventory.write",
    "reports.read",
)
TOKEN_LIFETIME_SECONDS = 3600  # seen
JWT_ISSUER = "pharmaone-integration"  # seen
JWT_SUBJECT = "integration"  # seen

# --- pagination ---------------------------------------------------------------------------------------

ORDERS_DEFAULT_LIMIT = 50  # seen
ORDERS_MAX_LIMIT = 200  # seen
PRESCRIPTIONS_MAX_LIMIT = 200  # ours: the reference shows no maximum
PRODUCTS_DEFAULT_LIMIT = 50  # seen
PRODUCTS_MAX_LIMIT = 200  # ours
INVENTORY_LOG_LIMIT = 200  # seen
HISTORY_MAX_DAYS = 365  # seen
#: ours (the reference names no rate limit): pages one client fetches at once. 16 because a full listing
#: of N pages then takes about 1 + (N - 1) / 16 round trips: 100 pages in 8 instead of 100 (12 gave 10 and,
#: with the CPU a page costs on 2 cores, only 7.2-7.7x of the sequential loop; see bench/, figure 1).
#: A server that finds this too many answers 429, which the client honours (Retry-After).
MAX_CONCURRENT_REQUESTS = 16

# --- errors the reference does not show ----------------------------------------------------------------
# Bodies use the backend's documented shape {"error": <slug>, "message": <sentence>}.

ERROR_VALIDATION = "validation_error"  # 400 (malformed) / 422 (well-formed but refused)
ERROR_NOT_FOUND = "not_found"  # 404
ERROR_INVALID_TRANSITION = "invalid_transition"  # 409: status change not in ORDER_TRANSITIONS
ERROR_INSUFFICIENT_STOCK = "insufficient_stock"  # 409: stock would go below zero
ERROR_RATE_LIMITED = "rate_limited"  # 429, with Retry-After in seconds
ERROR_INTERNAL = "internal_error"  # 5xx
ORG_MISMATCH_STATUS = 403  # the reference shows the body, not the status

# --- stock and webhooks -------------------------------------------------------------------------------

LOW_STOCK_THRESHOLD = 10  # ours: at or under this many units a product is "low" (configurable in the bot)

#: Webhook event types. Seen: order_* , low_stock, out_of_stock, prescription_approved,
#: paperless_signature_completed. `order_request_created` is ours (the reference's table is cut off there).
WEBHOOK_EVENTS: tuple[str, ...] = (
    "order_created",
    "order_updated",
    "order_status_updated",
    "order_marked_paid",
    "order_deleted",
    "order_request_created",
    "low_stock",
    "out_of_stock",
    "prescription_approved",
    "paperless_signature_completed",
)


def next_order_statuses(status: str) -> tuple[str, ...]:
    """The statuses an order in `status` may move to (empty for final or unknown statuses)."""
    return ORDER_TRANSITIONS.get(status, ())


# --- answers the reference does not show: the sandbox serves them and clients may rely on them ---

ERROR_INVALID_TOKEN = "invalid_token"  # 401 backend shape: JWT missing, malformed, badly signed or expired
ERROR_ALREADY_EXISTS = "already_exists"  # 409: add-to-inventory of a product already in the org inventory
#: Backend 401 body for a key Kong knows but the backend refuses (revoked): seen, {"error": <this>}.
ERROR_INVALID_API_KEY = "Invalid or missing API key"
#: Message of org_mismatch when an API key of another org is used under /orgs/{orgId}/ (token exchange, v1).
KEY_ORG_MISMATCH_MESSAGE = "API key org_id does not match URL orgId"
TOKEN_ORG_MISMATCH_MESSAGE = "Token org_id does not match URL orgId"  # seen

#: POST /orders answers the order detail (the GET /orders/{id} body): 201 when created, 200 when the
#: external_id + shop_id already existed and the order was updated (or left as it was).
ORDER_UPSERT_CREATED_STATUS = 201
ORDER_UPSERT_UPDATED_STATUS = 200
#: Order requests: answered 200 with this status and message (seen); a repeated external_reference of the same
#: org is answered with the first request's id and status (no second request is stored).
ORDER_REQUEST_STATUS = "pending"
ORDER_REQUEST_MESSAGE = "Order request received."

#: POST /prescriptions upserts on (shop_id, the first of these body fields that is set); without one, on
#: (shop_id, customer_email). Answer: 200 {"id", "upsert": "ok"} for both insert and update.
PRESCRIPTION_INGEST_KEY_FIELDS: tuple[str, ...] = ("ID", "external_id")
PRESCRIPTIONS_DEFAULT_LIMIT = 50  # seen in the docs example
HISTORY_DEFAULT_DAYS = 30  # seen

#: GET /reports/pharmaone fee model (ours): per month, a fixed fee per order that counts as revenue plus a
#: share of that revenue. Without parameters the report covers the last FEE_REPORT_DEFAULT_MONTHS months.
PHARMAONE_FEE_PER_ORDER = 0.50
PHARMAONE_FEE_RATE = 0.02
FEE_REPORT_DEFAULT_MONTHS = 24  # seen
PRODUCT_PERFORMANCE_DEFAULT_DAYS = 30  # seen: last 30 days vs the previous 30

WEBHOOK_MAX_SUBSCRIPTIONS = 5  # seen: per org
#: Ours: the event type of the "Send test event" button (sent to a subscription whatever events it picked).
WEBHOOK_TEST_EVENT = "webhook_test"
