"""Every route of the PharmaOne reference, mapped to its handler, auth and scope."""

from __future__ import annotations

from starlette.routing import Route

from toolkit.sandbox.http import endpoint
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


def api_routes() -> list[Route]:
    return [
        Route(f"{V2}/auth/token", endpoint(token.exchange, auth="key", reads_body=False), methods=["POST"]),
        Route(f"{V2}/shops", endpoint(catalog.list_shops, scope="products.read"), methods=["GET"]),
        Route(f"{V2}/products", endpoint(catalog.list_products, scope="products.read"), methods=["GET"]),
        Route(
            f"{V2}/products/add-to-inventory",
            endpoint(catalog.add_to_inventory, scope="products.write"),
            methods=["POST"],
        ),
        Route(
            f"{V2}/products/{{p1_id}}", endpoint(catalog.get_product, scope="products.read"), methods=["GET"]
        ),
        Route(
            f"{V2}/products/{{p1_id}}",
            endpoint(catalog.update_product, scope="products.write"),
            methods=["PUT"],
        ),
        Route(
            f"{V2}/shops/attach-product",
            endpoint(catalog.attach_product, scope="products.write"),
            methods=["POST"],
        ),
        Route(
            f"{V2}/shops/detach-product",
            endpoint(catalog.detach_product, scope="products.write"),
            methods=["POST"],
        ),
        Route(
            f"{V2}/shops/product-overrides",
            endpoint(catalog.product_overrides, scope="products.write"),
            methods=["POST"],
        ),
        Route(f"{V2}/inventory", endpoint(inventory.list_inventory, scope="inventory.read"), methods=["GET"]),
        Route(
            f"{V2}/inventory/adjust", endpoint(inventory.adjust, scope="inventory.write"), methods=["POST"]
        ),
        Route(
            f"{V2}/inventory/{{p1_id}}/log", endpoint(inventory.log, scope="inventory.read"), methods=["GET"]
        ),
        Route(
            f"{V2}/inventory/{{p1_id}}/history",
            endpoint(inventory.history, scope="inventory.read"),
            methods=["GET"],
        ),
        Route(f"{V2}/orders", endpoint(orders.list_orders, scope="orders.read"), methods=["GET"]),
        Route(f"{V2}/orders", endpoint(order_writes.upsert_order, scope="orders.write"), methods=["POST"]),
        Route(f"{V2}/orders/{{order_id}}", endpoint(orders.get_order, scope="orders.read"), methods=["GET"]),
        Route(
            f"{V2}/orders/{{order_id}}",
            endpoint(order_writes.update_order, scope="orders.write"),
            methods=["PUT"],
        ),
        Route(
            f"{V2}/orders/{{order_id}}/status",
            endpoint(order_writes.patch_status, scope="orders.write"),
            methods=["PATCH"],
        ),
        Route(
            f"{V2}/order-requests",
            endpoint(order_requests.create_v2, scope="order_requests.write"),
            methods=["POST"],
        ),
        Route(f"{V1}/order-requests", endpoint(order_requests.create_v1, auth="key"), methods=["POST"]),
        Route(
            f"{SHOP_PROXY}/api/v1/external-order",
            endpoint(order_requests.create_external, auth="shop"),
            methods=["POST"],
        ),
        Route(
            f"{V2}/prescriptions",
            endpoint(prescriptions.list_prescriptions, scope="prescriptions.read"),
            methods=["GET"],
        ),
        Route(
            f"{V2}/prescriptions",
            endpoint(prescriptions.ingest, scope="prescriptions.write"),
            methods=["POST"],
        ),
        Route(
            f"{V2}/prescriptions/{{prescription_id}}",
            endpoint(prescriptions.get_prescription, scope="prescriptions.read"),
            methods=["GET"],
        ),
        Route(f"{V2}/reports/stats", endpoint(reports.stats, scope="reports.read"), methods=["GET"]),
        Route(
            f"{V2}/reports/product-performance",
            endpoint(reports.product_performance, scope="reports.read"),
            methods=["GET"],
        ),
        Route(
            f"{V2}/reports/product-sales",
            endpoint(reports.product_sales, scope="reports.read"),
            methods=["GET"],
        ),
        Route(
            f"{V2}/reports/pharmaone", endpoint(reports.pharmaone_fees, scope="reports.read"), methods=["GET"]
        ),
    ]
