//! The markdown table of the article's own hello-world numbers reproduces the article's
//! hello-world table line for line.

use std::path::Path;

use bench::report::{self, Format};
use bench::store::Store;

/// The article's hello-world table, header and 37 rows, copied verbatim (the article text
/// itself is not available to CI).
const ARTICLE_HELLO_TABLE: &str = "\
Server | Avg ms | Stdev ms | Max ms | Req/Sec | Total Requests |
falcon | 116.11 | 572.14 | 6,900.00 | 4,817 | 96,434 |
falcon-gunicorn | 3.04 | 0.43 | 12.77 | 6,551 | 131,154 |
falcon-uwsgi | 1.33 | 0.33 | 9.23 | 13,711 | 274,340 |
falcon-bjoern | 0.33 | 0.22 | 8.55 | 62,733 | 1,254,669 |
falcon-bjoern-nuitka | 0.32 | 0.17 | 7.07 | 62,813 | 1,256,254 |
falcon-bjoern-pypy | 9.30 | 25.78 | 153.86 | 33,665 | 673,989 |
falcon-uvicorn | 3.58 | 0.30 | 12.46 | 5,583 | 111,766 |
falcon-uvicorn-uvloop | 2.48 | 0.33 | 10.48 | 8,066 | 161,511 |
cherrypy | 12.21 | 14.32 | 213.46 | 2,537 | 50,799 |
cherrypy-uwsgi | 6.61 | 0.50 | 16.99 | 2,997 | 60,023 |
cherrypy-tornado | 9.19 | 0.80 | 19.39 | 2,174 | 43,555 |
cherrypy-twisted | 9.99 | 2.09 | 54.90 | 2,003 | 40,112 |
flask | 7.50 | 0.54 | 23.59 | 2,658 | 53,220 |
flask-fastwsgi | 1.95 | 0.29 | 11.62 | 10,301 | 206,186 |
flask-gunicorn-eventlet | 28.09 | 45.32 | 398.87 | 4,552 | 91,154 |
flask-gunicorn-gevent | 27.99 | 42.84 | 301.40 | 4,502 | 90,124 |
flask-gunicorn-gthread | 5.55 | 0.58 | 15.80 | 3,600 | 72,072 |
flask-gunicorn-meinheld | 1.99 | 0.46 | 9.73 | 10,062 | 201,365 |
flask-gunicorn-tornado | 6.32 | 0.68 | 16.84 | 3,164 | 63,347 |
flask-gunicorn | 4.66 | 0.50 | 16.73 | 4,279 | 85,654 |
flask-meinheld | 2.17 | 0.24 | 11.12 | 9,142 | 182,964 |
flask-bjoern | 1.63 | 0.27 | 9.85 | 12,312 | 246,376 |
flask-bjoern-nuitka | 1.31 | 0.27 | 9.23 | 15,275 | 305,634 |
fastwsgi | 0.11 | 0.20 | 8.99 | 214,112 | 4,303,606 |
bottle | 64.17 | 332.82 | 3,500.00 | 5,319 | 106,470 |
bjoern | 0.12 | 0.20 | 7.68 | 178,353 | 3,567,317 |
bjoern-pypy | 894.35 | 1,800.00 | 7,400.00 | 14,181 | 283,954 |
aiohttp | 2.18 | 0.21 | 10.07 | 9,172 | 183,588 |
aiohttp-uvloop | 1.29 | 0.24 | 8.99 | 15,419 | 309,930 |
aiohttp-gunicorn | 1.80 | 0.23 | 10.40 | 11,131 | 222,769 |
aiohttp-gunicorn-uvloop | 0.93 | 0.23 | 10.89 | 21,519 | 430,447 |
hug | 369.86 | 1,500.00 | 14,000.00 | 4,246 | 85,017 |
meinheld | 0.46 | 0.62 | 38.95 | 44,706 | 895,005 |
muffin-uvicorn | 4.88 | 0.47 | 16.47 | 4,100 | 82,078 |
netius | 2.08 | 0.20 | 7.88 | 9,598 | 192,114 |
pycnic-gunicorn | 3.57 | 0.43 | 14.91 | 5,580 | 111,709 |
tornado | 3.96 | 0.49 | 15.04 | 5,055 | 101,201 |";

fn hello_fixture_markdown() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-article-hello");
    let loaded = Store::open(dir).unwrap().load().unwrap();
    assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
    assert_eq!(loaded.results.len(), 37);
    String::from_utf8(report::render(&loaded.results, Format::Markdown, None).unwrap()).unwrap()
}

/// The table of the report: from its header line to the first blank line.
fn table_lines(markdown: &str) -> Vec<&str> {
    markdown
        .lines()
        .skip_while(|l| !l.starts_with("Server | Avg ms"))
        .take_while(|l| !l.trim().is_empty())
        .collect()
}

/// A table line cut after its sixth column: the article's columns, which scripts parse;
/// the interval columns come after them.
fn first_six(line: &str) -> String {
    let cells: Vec<&str> = line.split(" | ").collect();
    assert!(cells.len() > 6, "fewer than 7 columns: {line}");
    format!("{} |", cells[..6].join(" | "))
}

#[test]
fn hello_table_matches_the_article_line_for_line() {
    let markdown = hello_fixture_markdown();
    let owned: Vec<String> = table_lines(&markdown).into_iter().map(first_six).collect();
    let mut ours: Vec<&str> = owned.iter().map(String::as_str).collect();
    assert!(ours.len() > 2, "no table in:\n{markdown}");
    // GFM needs a delimiter line after the header; the article's copy has none.
    let delimiter = ours.remove(1);
    assert_eq!(delimiter, "--- | ---: | ---: | ---: | ---: | ---: |");
    let expected: Vec<&str> = ARTICLE_HELLO_TABLE.lines().collect();
    assert_eq!(expected.len(), 38);
    for (i, (got, want)) in ours.iter().zip(&expected).enumerate() {
        assert_eq!(got, want, "line {} of the table differs", i + 1);
    }
    assert_eq!(ours.len(), expected.len(), "row count differs");
}

#[test]
fn hello_section_has_heading_description_and_no_notes() {
    let markdown = hello_fixture_markdown();
    assert!(markdown.contains("\n## hello\n"), "{markdown}");
    assert!(markdown.contains("Hello World: returns"), "{markdown}");
    assert!(markdown.contains("1 vCPU and 512 MiB memory"), "{markdown}");
    // One repetition each and every row measured: nothing to footnote.
    assert!(!markdown.contains("[^"), "{markdown}");
}

#[test]
fn single_executions_say_they_have_no_interval_and_tie() {
    let markdown = hello_fixture_markdown();
    let rows: Vec<&str> = table_lines(&markdown).into_iter().skip(2).collect();
    assert_eq!(rows.len(), 37);
    for row in rows {
        let extra: Vec<&str> = row.split(" | ").skip(6).collect();
        // Req/Sec CI, Avg ms CI, p50, p99, N, Rank, Failed checks.
        assert_eq!(extra[0], "none (1 execution)", "{row}");
        assert_eq!(extra[1], "none (1 execution)", "{row}");
        assert!(!extra[3].contains('('), "no interval after the p99 point: {row}");
        assert_eq!(extra[4], "1", "{row}");
        assert_eq!(extra[5], "1–37", "with no interval every row ties: {row}");
    }
    assert!(markdown.contains("Rows with N = 1 were measured once"), "{markdown}");
}
