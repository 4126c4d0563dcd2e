//! The minijinja environment every report template renders in: escaping by the
//! template's extension and the number filters documented in `docs/report.md`.

use minijinja::{AutoEscape, Environment, Error, ErrorKind, Value};

use super::{ReportError, numbers};

/// An environment holding `source` under `name` (`report.html`, `compare.md`, ...).
pub(crate) fn environment(
    name: &'static str,
    source: &str,
) -> Result<Environment<'static>, ReportError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| ReportError::template(name, &e))?;
    env.set_syntax(syntax);
    env.set_auto_escape_callback(|name| match name.rsplit('.').next() {
        Some("html" | "htm" | "svg" | "xml") => AutoEscape::Html,
        Some("md") => AutoEscape::Custom("markdown".into()),
        Some("csv") => AutoEscape::Custom("csv".into()),
        _ => AutoEscape::None,
    });
    env.set_formatter(|out, state, value| {
        let custom = match state.auto_escape() {
            AutoEscape::Custom(kind) => kind.to_string(),
            _ => return minijinja::escape_formatter(out, state, value),
        };
        let text = if value.is_none() { String::new() } else { value.to_string() };
        let escaped = if value.is_safe() {
            text
        } else if custom == "markdown" {
            escape_markdown(&text)
        } else {
            quote_csv(&text)
        };
        std::fmt::Write::write_str(out, &escaped).map_err(Error::from)
    });
    env.add_filter("ms", |us: Option<f64>| us.map_or_else(|| "N/A".to_string(), numbers::ms));
    env.add_filter("int", |v: Option<f64>| v.map_or_else(|| "N/A".to_string(), numbers::int));
    env.add_filter("fixed", |v: Option<f64>, decimals: Option<usize>| {
        v.map_or_else(|| "N/A".to_string(), |v| numbers::fixed(v, decimals.unwrap_or(2)))
    });
    env.add_filter("mib", |v: Option<f64>| v.map_or_else(|| "N/A".to_string(), numbers::mib));
    env.add_filter("compact", |v: f64| numbers::compact(v));
    env.add_filter("tojson", |v: Value| -> Result<Value, Error> {
        serde_json::to_string_pretty(&v)
            .map(Value::from_safe_string)
            .map_err(|e| Error::new(ErrorKind::InvalidOperation, format!("cannot write JSON: {e}")))
    });
    env.add_filter("md", |v: Value| Value::from_safe_string(escape_markdown(&v.to_string())));
    env.add_filter("csv", |v: Value| {
        Value::from_safe_string(quote_csv(&if v.is_none() { String::new() } else { v.to_string() }))
    });
    env.add_filter("csvrow", |values: Vec<Value>| {
        let fields: Vec<String> = values
            .iter()
            .map(|v| quote_csv(&if v.is_none() { String::new() } else { v.to_string() }))
            .collect();
        Value::from_safe_string(fields.join(","))
    });
    env.add_template_owned(name, source.to_string())
        .map_err(|e| ReportError::template(name, &e))?;
    Ok(env)
}

/// Render `name` of `env` with `context`.
pub(crate) fn render(
    env: &Environment<'_>,
    name: &str,
    context: Value,
) -> Result<Vec<u8>, ReportError> {
    let template = env.get_template(name).map_err(|e| ReportError::template(name, &e))?;
    template.render(context).map(String::into_bytes).map_err(|e| ReportError::template(name, &e))
}

/// Text safe inside a GFM table cell or paragraph: no raw HTML, no links, no cell breaks.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '\\' | '[' | ']' | '`' | '*' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
pub fn quote_csv(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        let mut out = String::from("\"");
        for c in text.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
        out
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping_defuses_html_and_table_breaks() {
        assert_eq!(
            escape_markdown("<script>a & b | c</script>"),
            "&lt;script&gt;a &amp; b \\| c&lt;/script&gt;"
        );
        assert_eq!(escape_markdown("[x](y)\nz"), "\\[x\\](y) z");
        assert_eq!(escape_markdown("falcon-bjoern-pypy"), "falcon-bjoern-pypy");
    }

    #[test]
    fn csv_quoting() {
        assert_eq!(quote_csv("plain"), "plain");
        assert_eq!(quote_csv("a,b"), "\"a,b\"");
        assert_eq!(quote_csv("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote_csv("two\nlines"), "\"two\nlines\"");
    }
}
