#!/usr/bin/env python3
"""How a bench run compares with the article, row by row: a benchmark script's report, not a test.

  scripts/fidelity.py ARTICLE_TXT REPORT_JSON [OLD_REPORT_JSON]

ARTICLE_TXT: the article's text (its four tables: Server | Avg ms | ... | Req/Sec | ...).
REPORT_JSON: `bench report --format json` of the run; OLD_REPORT_JSON: of an earlier run, for
the old-against-new column. Prints markdown: per scenario, each row's article req/s, bench's
median with its 95% interval, the ratio bench / article, that ratio over the table's median
ratio (the machines differ; rows beyond 2x of it are marked), new / old, the ranks, and
Spearman's rank correlation between the article's order and bench's over the rows both
measured. Figures are bench's own estimates, never recomputed here.
"""

import json
import re
import sys

SCENARIOS = ["hello", "json", "cpu", "io"]


def article_tables(path):
    """Scenario -> row -> req/s, from the article's tables in the order they appear."""
    tables, current = [], None
    for line in open(path, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[:2] == ["Server", "Avg ms"]:
            current = {}
            tables.append(current)
            columns = cells
        elif current is not None and len(cells) >= 6 and re.match(r"^[\w-]+$", cells[0]):
            rps = cells[columns.index("Req/Sec")].replace(",", "")
            try:
                current[cells[0]] = float(rps)
            except ValueError:
                pass
        elif current is not None and not line.strip():
            current = None
    if len(tables) != len(SCENARIOS):
        sys.exit(f"fidelity.py: {len(tables)} tables in {path}, expected {len(SCENARIOS)}")
    return dict(zip(SCENARIOS, tables))


def bench_cells(path):
    """Scenario -> row -> (median, low, high, executions, outcome label)."""
    with open(path) as f:
        report = json.load(f)
    out = {}
    for scenario in report["scenarios"]:
        rows = out.setdefault(scenario["name"], {})
        for cell in scenario["medians"]:
            stats = cell.get("statistics") or {}
            rps = (stats.get("estimates") or {}).get("requests_per_second") or {}
            rows[cell["name"]] = (
                rps.get("point") if cell.get("measured") else None,
                rps.get("low"),
                rps.get("high"),
                stats.get("executions", 0),
                cell.get("outcome_label", ""),
            )
    return out


def ranks(values):
    """Average ranks (1 = highest), ties sharing the mean of their places."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(xs, ys):
    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sx = sum((a - mx) ** 2 for a in rx) ** 0.5
    sy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (sx * sy) if sx and sy else float("nan")


def num(v):
    return "–" if v is None else f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"


def ratio(a, b):
    return "–" if a is None or not b else f"{a / b:.2f}×"


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    article = article_tables(argv[1])
    new = bench_cells(argv[2])
    old = bench_cells(argv[3]) if len(argv) == 4 else None
    for scenario in SCENARIOS:
        rows = new.get(scenario, {})
        ref = article[scenario]
        both = [r for r in ref if rows.get(r, (None,))[0] is not None]
        art_rank = dict(zip(both, ranks([ref[r] for r in both])))
        our_rank = dict(zip(both, ranks([rows[r][0] for r in both])))
        # The machines differ (the article's i7-12700H against this VM): a row is out of line
        # when its ratio strays from the table's median ratio, not when the ratio is below 1.
        ratios = sorted(rows[r][0] / ref[r] for r in both)
        typical = ratios[len(ratios) // 2] if ratios else None
        print(f"### {scenario}\n")
        if typical:
            print(f"Median bench / article ratio: {typical:.2f}×; rows beyond 2× of it either way are marked ⚠.\n")
        head = "| Row | Article req/s | bench req/s (95% interval) | N | bench / article | ÷ median ratio | Rank article | Rank bench |"
        rule = "|---|---|---|---|---|---|---|---|"
        if old:
            head += " Earlier bench req/s | new / earlier |"
            rule += "---|---|"
        print(head)
        print(rule)
        for row in ref:
            point, low, high, n, label = rows.get(row, (None, None, None, 0, "not in this run"))
            shown = num(point) if point is not None else label
            if point is not None and low is not None:
                shown += f" ({num(low)}–{num(high)})"
            relative = "–"
            if point is not None and typical:
                r = point / ref[row] / typical
                relative = f"{r:.2f}" + (" ⚠" if r > 2 or r < 0.5 else "")
            line = (f"| {row} | {num(ref[row])} | {shown} | {n} | {ratio(point, ref[row])} | "
                    f"{relative} | {art_rank.get(row, '–')} | {our_rank.get(row, '–')} |")
            if old:
                before = old.get(scenario, {}).get(row, (None,))[0]
                line += f" {num(before)} | {ratio(point, before)} |"
            print(line.replace(".0 |", " |"))
        rho = spearman([ref[r] for r in both], [rows[r][0] for r in both]) if len(both) > 2 else float("nan")
        print(f"\nSpearman's rank correlation with the article over {len(both)} rows: {rho:.2f}\n")


if __name__ == "__main__":
    main(sys.argv)
