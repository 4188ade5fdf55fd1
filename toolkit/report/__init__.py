"""The daily report: figures for one local day computed from the toolkit's frames, a chart, a terminal view.

from toolkit.report import daily_report, render_chart, print_report
report = daily_report(p1, date(2026, 6, 14))          # tz="Europe/Berlin", low_stock_threshold=10
render_chart(report, "report.png"); print_report(report)
"""

from toolkit.report.chart import render_chart
from toolkit.report.compute import DailyReport, build_report
from toolkit.report.days import ReportDateError, parse_report_day
from toolkit.report.render_terminal import print_report, report_renderable

__all__ = [
    "DailyReport",
    "ReportDateError",
    "build_report",
    "parse_report_day",
    "print_report",
    "render_chart",
    "report_renderable",
]
