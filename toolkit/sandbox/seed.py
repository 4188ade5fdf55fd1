"""Deterministic seed data that looks like a real medical-cannabis pharmacy business.

Everything is drawn from one `random.Random(seed)` and placed relative to `now`, so (seed, orders, now)
always gives the same database. All rows go in with `executemany` inside one transaction, so 100,000 orders
take seconds.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import string
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from toolkit import vocabulary as vocab
from toolkit.sandbox import seed_names as names
from toolkit.sandbox.db import Database
from toolkit.sandbox.timefmt import iso

SEED_WINDOW_DAYS = 90
CATALOG_SIZE = 64
ORDER_ID_ALPHABET = string.ascii_letters + string.digits
PRESCRIPTION_ID_ALPHABET = string.ascii_uppercase + string.digits

#: (orders younger than this many hours, status weights): recent orders are still in the workflow.
STATUS_MIX_BY_AGE: tuple[tuple[float, dict[str, int]], ...] = (
    (24, {"pending": 40, "awaiting_packing": 30, "ready_pickup": 10, "ready_shipping": 12, "cancelled": 8}),
    (
        96,
        {
            "pending": 6,
            "awaiting_packing": 14,
            "ready_pickup": 20,
            "ready_shipping": 10,
            "shipped": 22,
            "completed": 23,
            "cancelled": 5,
        },
    ),
    (float("inf"), {"completed": 84, "cancelled": 8, "shipped": 4, "ready_pickup": 3, "pending": 1}),
)
PRESCRIPTION_MIX_BY_AGE: tuple[tuple[float, dict[str, int]], ...] = (
    (72, {"new": 45, "pending": 25, "pending_signature": 15, "signed": 5, "approved": 8, "declined": 2}),
    (float("inf"), {"approved": 62, "completed": 14, "declined": 9, "signed": 5, "pending": 5, "new": 5}),
)
ITEM_COUNT_WEIGHTS = {1: 55, 2: 28, 3: 12, 4: 5}
QUANTITIES_GRAMS = (1, 2, 3, 5, 5, 5, 10, 10, 10, 15, 20, 30)


@dataclass(frozen=True)
class Product:
    p1_id: int
    name: str
    price: float


@dataclass(frozen=True)
class Customer:
    name: str
    email: str
    street: str
    city: str
    postal_code: str
    phone: str


@dataclass(frozen=True)
class OrgSeed:
    """What seeding one org's orders, order requests and prescriptions draws on."""

    db: Database
    rng: random.Random
    org_id: str
    now: datetime
    listings: dict[str, list[Product]]  # what each shop of the org sells, at the shop's price
    customers: list[Customer]


def seed_database(db: Database, *, seed: int, orders: int, now: datetime) -> None:
    """Fills an empty database: orgs, shops, catalogue, inventory and its log, orders, order requests and
    prescriptions."""
    rng = random.Random(seed)
    with db.transaction():
        db.insert_many("orgs", [{"org_id": org_id, "name": name} for org_id, name in names.ORGS])
        db.insert_many(
            "shops", [dict(zip(("shop_id", "org_id", "name"), shop, strict=True)) for shop in names.SHOPS]
        )
        catalog = _seed_catalog(db, rng)
        for org_id, _ in names.ORGS:
            org_orders = orders if org_id == "org1" else max(5, orders // 20)
            inventory = _seed_inventory(db, rng, org_id, catalog, now)
            listings = _seed_shop_listings(db, rng, org_id, inventory)
            customers = _customers(rng, max(40, org_orders // 4))
            org = OrgSeed(db, rng, org_id, now, listings, customers)
            order_ids = _seed_orders(org, org_orders)
            _seed_order_requests(org, min(200, max(5, org_orders // 20)))
            prescription_count = min(3000, max(3 * len(vocab.PRESCRIPTION_STATUSES), org_orders * 13 // 10))
            _seed_prescriptions(org, order_ids, prescription_count)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("ü", "ue").replace("ö", "oe")).strip("-")


def _initials(strain: str) -> str:
    words = strain.split()
    return "".join(word[0] for word in words).upper() if len(words) > 1 else strain[:2].upper()


def _price(value: float) -> float:
    return round(round(value * 20) / 20, 2)


def _flower_name(rng: random.Random, thc: int, cbd: int) -> str:
    strain = rng.choice(names.STRAINS)
    brand = rng.choice(names.BRANDS)
    if rng.random() < 0.5:
        return f"{thc}/{cbd} {brand} {rng.choice(names.ORIGINS)} {_initials(strain)} {strain}"
    return f"{brand} {thc}/{cbd} {_initials(strain)} {strain}"


def _seed_catalog(db: Database, rng: random.Random) -> list[dict]:
    fixed_ids = {p1_id for p1_id, _, _ in names.FIXED_PRODUCTS}
    pool = [p1_id for p1_id in range(57600, 57760) if p1_id not in fixed_ids]
    ids = sorted([*rng.sample(pool, CATALOG_SIZE - len(fixed_ids)), *fixed_ids])
    fixed = {p1_id: (name, price) for p1_id, name, price in names.FIXED_PRODUCTS}
    used_names: set[str] = {name for name, _ in fixed.values()}
    extract_ids = set(rng.sample([i for i in ids if i not in fixed_ids], len(names.EXTRACTS)))
    extracts = iter(names.EXTRACTS)
    catalog = []
    for p1_id in ids:
        thc, cbd = rng.randint(14, 33), 1
        if p1_id in fixed:
            name, price = fixed[p1_id]
            thc, cbd = int(name.split("/")[0].split()[-1]), 1
            category = "Blüten"
        elif p1_id in extract_ids:
            name = f"{rng.choice(names.BRANDS)} {next(extracts)}"
            price, category = _price(rng.uniform(18, 45)), "Extrakte"
        else:
            if rng.random() < 0.08:
                thc, cbd = rng.randint(1, 10), rng.randint(8, 15)
            name = _flower_name(rng, thc, cbd)
            while name in used_names:
                name = _flower_name(rng, thc, cbd)
            price, category = _price(max(4.95, 4.5 + (thc - 14) * 0.28 + rng.uniform(-0.8, 1.4))), "Blüten"
        used_names.add(name)
        description = f"{category}: THC {thc} %, CBD {cbd} %"
        catalog.append(
            {"p1_id": p1_id, "name": name, "slug": _slug(name), "category": category, "thc": thc, "cbd": cbd}
            | {"price": price, "description": description}
        )
    db.insert_many("catalog", catalog)
    return catalog


def _stock_level(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.08:
        return 0
    if roll < 0.18:
        return rng.randint(1, vocab.LOW_STOCK_THRESHOLD)
    return rng.randint(20, 1200)


def _seed_inventory(
    db: Database, rng: random.Random, org_id: str, catalog: list[dict], now: datetime
) -> list[Product]:
    fixed_ids = {p1_id for p1_id, _, _ in names.FIXED_PRODUCTS}
    share = 0.8 if org_id == "org1" else 0.4
    held = [row for row in catalog if row["p1_id"] in fixed_ids or rng.random() < share]
    product_rows, log_rows = [], []
    for row in held:
        stock = 989 if row["p1_id"] == 57672 else _stock_level(rng)
        incoming = rng.choice((0, 0, 0, 50, 100))
        product_rows.append({**row, "org_id": org_id, "stock_quantity": stock, "incoming_quantity": incoming})
        log_rows.extend(_inventory_history(rng, org_id, row["p1_id"], stock, now))
    db.insert_many("products", product_rows)
    db.insert_many("inventory_log", log_rows)
    return [Product(row["p1_id"], row["name"], row["price"]) for row in held]


def _inventory_history(
    rng: random.Random, org_id: str, p1_id: int, final_stock: int, now: datetime
) -> list[dict]:
    """A first delivery, a few movements, and a stock count that lands exactly on `final_stock`."""
    offsets = sorted(rng.uniform(0, SEED_WINDOW_DAYS * 86400) for _ in range(rng.randint(2, 6)))
    moments = [now - timedelta(seconds=SEED_WINDOW_DAYS * 86400 - offset) for offset in offsets]
    stock, rows = 0, []

    def entry(moment: datetime, delta: int, reason: str, shop_id: str | None) -> None:
        nonlocal stock
        stock += delta
        metadata = json.dumps({"source": "seed"})
        rows.append(
            {"id": _uuid(rng), "org_id": org_id, "p1_id": p1_id, "shop_id": shop_id, "delta_on_hand": delta}
            | {"delta_incoming": 0, "reason": reason, "metadata": metadata, "stock_after": stock}
            | {"created_at": iso(moment)}
        )

    entry(moments[0], rng.randint(300, 1500), "Wareneingang", None)
    for moment in moments[1:-1]:
        reason, sign = rng.choice(names.INVENTORY_REASONS)
        if sign > 0:
            entry(moment, rng.randint(50, 500), reason, None)
        elif sign < 0 and stock > 0:
            entry(moment, -rng.randint(1, min(stock, 40)), reason, "shop1")
    if stock != final_stock or len(rows) == 1:
        entry(moments[-1], final_stock - stock, "Inventur", None)
    return rows


def _seed_shop_listings(
    db: Database, rng: random.Random, org_id: str, inventory: list[Product]
) -> dict[str, list[Product]]:
    """Which products each shop of the org lists, at which (possibly overridden) price."""
    listings: dict[str, list[Product]] = {}
    rows = []
    for shop_id, shop_org, _ in names.SHOPS:
        if shop_org != org_id:
            continue
        share = names.SHOP_LISTING_SHARE[shop_id]
        listed = [p for p in inventory if share >= 1.0 or rng.random() < share] or inventory[:3]
        shop_products = []
        for product in listed:
            override = _price(product.price + 0.5) if rng.random() < 0.1 else None
            available = 1 if rng.random() < 0.95 else 0
            rows.append(
                {
                    "shop_id": shop_id,
                    "p1_id": product.p1_id,
                    "price_override": override,
                    "available": available,
                }
            )
            shop_products.append(Product(product.p1_id, product.name, override or product.price))
        listings[shop_id] = shop_products
    db.insert_many("shop_products", rows)
    return listings


def _customers(rng: random.Random, count: int) -> list[Customer]:
    people = [
        Customer("Max Mustermann", "max@example.com", "Musterstr. 1", "Berlin", "10115", "+49123456789")
    ]
    for number in range(1, count):
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        local = f"{first}.{last}".lower().translate(str.maketrans("äöüßışç", "aousisc"))
        city, postal_code = rng.choice(names.CITIES)
        people.append(
            Customer(
                f"{first} {last}",
                f"{local}{number}@{rng.choice(names.MAIL_DOMAINS)}",
                f"{rng.choice(names.STREETS)} {rng.randint(1, 120)}",
                city,
                postal_code,
                f"+49 15{rng.randint(1, 9)} {rng.randint(1000000, 9999999)}",
            )
        )
    return people


Mix = tuple[tuple[float, list[str], list[int]], ...]


def _cumulative(mix: tuple[tuple[float, dict[str, int]], ...]) -> Mix:
    """The mix with cumulative weights, so that drawing from it does not add them up again each time."""
    return tuple(
        (limit, list(weights), list(itertools.accumulate(weights.values()))) for limit, weights in mix
    )


ORDER_MIX, PRESCRIPTION_MIX = _cumulative(STATUS_MIX_BY_AGE), _cumulative(PRESCRIPTION_MIX_BY_AGE)


def _weighted(mix: Mix, age_hours: float, rng: random.Random) -> str:
    statuses, cumulative = next((statuses, cum) for limit, statuses, cum in mix if age_hours < limit)
    return rng.choices(statuses, cum_weights=cumulative)[0]


def _random_moment(rng: random.Random, now: datetime) -> datetime:
    """A moment in the seed window, mostly during opening hours."""
    moment = now - timedelta(seconds=rng.random() * SEED_WINDOW_DAYS * 86400)
    if not 6 <= moment.hour < 20 and rng.random() < 0.8:
        moment = moment.replace(hour=rng.randint(6, 19))
    return min(max(moment, now - timedelta(days=SEED_WINDOW_DAYS)), now)


def _payment(status: str, cash_on_pickup: bool, rng: random.Random) -> str:
    if status == "cancelled":
        return "refunded" if rng.random() < 0.3 else "pending"
    if cash_on_pickup:
        return "paid" if status == "completed" else "pending"
    if status == "pending":
        return "paid" if rng.random() < 0.4 else "pending"
    return "paid"


def _seed_orders(org: OrgSeed, count: int) -> dict[str, list[str]]:
    """`count` orders over the seed window; returns the order ids of each shop."""
    db, rng, org_id, now, listings, customers = (
        org.db,
        org.rng,
        org.org_id,
        org.now,
        org.listings,
        org.customers,
    )
    shop_ids = list(listings)
    shop_weights = list(itertools.accumulate(names.SHOP_ORDER_WEIGHTS[shop_id] for shop_id in shop_ids))
    popularity = {
        shop_id: list(itertools.accumulate(rng.paretovariate(1.5) for _ in listings[shop_id]))
        for shop_id in shop_ids
    }
    item_counts, item_weights = (
        list(ITEM_COUNT_WEIGHTS),
        list(itertools.accumulate(ITEM_COUNT_WEIGHTS.values())),
    )
    order_rows, item_rows = [], []
    ids_by_shop: dict[str, list[str]] = {shop_id: [] for shop_id in shop_ids}
    for number in range(count):
        created = _random_moment(rng, now)
        age_hours = (now - created).total_seconds() / 3600
        status = _weighted(ORDER_MIX, age_hours, rng)
        shop_id = rng.choices(shop_ids, cum_weights=shop_weights)[0]
        order_id = f"ORD_{created:%Y%m%d}_{''.join(rng.choices(ORDER_ID_ALPHABET, k=10))}"
        products = rng.choices(
            listings[shop_id],
            cum_weights=popularity[shop_id],
            k=rng.choices(item_counts, cum_weights=item_weights)[0],
        )
        total = 0.0
        for line, product in enumerate(dict.fromkeys(products), start=1):
            quantity = rng.choice(QUANTITIES_GRAMS)
            total += quantity * product.price
            item_rows.append(
                {"order_id": order_id, "line": line, "p1_id": str(product.p1_id), "name": product.name}
                | {"quantity": quantity, "price": product.price}
            )
        if status in ("ready_shipping", "shipped"):
            option = "Versand"
        elif status == "ready_pickup":
            option = "Abholung"
        else:
            option = "Abholung" if rng.random() < 0.55 else "Versand"
        cash = option == "Abholung" and rng.random() < 0.4
        payment = _payment(status, cash, rng)
        customer = rng.choice(customers)
        updated = created + timedelta(seconds=rng.uniform(20, min(age_hours, 48) * 3600 + 21))
        external_id = f"{rng.choice(('WC', 'POS', 'JTL'))}-{100000 + number}" if rng.random() < 0.3 else None
        order_rows.append(
            {
                "id": order_id,
                "org_id": org_id,
                "shop_id": shop_id,
                "external_id": external_id,
                "order_number": external_id and f"#{100000 + number}",
                "customer_name": customer.name,
                "customer_email": customer.email,
                "status": status,
                "payment_status": payment,
                "payment_reference": f"TX-{rng.randint(100000, 999999)}" if payment != "pending" else None,
                "shipped": int(status == "shipped" or (status == "completed" and option == "Versand")),
                "picked_up": int(status == "completed" and option == "Abholung"),
                "cash_on_pickup": int(cash),
                "shipping_option": option,
                "street": customer.street,
                "city": customer.city,
                "postal_code": customer.postal_code,
                "phone": customer.phone,
                "total_amount": round(total, 2),
                "created_at": iso(created),
                "updated_at": iso(min(updated, now)),
            }
        )
        ids_by_shop[shop_id].append(order_id)
    db.insert_many("orders", order_rows)
    db.insert_many("order_items", item_rows)
    return ids_by_shop


def _seed_order_requests(org: OrgSeed, count: int) -> None:
    db, rng, org_id, now, listings, customers = (
        org.db,
        org.rng,
        org.org_id,
        org.now,
        org.listings,
        org.customers,
    )
    rows = []
    for number in range(count):
        created = _random_moment(rng, now)
        shop_id = rng.choice(list(listings))
        source = rng.choice(names.ORDER_SOURCES)
        customer = rng.choice(customers)
        items = [
            {
                "name": p.name,
                "quantity": rng.choice(QUANTITIES_GRAMS),
                "price": p.price,
                "p1_id": str(p.p1_id),
            }
            for p in rng.sample(listings[shop_id], k=min(len(listings[shop_id]), rng.randint(1, 3)))
        ]
        payload = {"shop_id": shop_id, "customer_name": customer.name, "customer_email": customer.email}
        payload["items"] = items
        payload["total_amount"] = round(sum(i["quantity"] * i["price"] for i in items), 2)
        reference = f"{source.split('-')[0][:3].upper()}-{created:%Y%m%d}-{number:04d}"
        api = "shop" if source == "external-telemedicine" else rng.choice(("v1", "v2"))
        rows.append(
            {
                "id": _uuid(rng),
                "org_id": org_id,
                "api": api,
                "shop_id": shop_id,
                "external_reference": reference,
            }
            | {"source": source, "status": vocab.ORDER_REQUEST_STATUS, "created_at": iso(created)}
            | {"payload": json.dumps(payload, ensure_ascii=False)}
        )
    db.insert_many("order_requests", rows)


def _seed_prescriptions(org: OrgSeed, order_ids: dict[str, list[str]], count: int) -> None:
    """`count` prescriptions; the first ones cover every status so that each appears at any size."""
    db, rng, org_id, now, customers = org.db, org.rng, org.org_id, org.now, org.customers
    shop_ids = list(org.listings)
    rows, used_ids = [], set()
    for number in range(count):
        created = _random_moment(rng, now)
        if number < len(vocab.PRESCRIPTION_STATUSES):
            status = vocab.PRESCRIPTION_STATUSES[number]
        else:
            status = _weighted(PRESCRIPTION_MIX, (now - created).total_seconds() / 3600, rng)
        prescription_id = f"{org_id}-pq-{''.join(rng.choices(PRESCRIPTION_ID_ALPHABET, k=6))}"
        while prescription_id in used_ids:
            prescription_id = f"{org_id}-pq-{''.join(rng.choices(PRESCRIPTION_ID_ALPHABET, k=6))}"
        used_ids.add(prescription_id)
        shop_id = rng.choice(shop_ids)
        linked = status in ("approved", "completed") and order_ids[shop_id] and rng.random() < 0.6
        order_id = rng.choice(order_ids[shop_id]) if linked else ""
        email = "" if rng.random() < 0.1 else rng.choice(customers).email
        updated = min(created + timedelta(hours=rng.uniform(0.1, 72)), now)
        rows.append(
            {
                "id": prescription_id,
                "org_id": org_id,
                "shop_id": shop_id,
                "status": status,
                "order_id": order_id,
            }
            | {"customer_email": email, "created_at": iso(created), "updated_at": iso(updated)}
        )
    db.insert_many("prescriptions", rows)
