#!/usr/bin/env bash
# Render the HTML report of a results directory, open it in headless Chromium, check the
# rendered DOM has non-empty charts, and save a screenshot.
#
#   scripts/report-screenshot.sh [RESULTS_DIR] [OUT_DIR]
#
# RESULTS_DIR defaults to tests/fixtures/results-mixed, OUT_DIR to target/report-screenshot.
# Writes OUT_DIR/report.html, OUT_DIR/dom.html and OUT_DIR/report.png. Exits non-zero when
# Chromium is missing and cannot be installed, when the page has no <svg>, when a chart is
# empty (no bar, line or mark of non-zero size), or when the screenshot is missing.
# BENCH=path/to/bench skips the cargo build.
set -euo pipefail

cd "$(dirname "$0")/.."
results=${1:-tests/fixtures/results-mixed}
out=${2:-target/report-screenshot}
mkdir -p "$out"
out=$(cd "$out" && pwd)

fail() { echo "report-screenshot: $*" >&2; exit 1; }

if [[ -z "${BENCH:-}" ]]; then
    cargo build --quiet --bin bench
    BENCH="${CARGO_TARGET_DIR:-target}/debug/bench"
fi
[[ -x "$BENCH" ]] || fail "no bench binary at $BENCH (set BENCH or run cargo build)"

chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$chromium" ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "report-screenshot: installing Debian's chromium" >&2
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
            || fail "apt-get install chromium failed"
        chromium=$(command -v chromium) || fail "chromium still missing after install"
    else
        fail "chromium is not installed: run 'apt-get install -y chromium' as root"
    fi
fi

"$BENCH" report --results "$results" --format html -o "$out/report.html"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile")
url="file://$out/report.html"

timeout 120 "$chromium" "${flags[@]}" --dump-dom "$url" >"$out/dom.html" 2>"$out/chromium-dom.log" \
    || fail "chromium --dump-dom failed (see $out/chromium-dom.log)"

# Every <svg> must draw something: a bar with width > 0, a line path, or a mark.
python3 - "$out/dom.html" <<'PY'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
svgs = re.findall(r"<svg\b.*?</svg>", dom, flags=re.S)
if not svgs:
    sys.exit("report-screenshot: the rendered page has no <svg> element")
empty = []
for i, svg in enumerate(svgs):
    bars = [float(w) for w in re.findall(r'<rect class="bar[^"]*"[^>]*\bwidth="([0-9.]+)"', svg)]
    paths = re.findall(r'<path[^>]*\bd="M[^"]+L[^"]+"', svg)
    marks = re.findall(r"<circle\b[^>]*\br=\"[1-9]", svg)
    title = re.search(r'aria-label="([^"]*)"', svg)
    if not (any(w > 0 for w in bars) or paths or marks):
        empty.append(title.group(1) if title else f"svg #{i + 1}")
if empty:
    sys.exit("report-screenshot: empty chart(s): " + "; ".join(empty))
print(f"report-screenshot: {len(svgs)} charts, all drawn")
PY

# Sorting works: click "Req/Sec" twice (descending) in a copy of the page and read the order.
python3 - "$out/report.html" "$out/sort-check.html" <<'PY'
import sys
check = """<script>
(function () {
  var table = document.querySelector("table.sortable");
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var column = heads.findIndex(function (h) { return h.textContent.trim() === "Req/Sec"; });
  heads[column].click(); heads[column].click();
  var values = Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[column].getAttribute("data-v"); })
    .filter(function (v) { return v !== ""; }).map(Number);
  var sorted = values.every(function (v, i) { return i === 0 || values[i - 1] >= v; });
  document.body.setAttribute("data-sort-check", sorted && values.length > 1 ? "ok" : "fail");
})();
</script></body>"""
page = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "w", encoding="utf-8").write(page.replace("</body>", check))
PY
timeout 120 "$chromium" "${flags[@]}" --dump-dom "file://$out/sort-check.html" 2>/dev/null | grep -q 'data-sort-check="ok"' \
    || fail "sorting the table by Req/Sec did not give descending values (or a table had fewer than two measured rows)"
echo "report-screenshot: sorting by a column works"

timeout 120 "$chromium" "${flags[@]}" --hide-scrollbars --window-size=1400,2000 --screenshot="$out/report.png" "$url" \
    >"$out/chromium-shot.log" 2>&1 || fail "chromium --screenshot failed (see $out/chromium-shot.log)"
[[ -s "$out/report.png" ]] || fail "no screenshot written to $out/report.png"
echo "report-screenshot: screenshot $out/report.png"
