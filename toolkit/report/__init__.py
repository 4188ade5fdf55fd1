"""The daily report: figures for one local day computed from the toolkit's frames, a chart, a terminal view.

from toolkit.report import daily_report, print_report, render_chart
report = daily_report(p1, "2026-06-14")  # or a date; None = yesterday; tz="Europe/Berlin" by default
print_report(report)                     # rich tables; report.by_shop, .daily, .low_stock... are frames
render_chart(report, "report.png")       # PNG bytes, also written to the path
"""

from toolkit.report.chart import render_chart
from toolkit.report.compute import DailyReport, build_report
from toolkit.report.days import ReportDateError, parse_report_day
from toolkit.report.fetch import daily_report
from toolkit.report.render_terminal import print_report, report_renderable

__all__ = [
    "DailyReport",
    "ReportDateError",
    "build_report",
    "daily_report",
    "parse_report_day",
    "print_report",
    "render_chart",
    "report_renderable",
]
