use crate::matrix::{BodyRule, RequestSpec};

/// One response as read by the verification request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Probed {
    pub status: u16,
    pub content_type: Option<String>,
    pub content_length: Option<u64>,
    pub chunked: bool,
    pub body: Vec<u8>,
    /// The `Server` header, kept for the record.
    pub server: Option<String>,
}

/// Check a response the way TechEmpower's toolset does: the status, the content type
/// (parameters such as `; charset=utf-8` allowed), a framing header (Content-Length or
/// Transfer-Encoding), and the scenario's body rule. `Err` says what is wrong.
pub fn verify(spec: &RequestSpec, r: &Probed) -> Result<(), String> {
    if r.status != spec.expect_status {
        return Err(format!("status {} (expected {})", r.status, spec.expect_status));
    }
    let media = r
        .content_type
        .as_deref()
        .map(|c| c.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    match media.as_deref() {
        Some(m) if m == spec.expect_content_type.to_ascii_lowercase() => {}
        Some(m) => {
            return Err(format!("content type `{m}` (expected `{}`)", spec.expect_content_type));
        }
        None => {
            return Err(format!(
                "no Content-Type header (expected `{}`)",
                spec.expect_content_type
            ));
        }
    }
    if r.content_length.is_none() && !r.chunked {
        return Err("neither Content-Length nor Transfer-Encoding: chunked".into());
    }
    if let Some(len) = r.content_length
        && len != r.body.len() as u64
    {
        return Err(format!("Content-Length {len} but {} body bytes", r.body.len()));
    }
    match &spec.body {
        BodyRule::Exact { text } => {
            if r.body != text.as_bytes() {
                let shown = String::from_utf8_lossy(&r.body[..r.body.len().min(80)]).into_owned();
                return Err(format!("body `{shown}` (expected `{text}`)"));
            }
        }
        BodyRule::Json { min_bytes } => {
            if let Err(e) = serde_json::from_slice::<serde_json::Value>(&r.body) {
                return Err(format!("body is not valid JSON: {e}"));
            }
            if (r.body.len() as u64) < *min_bytes {
                return Err(format!(
                    "JSON body of {} bytes (expected at least {min_bytes})",
                    r.body.len()
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello() -> RequestSpec {
        RequestSpec {
            path: "/hello".into(),
            description: String::new(),
            expect_status: 200,
            expect_content_type: "text/plain".into(),
            body: BodyRule::Exact { text: "Hello World".into() },
        }
    }

    fn ok() -> Probed {
        Probed {
            status: 200,
            content_type: Some("text/plain; charset=utf-8".into()),
            content_length: Some(11),
            chunked: false,
            body: b"Hello World".to_vec(),
            server: None,
        }
    }

    #[test]
    fn accepts_a_correct_answer_with_charset() {
        assert_eq!(verify(&hello(), &ok()), Ok(()));
    }

    #[test]
    fn names_what_is_wrong() {
        let spec = hello();
        assert_eq!(
            verify(&spec, &Probed { status: 500, ..ok() }),
            Err("status 500 (expected 200)".into())
        );
        assert_eq!(
            verify(&spec, &Probed { content_type: Some("text/html".into()), ..ok() }),
            Err("content type `text/html` (expected `text/plain`)".into())
        );
        assert_eq!(
            verify(&spec, &Probed { content_type: None, ..ok() }),
            Err("no Content-Type header (expected `text/plain`)".into())
        );
        assert_eq!(
            verify(&spec, &Probed { content_length: None, ..ok() }),
            Err("neither Content-Length nor Transfer-Encoding: chunked".into())
        );
        assert_eq!(verify(&spec, &Probed { content_length: None, chunked: true, ..ok() }), Ok(()));
        assert_eq!(
            verify(&spec, &Probed { body: b"Hello world".to_vec(), ..ok() }),
            Err("body `Hello world` (expected `Hello World`)".into())
        );
    }

    #[test]
    fn json_rule_parses_and_counts_bytes() {
        let spec = RequestSpec {
            expect_content_type: "application/json".into(),
            body: BodyRule::Json { min_bytes: 10 },
            ..hello()
        };
        let json = |body: &str| Probed {
            content_type: Some("application/json".into()),
            content_length: Some(body.len() as u64),
            body: body.as_bytes().to_vec(),
            ..ok()
        };
        assert_eq!(verify(&spec, &json(r#"{"a": [1, 2, 3, 4]}"#)), Ok(()));
        assert_eq!(
            verify(&spec, &json(r#"{"a": 1}"#)),
            Err("JSON body of 8 bytes (expected at least 10)".into())
        );
        assert!(
            verify(&spec, &json(r#"{"a": [1, 2, 3, 4"#))
                .unwrap_err()
                .starts_with("body is not valid JSON")
        );
    }
}
