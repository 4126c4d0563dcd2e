#!/usr/bin/env python3
"""Figures computed from stored results, for scripts/noise-floor.sh and scripts/bench-cost.sh.

  results-stats.py split ALL A B SEED
  results-stats.py noise-floor DIR EXECUTIONS DURATION WARMUP SEED WALL_S SELECTION
  results-stats.py cost DIR REPORT_JSON WALL_S SELECTION MATRIX_EXPAND_JSON MIN_EXECUTIONS

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
            f"range ±{pct(min(values))}–±{pct(max(values))} over {len(values)} estimates")


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
    print(f"95% interval half-width of a cell measured {executions} times, each cell once "
          "per side:\n")
    for figure, label in (("requests_per_second", "requests/s"), ("latency_p50", "latency p50"),
                          ("latency_p99", "latency p99")):
        print(f"- {label}: {spread(half_widths(reports, figure))}")
    print()
    machine(load(os.path.join(directory, "all")))


def machine(results):
    """What the machine did meanwhile: the hypervisor's steal while measuring, host-quiet
    failures, the quiet gate's waits, and the calibration figure's spread."""
    steal = sorted(r["usage"]["steal_cores"] for r in results
                   if (r.get("usage") or {}).get("steal_cores") is not None)
    noisy = sum(any(c["name"] == "host-quiet" and not c["passed"] for c in r.get("checks", []))
                for r in results)
    waits = [r["calibration"]["host_wait"] for r in results
             if (r.get("calibration") or {}).get("host_wait")]
    speeds = [r["calibration"]["mops_per_second"] for r in results if r.get("calibration")]
    print(f"The machine meanwhile ({len(results)} executions):\n")
    if steal:
        print(f"- hypervisor steal while measuring: median {statistics.median(steal):.2f} "
              f"cores, max {steal[-1]:.2f}; above 0.1 cores in {sum(s > 0.1 for s in steal)}")
    print(f"- host-quiet failed in {noisy} of {len(results)} executions")
    if waits:
        waited = sorted(w["waited_ms"] for w in waits)
        print(f"- quiet gate: median wait {statistics.median(waited) / 1000:.1f} s, "
              f"max {waited[-1] / 1000:.1f} s; started on a busy host "
              f"{sum(not w['quiet'] for w in waits)} times")
    if speeds:
        print(f"- calibration figure: fastest over slowest {max(speeds) / min(speeds):.2f}x")


def cost(directory, report, wall, selection, matrix_json, min_executions):
    results = load(directory)
    timed = [r for r in results if r.get("provenance", {}).get("phases_ms")]
    phases = defaultdict(int)
    for r in timed:
        for phase, ms in r["provenance"]["phases_ms"].items():
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
    ok = sum(r.get("outcome") == "ok" for r in results)
    print("### Cost of executions\n")
    print(f"Cells `{selection}`: {len(per_cell)} cells, {len(results)} executions ({ok} ok). "
          f"Results: `{directory}`.\n")
    print("| figure | value |\n|---|---|")
    print(f"| wall time | {wall // 60} min {wall % 60} s (image builds {build_s:.0f} s) |")
    print(f"| container time | {container_ms / 1000:.0f} s, measuring {pct(measuring)} |")
    phase_text = ", ".join(f"{p} {ms / 1000:.0f} s" for p, ms in sorted(phases.items()))
    print(f"| container time by phase | {phase_text} |")
    print(f"| executions per cell | median {executions}, range "
          f"{min(per_cell.values(), default=0)}–{max(per_cell.values(), default=0)} |")
    share = pct(tight / len(widths)) if widths else "n/a"
    print(f"| cells with req/s half-width ≤ {pct(TARGET_HALF_WIDTH)} | {tight} of "
          f"{len(widths)} ({share}) |\n")
    if not timed:
        print("No timed execution stored: no extrapolation.")
        return
    extrapolate(matrix_json, timed, wall - build_s, max(min_executions, executions))


def extrapolate(matrix_json, timed, wall_s, executions):
    """The article matrix at its own settings: per execution, the cell's full warm-up and
    duration (the steady rule may cut the warm-up: an upper bound) plus the overhead this
    sample paid beyond its own warm-up and measurement, in wall time and in container time."""
    with open(matrix_json) as f:
        cells = [c for c in json.load(f) if not c.get("na")]
    loaded = [sum(r["provenance"]["phases_ms"].get(p, 0) for p in ("warmup", "measure"))
              for r in timed]
    container = [sum(r["provenance"]["phases_ms"].values()) for r in timed]
    wall_overhead_ms = wall_s * 1000 / len(timed) - statistics.mean(loaded)
    container_overhead_ms = statistics.mean(c - l for c, l in zip(container, loaded))
    settings = [c["load"]["warmup_ms"] + c["load"]["duration_ms"] for c in cells]
    measure = sum(c["load"]["duration_ms"] for c in cells)
    whole_s = executions * sum(s + wall_overhead_ms for s in settings) / 1000
    share = measure / sum(s + container_overhead_ms for s in settings)
    meets = {True: "meets", False: "misses"}
    print(f"Extrapolated to the article matrix ({len(cells)} measured cells at their own "
          f"settings, {executions} executions a cell, images built already, overhead per "
          f"execution as here: {wall_overhead_ms / 1000:.1f} s wall, "
          f"{container_overhead_ms / 1000:.1f} s in the container): wall "
          f"{int(whole_s // 3600)} h {int(whole_s % 3600 // 60)} min, which "
          f"{meets[whole_s <= TARGET_WALL_S]} the target of ≤ 2 h 30 min; measuring "
          f"{pct(share)} of container time, which {meets[share >= TARGET_MEASURING]} the "
          f"target of ≥ {pct(TARGET_MEASURING)}. Warm-ups counted in full (an upper bound).")


def main(argv):
    commands = {"split": (split, 4), "noise-floor": (noise_floor, 7), "cost": (cost, 6)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        sys.exit(__doc__)
    function, _ = commands[argv[1]]
    args = [int(a) if a.isdigit() else a for a in argv[2:]]
    function(*args)


if __name__ == "__main__":
    main(sys.argv)
