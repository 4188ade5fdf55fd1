"""Every route of the PharmaOne reference, mapped to its handler, auth and scope."""

from __future__ import annotations

from starlette.routing import Route

from toolkit.sandbox.http import Handler, endpoint
from toolkit.sandbox.routes import (
    catalog,
    inventory,
    order_requests,
    order_writes,
    orders,
    prescriptions,
    reports,
    token,
)

V2 = "/api/v2/public/orgs/{org_id}"
V1 = "/api/v1/public/orgs/{org_id}"
SHOP_PROXY = "/shop-proxy/{shop_id}"

#: (method, path under V2, handler, scope): the reference's scope-to-route matrix. All need a JWT.
V2_ROUTES: tuple[tuple[str, str, Handler, str], ...] = (
    ("GET", "/shops", catalog.list_shops, "products.read"),
    ("GET", "/products", catalog.list_products, "products.read"),
    ("POST", "/products/add-to-inventory", catalog.add_to_inventory, "products.write"),
    ("GET", "/products/{p1_id}", catalog.get_product, "products.read"),
    ("PUT", "/products/{p1_id}", catalog.update_product, "products.write"),
    ("POST", "/shops/attach-product", catalog.attach_product, "products.write"),
    ("POST", "/shops/detach-product", catalog.detach_product, "products.write"),
    ("POST", "/shops/product-overrides", catalog.product_overrides, "products.write"),
    ("GET", "/inventory", inventory.list_inventory, "inventory.read"),
    ("POST", "/inventory/adjust", inventory.adjust, "inventory.write"),
    ("GET", "/inventory/{p1_id}/log", inventory.log, "inventory.read"),
    ("GET", "/inventory/{p1_id}/history", inventory.history, "inventory.read"),
    ("GET", "/orders", orders.list_orders, "orders.read"),
    ("POST", "/orders", order_writes.upsert_order, "orders.write"),
    ("GET", "/orders/{order_id}", orders.get_order, "orders.read"),
    ("PUT", "/orders/{order_id}", order_writes.update_order, "orders.write"),
    ("PATCH", "/orders/{order_id}/status", order_writes.patch_status, "orders.write"),
    ("POST", "/order-requests", order_requests.create_v2, "order_requests.write"),
    ("GET", "/prescriptions", prescriptions.list_prescriptions, "prescriptions.read"),
    ("POST", "/prescriptions", prescriptions.ingest, "prescriptions.write"),
    ("GET", "/prescriptions/{prescription_id}", prescriptions.get_prescription, "prescriptions.read"),
    ("GET", "/reports/stats", reports.stats, "reports.read"),
    ("GET", "/reports/product-performance", reports.product_performance, "reports.read"),
    ("GET", "/reports/product-sales", reports.product_sales, "reports.read"),
    ("GET", "/reports/pharmaone", reports.pharmaone_fees, "reports.read"),
)


def api_routes() -> list[Route]:
    return [
        # the API key routes: checked by "Kong", no JWT
        Route(f"{V2}/auth/token", endpoint(token.exchange, auth="key", reads_body=False), methods=["POST"]),
        Route(f"{V1}/order-requests", endpoint(order_requests.create_v1, auth="key"), methods=["POST"]),
        Route(
            f"{SHOP_PROXY}/api/v1/external-order",
            endpoint(order_requests.create_external, auth="shop"),
            methods=["POST"],
        ),
        *(
            Route(V2 + path, endpoint(handler, scope=scope), methods=[method])
            for method, path, handler, scope in V2_ROUTES
        ),
    ]
