"""Writes the analyst notebooks in this folder, clean (no outputs, no execution counts).

The notebooks are generated so that they stay tidy and reviewable: edit the cells here and run
`uv run python notebooks/build_notebooks.py`. `tests/test_notebooks.py` checks that the committed files are
exactly what this script writes, and runs each of them top to bottom in a real Jupyter kernel.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent
Cells = list[nbformat.NotebookNode]


def md(text: str) -> nbformat.NotebookNode:
    return new_markdown_cell(textwrap.dedent(text).strip())


def code(text: str) -> nbformat.NotebookNode:
    return new_code_cell(textwrap.dedent(text).strip())


def connect() -> Cells:
    """Every notebook connects the same way: the real PharmaOne when P1_* are set, else a sandbox."""
    return [
        md("""
            ## Connect
            With `P1_BASE_URL`, `P1_ORG_ID` and `P1_API_KEY` set (in the environment or a `.env` file) this
            talks to your PharmaOne; without them it starts an embedded sandbox with made-up data, so the
            notebook runs anywhere.
        """),
        code("""
            from contextlib import ExitStack

            from toolkit import Client
            from toolkit.errors import ConfigurationError

            session = ExitStack()  # the last cell closes the client (and the sandbox, if one was started)
            try:
                p1 = session.enter_context(Client.from_env())  # P1_BASE_URL, P1_ORG_ID, P1_API_KEY
                print("Connected to PharmaOne at", p1.base_url)
            except ConfigurationError:
                p1 = session.enter_context(Client.sandbox(orders=300))
                print("No P1_* settings found: working on an embedded sandbox at", p1.base_url)
            on_sandbox = p1.sandbox_server is not None
        """),
    ]


SANDBOX_ONLY = """
    The cells below fill the form in code, the way you would by hand, so that this notebook also runs
    unattended. They act only on the sandbox (`on_sandbox`): against a real PharmaOne they would send real
    requests, so there they do nothing.
"""


def close() -> nbformat.NotebookNode:
    return code("session.close()  # stops the client (and the sandbox)")


def close_when_done() -> nbformat.NotebookNode:
    """The end of a notebook with forms: closing there would leave the forms without a connection
    (Voila and "Run all" run every cell before anyone touches a form)."""
    return md("""
        When you are done with the forms, run `session.close()` to stop the client (and the sandbox).
        It is not a cell here: the forms above use the connection for as long as the page is open.
    """)


def quick_start() -> Cells:
    return [
        md("""
            # PharmaOne quick start
            Connect, list shops, orders, inventory and prescriptions as pandas DataFrames, and look at them
            with a few groupbys and plots. Every list call fetches all pages and returns a frame with
            normalised columns: ids are text, timestamps are UTC, money is float.
        """),
        *connect(),
        code("""
            import matplotlib.pyplot as plt

            from toolkit.vocabulary import LOW_STOCK_THRESHOLD
        """),
        md("## Shops"),
        code("""
            shops = p1.shops.list()
            shops
        """),
        md("""
            ## Orders
            `customer_name` is patient data: keep it in your notebook, never paste it into a shared channel.
            The views below leave it out.
        """),
        code("""
            orders = p1.orders.list()
            print(len(orders), "orders from", orders["created_at"].min(), "to", orders["created_at"].max())
            orders.drop(columns=["customer_name"]).head()
        """),
        code("orders.dtypes"),
        md("Orders and revenue by status, and by shop:"),
        code("""
            (
                orders.groupby("status")["total_amount"]
                .agg(orders="count", revenue="sum")
                .sort_values("orders", ascending=False)
            )
        """),
        code("""
            (
                orders.merge(shops[["shop_id", "name"]], on="shop_id", how="left")
                .groupby("name")["total_amount"]
                .agg(orders="count", revenue="sum", average="mean")
                .round(2)
            )
        """),
        md("Revenue per week (UTC), one line per shop:"),
        code("""
            weekly = (
                orders.set_index("created_at")
                .groupby("shop_id")["total_amount"]
                .resample("W")
                .sum()
                .unstack("shop_id", fill_value=0)
            )
            ax = weekly.plot(figsize=(9, 4), marker="o", title="Revenue per week and shop (EUR)")
            ax.set_xlabel("week")
            plt.show()
        """),
        md("""
            ## Inventory
            The organisation's stock; the products at or under the low-stock threshold:
        """),
        code("""
            inventory = p1.inventory.list()
            low = inventory[inventory["stock_quantity"] <= LOW_STOCK_THRESHOLD]
            print(len(inventory), "products,", len(low), "at or under", LOW_STOCK_THRESHOLD)
            low.sort_values("stock_quantity")[["p1_id", "name", "stock_quantity", "price"]].head(10)
        """),
        code("""
            units = inventory.groupby("category")["stock_quantity"].sum().sort_values()
            units.plot.barh(figsize=(7, 3), title="Units in stock per category")
            plt.show()
        """),
        md("""
            ## Prescriptions
            Prescriptions per shop and status:
        """),
        code("""
            prescriptions = p1.prescriptions.list()
            prescriptions.groupby(["shop_id", "status"]).size().unstack(fill_value=0)
        """),
        close(),
    ]


def adhoc_order() -> Cells:
    return [
        md("""
            # Ad-hoc order request
            `OrderForm` puts an order request together and sends it once: pick a shop, search its products
            (only available products in stock are offered), add items (never more than the stock), enter
            the customer and shipping, choose where to send it, check the total and the exact JSON, send.
        """),
        *connect(),
        md("""
            ## The form
            Messages appear beside a field as you type. The button is disabled while a request is in
            flight, and the form keeps its external reference: after an unknown outcome (timeout, 5xx) the
            retry sends the same reference, which PharmaOne answers with the first result, so no order
            request is ever created twice. Press *New order* for the next one.
        """),
        code("""
            from toolkit.widgets import OrderForm

            form = OrderForm(p1)
            form
        """),
        md("## The same steps in code\n" + textwrap.dedent(SANDBOX_ONLY)),
        code("""
            demo = OrderForm(p1)
            if on_sandbox:
                demo.shop.widget.value = "shop1"
                label, p1_id = demo.products.widget.options[0]  # the first product on offer
                print("adding 2 ×", label)
                demo.products.widget.value = p1_id
                demo.quantity.widget.value = 2
                demo.add_button.click()
                demo.customer_name.widget.value = "Max Mustermann"
                demo.customer_email.widget.value = "max@example.com"
            demo
        """),
        md("The JSON the form shows is built by the same toolkit call that sends it:"),
        code("demo.draft.body(p1) if on_sandbox else None"),
        code("""
            import json

            if on_sandbox:
                demo.submit_button.click()
                display(demo.result)
                shown = demo.draft.body(p1)
                [stored] = p1.sandbox_server.query(
                    "SELECT id, api, source, payload FROM order_requests WHERE external_reference = ?",
                    shown["external_reference"],
                )
                assert json.loads(stored["payload"]) == shown["payload"]  # stored as the form showed it
                print(stored["id"], stored["api"], stored["source"])
        """),
        md("""
            ## A bad day: PharmaOne answers 503 after it stored the request
            The sandbox can be told to lose the answer to the next order request. The form reports an
            unknown outcome and locks the order; the retry sends the same external reference, and the
            sandbox answers with the request it already has.
        """),
        code("""
            if on_sandbox:
                demo.new_button.click()
                demo.products.widget.value = demo.products.widget.options[0][1]
                demo.add_button.click()
                demo.customer_email.widget.value = "erika@example.com"
                p1.sandbox_server.fail_next(1, status=503, path_contains="order-requests", after_handler=True)
                demo.submit_button.click()
                print(demo.submit_button.description)
        """),
        code("""
            if on_sandbox:
                demo.submit_button.click()  # the retry
                reference = demo.draft.external_reference
                stored = p1.sandbox_server.query(
                    "SELECT id, status FROM order_requests WHERE external_reference = ?", reference
                )
                print(len(stored), "order request stored for", reference, stored)
        """),
        close_when_done(),
    ]


def prescription_ingest() -> Cells:
    return [
        md("""
            # Prescription ingest
            `PrescriptionForm` ingests one prescription field by field, or many from a CSV: every row is
            checked first, the good ones are ingested with a progress bar, each row gets a result, and the
            rows that failed come back in the CSV box, with the reason in `comment`, to fix and ingest
            again. Ingest is an upsert: with an `external_id`, ingesting a row again updates that
            prescription.
        """),
        *connect(),
        code("""
            from pathlib import Path

            from toolkit.widgets import PrescriptionForm
            from toolkit.widgets.prescription_rows import check_rows, read_rows

            form = PrescriptionForm(p1)
            form
        """),
        md("""
            ## The sample CSV
            `data/prescriptions_sample.csv` has four good rows and three rows that are wrong on purpose
            (their `comment` says *EXAMPLE OF A BAD ROW*). The checks the form runs, without widgets:
        """),
        code("""
            sample = Path("data/prescriptions_sample.csv").read_text(encoding="utf-8")
            known_shops = p1.shops.list()["shop_id"]
            check_rows(read_rows(sample), known_shops)[["line", "external_id", "shop_id", "problem"]]
        """),
        md("## One prescription, in code\n" + textwrap.dedent(SANDBOX_ONLY)),
        code("""
            demo = PrescriptionForm(p1)
            if on_sandbox:
                demo.shop.widget.value = "shop1"
                demo.customer_email.widget.value = "max@example.com"
                demo.optional["external_id"].widget.value = "RX-NOTEBOOK-001"
                demo.ingest_button.click()
                display(demo.result)
        """),
        md("## Many from the CSV"),
        code("""
            if on_sandbox:
                demo.tabs.selected_index = 1
                demo.csv.widget.value = sample  # what uploading the file does
                demo.bulk_button.click()
            demo
        """),
        md("The failed rows, ready to fix (here: the e-mail without @) and ingest again:"),
        code("""
            if on_sandbox:
                print(demo.csv.widget.value)
                fixed = demo.csv.widget.value.replace("tom.example.com", "tom@example.com")
                demo.csv.widget.value = fixed
                demo.bulk_button.click()
                display(demo.bulk_summary)
        """),
        md("""
            ## Without the form
            `p1.prescriptions.ingest_many(frame)` ingests a DataFrame directly and returns one result row
            per input row (`id`, `upsert`, `error`):
        """),
        code("""
            if on_sandbox:
                good = check_rows(read_rows(sample), known_shops).query("problem == ''")
                display(p1.prescriptions.ingest_many(good[["shop_id", "customer_email", "external_id"]]))
        """),
        close_when_done(),
    ]


def daily_report_and_sales() -> Cells:
    return [
        md("""
            # Daily report and sales analysis
            The daily report the bot posts to Slack every morning, here as frames and a chart, followed by
            a look at sales over the last weeks: revenue per day with a weekly average, weekdays, and the
            products that grow or shrink.
        """),
        *connect(),
        code("""
            import matplotlib.pyplot as plt
            import pandas as pd
            from IPython.display import Image

            from toolkit.report import print_report, render_chart
            from toolkit.report.fetch import daily_report
            from toolkit.vocabulary import REVENUE_EXCLUDED_ORDER_STATUSES
        """),
        md("""
            ## The daily report
            Yesterday in Europe/Berlin; pass a date (or "YYYY-MM-DD") and `tz=` for another day or zone.
            Its frames hold no patient data.
        """),
        code("""
            report = daily_report(p1)
            print_report(report)
        """),
        code("Image(render_chart(report))"),
        code("report.by_shop"),
        code("report.top_products"),
        code("report.low_stock"),
        md("""
            ## Revenue per day
            Orders counted by local day, without the statuses that do not count as revenue, with a
            seven-day average:
        """),
        code("""
            orders = p1.orders.list()
            counted = orders[~orders["status"].isin(REVENUE_EXCLUDED_ORDER_STATUSES)]
            local_day = counted["created_at"].dt.tz_convert(report.tz).dt.date.rename("day")
            daily = counted.groupby(local_day)["total_amount"].agg(orders="count", revenue="sum").tail(30)
            daily["revenue, 7-day average"] = daily["revenue"].rolling(7, min_periods=1).mean()
            daily[["revenue", "revenue, 7-day average"]].plot(figsize=(9, 4), title="Revenue per day (EUR)")
            plt.show()
        """),
        md("Which weekdays sell:"),
        code("""
            weekday = counted["created_at"].dt.tz_convert(report.tz).dt.day_name().rename("weekday")
            order = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
            counted.groupby(weekday)["total_amount"].agg(orders="count", revenue="sum").reindex(order)
        """),
        md("""
            ## Products
            `/reports/product-performance` compares the last 30 days with the 30 before:
        """),
        code("""
            performance = p1.reports.product_performance().frame("products")
            performance.sort_values("revenue", ascending=False).head(10)
        """),
        code("""
            change = performance.dropna(subset=["revenue_change_pct"]).set_index("name")["revenue_change_pct"]
            change = change.sort_values()
            movers = change if len(change) <= 10 else pd.concat([change.head(5), change.tail(5)])  # both ends
            movers.plot.barh(figsize=(8, 4), title="Revenue change against the previous 30 days (%)")
            plt.show()
        """),
        md("This month's sales per product (`/reports/product-sales`):"),
        code("""
            sales = p1.reports.product_sales()
            sales.frame("products").sort_values("gross_revenue", ascending=False).head(10)
        """),
        close(),
    ]


NOTEBOOKS: dict[str, Callable[[], Cells]] = {
    "01_quick_start.ipynb": quick_start,
    "02_adhoc_order.ipynb": adhoc_order,
    "03_prescription_ingest.ipynb": prescription_ingest,
    "04_daily_report.ipynb": daily_report_and_sales,
}


def build(name: str) -> nbformat.NotebookNode:
    notebook = new_notebook(cells=NOTEBOOKS[name]())
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for number, cell in enumerate(notebook.cells):
        cell.id = f"{Path(name).stem}-{number:02d}"  # stable ids: rebuilding changes nothing
    return notebook


def main() -> None:
    for name in NOTEBOOKS:
        nbformat.write(build(name), HERE / name)
        print("wrote", HERE / name, file=sys.stderr)


if __name__ == "__main__":
    main()
