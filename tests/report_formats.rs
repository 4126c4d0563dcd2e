//! Every report format on a fixed fixture (snapshots), escaping of hostile reasons, the
//! exports' completeness, and user templates.

use std::path::Path;

use bench::report::{self, Format, ReportError, ReportModel};
use bench::store::{CellResult, Store};

fn mixed() -> Vec<CellResult> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-mixed");
    let loaded = Store::open(dir).unwrap().load().unwrap();
    assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
    loaded.results
}

fn render(format: Format) -> String {
    String::from_utf8(report::render(&mixed(), format, None).unwrap()).unwrap()
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!("mixed_markdown", render(Format::Markdown));
}

#[test]
fn html_snapshot() {
    insta::assert_snapshot!("mixed_html", render(Format::Html));
}

#[test]
fn csv_snapshot() {
    insta::assert_snapshot!("mixed_csv", render(Format::Csv));
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("mixed_json", render(Format::Json));
}

#[test]
fn markdown_shows_na_rows_with_escaped_reasons_and_medians() {
    let md = render(Format::Markdown);
    assert!(md.contains("flask-gunicorn-tornado[^3] | N/A | N/A | N/A | N/A | N/A |"), "{md}");
    assert!(md.contains("[^3]: flask-gunicorn-tornado: failed: server crashed: &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; exit code 1"), "{md}");
    assert!(!md.contains("<script>"), "raw HTML must not reach the markdown");
    // A `|` in a reason must not split the table cell or footnote.
    assert!(md.contains("bjoern does not build on PyPy \\| marked n/a"), "{md}");
    // Median of three repetitions (6,500 / 6,551 / 6,702) by Req/Sec, and said so.
    assert!(md.contains("falcon-gunicorn[^1] | 3.04 | 0.43 | 12.77 | 6,551 | 131,020 |"), "{md}");
    assert!(
        md.contains(
            "median of 3 measured repetitions by Req/Sec (repetition 2; Req/Sec 6,500–6,702)"
        ),
        "{md}"
    );
    assert!(md.contains("1 older result of another configuration (other hash) left out"), "{md}");
    // Failed honesty check.
    assert!(md.contains("check generator-saturated failed"), "{md}");
    // Scenarios in scenario_index order, sweep rows in numeric order.
    let hello = md.find("## hello").unwrap();
    let io = md.find("## io").unwrap();
    assert!(hello < io);
    let c16 = md.find("aiohttp (connections=16)").unwrap();
    let c64 = md.find("aiohttp (connections=64)").unwrap();
    let c256 = md.find("aiohttp (connections=256)").unwrap();
    assert!(c16 < c64 && c64 < c256);
    // Methodology from the settings actually used.
    for needle in [
        "| 1 vCPU |",
        "| 512 MiB |",
        "| 20 s |",
        "| 5 s |",
        "| 16, 64, 256 |",
        "| 24.0.7 |",
        "| 6.1.0-27-amd64 |",
        "2026-11-20T09:00:00Z to 2026-11-26T11:30:00Z",
    ] {
        assert!(md.contains(needle), "methodology lacks {needle}:\n{md}");
    }
}

#[test]
fn html_is_self_contained_escaped_and_has_charts() {
    let html = render(Format::Html);
    assert!(!html.contains("<script>alert"), "a reason's script tag reached the page");
    assert!(html.contains(
        "server crashed: &lt;script&gt;alert(&quot;x&quot;)&lt;&#x2f;script&gt; &amp; exit code 1"
    ));
    assert!(html.contains("&lt;b&gt;rps&lt;&#x2f;b&gt; is a floor &amp; not"));
    // Self-contained: nothing fetched from anywhere.
    for external in ["http://", "https://", "<link", " src=", "@import", "url("] {
        assert!(!html.contains(external), "HTML references something external: {external}");
    }
    // Per scenario: requests/s, latency percentiles, CPU, memory; the io sweep adds two lines.
    assert_eq!(html.matches("<svg class=\"chart bar-chart\"").count(), 6);
    assert_eq!(html.matches("<svg class=\"chart percentile-chart\"").count(), 2);
    assert_eq!(html.matches("<svg class=\"chart line-chart\"").count(), 2);
    assert_eq!(html.matches("<path class=\"series\"").count(), 4);
    assert!(html.contains("io: requests&#x2f;s against connections"));
    // Failed check highlighted beside the figure it concerns.
    assert!(html.contains("<span class=\"check fail\""));
    assert!(html.contains("class=\"num suspect\" data-v=\"12312.0\""));
    assert_eq!(html.matches("<table class=\"results sortable\">").count(), 2);
}

#[test]
fn csv_has_every_field_one_record_per_result_and_the_median_flag() {
    let results = mixed();
    let csv = render(Format::Csv);
    let lines: Vec<&str> = csv.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    for column in [
        "median",
        "current",
        "scenario",
        "name",
        "sweep",
        "repetition",
        "outcome",
        "reason",
        "load.latency.p99_us",
        "load.corrected_latency.p50_us",
        "load.errors.status",
        "load.ok_rps",
        "usage.memory_bytes_max",
        "provenance.packages",
        "resources.memory_bytes",
        "load_settings.warmup_ms",
        "checks",
        "log_tail",
        "schema_version",
    ] {
        assert!(header.contains(&column), "no column {column} in {header:?}");
    }
    // The failed row's reason holds a comma-free quote: quoted, quotes doubled.
    assert!(
        csv.contains("\"server crashed: <script>alert(\"\"x\"\")</script> & exit code 1\""),
        "{csv}"
    );
    // One record per stored result (log lines have no line breaks here).
    assert_eq!(lines.len(), 1 + results.len());
    let medians = lines[1..].iter().filter(|l| l.starts_with("true,")).count();
    assert_eq!(medians, 5 + 6, "one median per row of each scenario");
}

#[test]
fn json_export_round_trips_every_stored_result() {
    let results = mixed();
    let json: serde_json::Value = serde_json::from_str(&render(Format::Json)).unwrap();
    let exported: Vec<CellResult> = serde_json::from_value(json["results"].clone()).unwrap();
    let mut expected = results.clone();
    let key = |r: &CellResult| (r.id.clone(), r.hash.clone(), r.repetition);
    expected.sort_by_key(key);
    let mut exported_sorted = exported.clone();
    exported_sorted.sort_by_key(key);
    assert_eq!(exported_sorted, expected);
    let flags: Vec<(bool, bool)> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["median"].as_bool().unwrap(), r["current"].as_bool().unwrap()))
        .collect();
    assert_eq!(flags.iter().filter(|f| f.0).count(), 11);
    assert_eq!(flags.iter().filter(|f| !f.1).count(), 1, "the older configuration is not current");
    let hello = &json["scenarios"][0];
    assert_eq!(hello["name"], "hello");
    assert_eq!(hello["medians"][0]["shown_repetition"], 2);
    assert_eq!(hello["medians"][0]["ok_rps"], 6551.0);
    assert_eq!(hello["medians"][2]["outcome"], "failed");
}

#[test]
fn a_user_template_replaces_the_shipped_one() {
    let template = "{% for s in scenarios %}{{ s.name }}:{% for r in s.rows %} {{ r.label }}={{ r.ok_rps|int }}{% endfor %}\n{% endfor %}";
    let out = report::render(&mixed(), Format::Markdown, Some(template)).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with(
            "hello: falcon-gunicorn=6,551 flask-bjoern=12,312 flask-gunicorn-tornado=N/A"
        ),
        "{text}"
    );
    // HTML templates escape whatever the user's template prints.
    let html =
        report::render(&mixed(), Format::Html, Some("{{ scenarios[0].rows[2].reason }}")).unwrap();
    assert_eq!(
        String::from_utf8(html).unwrap(),
        "server crashed: &lt;script&gt;alert(&quot;x&quot;)&lt;&#x2f;script&gt; &amp; exit code 1"
    );
}

#[test]
fn template_errors_say_where() {
    let err = report::render(&mixed(), Format::Markdown, Some("line one\n{{ scenarios[0].nope }}"))
        .unwrap_err();
    let ReportError::Template { name, detail } = &err else {
        panic!("not a template error: {err}")
    };
    assert_eq!(name, "report.md");
    assert!(detail.contains("report.md:2") && detail.contains("nope"), "{detail}");
    let err = report::render(&mixed(), Format::Markdown, Some("{% for %}")).unwrap_err();
    assert!(err.to_string().contains("syntax error"), "{err}");
}

#[test]
fn empty_results_render_an_empty_report() {
    let md = String::from_utf8(report::render(&[], Format::Markdown, None).unwrap()).unwrap();
    assert!(md.contains("No results."), "{md}");
    let model = ReportModel::build(&[]);
    assert!(model.scenarios.is_empty());
}
