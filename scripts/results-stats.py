#!/usr/bin/env python3
"""Figures computed from stored results, for scripts/noise-floor.sh and scripts/bench-cost.sh.

  results-stats.py split ALL A B SEED
  results-stats.py noise-floor DIR EXECUTIONS DURATION WARMUP SEED WALL_S SELECTION
  results-stats.py cost DIR REPORT_JSON WALL_S CELLS_SELECTED CELLS_MATRIX MIN_EXECUTIONS SELECTION

Interval half-widths are bench's own (`bench report --format json`), never recomputed here.
"""

import json
import math
import os
import random
import statistics
import sys
from collections import defaultdict

# The article matrix's targets (docs/statistics.md, "Noise floor and cost").
TARGET_WALL_S = 2.5 * 3600
TARGET_MEASURING = 0.70
TARGET_HALF_WIDTH = 0.05


def load(directory):
    """Every stored result under `directory` (files that are not results are skipped)."""
    results = []
    for root, _, files in os.walk(directory):
        for name in sorted(files):
            if name.endswith(".json"):
                with open(os.path.join(root, name)) as f:
                    doc = json.load(f)
                if isinstance(doc, dict) and "hash" in doc and "repetition" in doc:
                    doc["_path"] = os.path.relpath(os.path.join(root, name), directory)
                    results.append(doc)
    return results


def split(all_dir, a_dir, b_dir, seed):
    """Pairs each cell's executions (1,2), (3,4)...; a seeded coin sends one of each pair to
    A, the other to B, renumbered 1, 2... on each side. An unpaired last execution is left out."""
    coin = random.Random(int(seed))
    by_cell = defaultdict(list)
    for r in load(all_dir):
        by_cell[r["hash"]].append(r)
    for cell in sorted(by_cell):
        runs = sorted(by_cell[cell], key=lambda r: r["repetition"])
        for k, pair in enumerate(zip(runs[0::2], runs[1::2]), start=1):
            sides = list(pair)
            coin.shuffle(sides)
            for side, r in zip((a_dir, b_dir), sides):
                write(side, r, k)


def write(directory, result, repetition):
    folder = os.path.join(directory, os.path.dirname(result["_path"]))
    result = {key: value for key, value in result.items() if key != "_path"}
    os.makedirs(folder, exist_ok=True)
    result["repetition"] = repetition
    with open(os.path.join(folder, f"{result['hash'][:12]}-r{repetition}.json"), "w") as f:
        json.dump(result, f, indent=2)


def estimates(report_json):
    """Cell id -> its `estimates` (bench's CellEstimates), from `bench report --format json`
    (each scenario's `medians`: a cell's id beside its `statistics`)."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            stats = node.get("statistics")
            if isinstance(node.get("id"), str) and isinstance(stats, dict) and stats.get("estimates"):
                found[node["id"]] = stats["estimates"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    with open(report_json) as f:
        walk(json.load(f))
    if not found:
        sys.exit(f"results-stats.py: no cell estimates found in {report_json}")
    return found


def half_widths(report_jsons, figure):
    values = []
    for path in report_jsons:
        for cell in estimates(path).values():
            h = (cell.get(figure) or {}).get("relative_half_width")
            if h is not None:
                values.append(h)
    return values


def wilson(k, n, z=1.959964):
    """95% Wilson score interval of a binomial proportion k/n: sound at small n and k = 0."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def pct(x):
    return f"{100 * x:.1f}%"


def spread(values):
    if not values:
        return "n/a (no cell had an interval)"
    return (f"median ±{pct(statistics.median(values))}, "
            f"range ±{pct(min(values))}–±{pct(max(values))} over {len(values)} cells")


def noise_floor(directory, executions, duration, warmup, seed, wall, selection):
    with open(os.path.join(directory, "compare.json")) as f:
        comparison = json.load(f)
    verdicts = defaultdict(list)
    for scenario in comparison["scenarios"]:
        for row in scenario["rows"]:
            for change in row["figures"]:
                if change.get("verdict") is not None:
                    verdicts[change["figure"]].append(change["verdict"])
    reports = [os.path.join(directory, f"{side}.json") for side in ("a", "b")]
    print(f"### Noise floor (A/A) of `bench compare`\n")
    print(f"Cells `{selection}`, {executions} executions a side of {duration} "
          f"(warm-up up to {warmup}), one interleaved run split in two (seed {seed}); "
          f"wall {wall // 60} min {wall % 60} s. Results: `{directory}`.\n")
    print("| figure | cells with a verdict | false positives | rate (95% interval) |")
    print("|---|---|---|---|")
    total_k = total_n = 0
    for figure in ("requests_per_second", "latency_mean", "latency_p50", "latency_p99"):
        got = verdicts.get(figure, [])
        k = sum(v != "no_difference" for v in got)
        total_k, total_n = total_k + k, total_n + len(got)
        low, high = wilson(k, len(got))
        rate = pct(k / len(got)) if got else "n/a"
        print(f"| {figure} | {len(got)} | {k} | {rate} ({pct(low)}–{pct(high)}) |")
    low, high = wilson(total_k, total_n)
    rate = pct(total_k / total_n) if total_n else "n/a"
    print(f"| all figures | {total_n} | {total_k} | {rate} ({pct(low)}–{pct(high)}) |\n")
    print("Expected at 95% intervals: about 5% per figure. The figures of one cell are "
          "correlated, so the 'all figures' interval is narrower than it should be.\n")
    print(f"Interval half-width per cell, {executions} executions (both sides pooled):\n")
    for figure, label in (("requests_per_second", "requests/s"), ("latency_p50", "latency p50"),
                          ("latency_p99", "latency p99")):
        print(f"- {label}: {spread(half_widths(reports, figure))}")


def cost(directory, report, wall, selected, matrix_cells, min_executions, selection):
    results = load(directory)
    ok = [r for r in results if r.get("outcome") == "ok"]
    phases = defaultdict(int)
    for r in results:
        for phase, ms in (r.get("provenance", {}).get("phases_ms") or {}).items():
            phases[phase] += ms
    container_ms = sum(phases.values())
    measuring = phases.get("measure", 0) / container_ms if container_ms else 0.0
    build_s = sum(r.get("provenance", {}).get("build_seconds") or 0 for r in results)
    per_cell = defaultdict(int)
    for r in results:
        per_cell[r["hash"]] += 1
    executions = statistics.median(per_cell.values()) if per_cell else 0
    widths = half_widths([report], "requests_per_second")
    tight = sum(h <= TARGET_HALF_WIDTH for h in widths)
    print(f"### Cost of executions\n")
    print(f"Cells `{selection}`: {selected} selected, {len(per_cell)} stored, "
          f"{len(results)} executions ({len(ok)} ok). Results: `{directory}`.\n")
    print("| figure | value |\n|---|---|")
    print(f"| wall time | {wall // 60} min {wall % 60} s (image builds {build_s:.0f} s) |")
    print(f"| container time | {container_ms / 1000:.0f} s, measuring {pct(measuring)} |")
    phase_text = ", ".join(f"{p} {ms / 1000:.0f} s" for p, ms in sorted(phases.items()))
    print(f"| container time by phase | {phase_text} |")
    print(f"| executions per cell | median {executions}, range "
          f"{min(per_cell.values(), default=0)}–{max(per_cell.values(), default=0)} |")
    print(f"| cells with req/s half-width ≤ {pct(TARGET_HALF_WIDTH)} | {tight} of "
          f"{len(widths)} ({pct(tight / len(widths)) if widths else 'n/a'}) |\n")
    if not results or not per_cell:
        print("Nothing stored: no extrapolation.")
        return
    # Builds are paid once per image whatever the executions; the rest scales with them.
    per_execution_s = (wall - build_s) / len(results)
    whole = matrix_cells * max(min_executions, executions) * per_execution_s
    verdict_wall = "meets" if whole <= TARGET_WALL_S else "misses"
    verdict_share = "meets" if measuring >= TARGET_MEASURING else "misses"
    print(f"Extrapolated to the article matrix ({matrix_cells} cells, "
          f"{max(min_executions, executions)} executions a cell, images built already, at "
          f"{per_execution_s:.1f} s wall an execution as here): "
          f"{int(whole // 3600)} h {int(whole % 3600 // 60)} min, which {verdict_wall} the "
          f"target of ≤ 2 h 30 min; measuring {pct(measuring)} of container time "
          f"{verdict_share} the target of ≥ {pct(TARGET_MEASURING)}. Assumes these cells' "
          "settings (duration, warm-up) for every cell.")


def main(argv):
    commands = {"split": (split, 4), "noise-floor": (noise_floor, 7), "cost": (cost, 7)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        sys.exit(__doc__)
    function, _ = commands[argv[1]]
    args = [int(a) if a.isdigit() else a for a in argv[2:]]
    function(*args)


if __name__ == "__main__":
    main(sys.argv)
