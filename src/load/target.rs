use std::net::{SocketAddr, ToSocketAddrs};

use bytes::Bytes;
use http_body_util::Empty;
use hyper::header::{HOST, HeaderName, HeaderValue};
use hyper::{HeaderMap, Request, Uri};

use super::LoadError;

/// The parsed URL: where to connect and the request to send, built once.
#[derive(Clone, Debug)]
pub struct Target {
    pub addr: SocketAddr,
    /// Origin-form URI (`/path?query`).
    uri: Uri,
    /// `Host` and the caller's headers.
    headers: HeaderMap,
    /// The whole request as bench's own client sends it: `GET`, the origin-form URI,
    /// `Host` and the caller's headers as written (names in the caller's case).
    wire: Bytes,
}

impl Target {
    pub fn parse(url: &str, extra_headers: &[(String, String)]) -> Result<Target, LoadError> {
        let bad =
            |reason: &str| LoadError::BadUrl { url: url.to_string(), reason: reason.to_string() };
        let uri: Uri = url.parse().map_err(|err| bad(&format!("{err}")))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some(other) => {
                return Err(bad(&format!("scheme `{other}` is not supported, use http://")));
            }
            None => return Err(bad("no scheme, write it as http://HOST:PORT/path")),
        }
        let authority = uri.authority().ok_or_else(|| bad("no host"))?;
        let host = authority.host().trim_start_matches('[').trim_end_matches(']');
        let port = authority.port_u16().unwrap_or(80);
        let addr = (host, port)
            .to_socket_addrs()
            .map_err(|source| LoadError::Resolve { host: host.to_string(), source })?
            .next()
            .ok_or_else(|| bad("the host resolves to no address"))?;
        let path =
            uri.path_and_query().map(|pq| pq.as_str()).filter(|pq| !pq.is_empty()).unwrap_or("/");
        let origin: Uri = path.parse().map_err(|err| bad(&format!("path: {err}")))?;

        let mut headers = HeaderMap::new();
        let mut lines: Vec<(String, String)> = vec![("Host".into(), authority.as_str().into())];
        let host_value =
            HeaderValue::from_str(authority.as_str()).map_err(|err| bad(&format!("{err}")))?;
        headers.insert(HOST, host_value);
        for (name, value) in extra_headers {
            let bad_header = |reason: String| LoadError::BadHeader {
                name: name.clone(),
                value: value.clone(),
                reason,
            };
            let header_name = HeaderName::from_bytes(name.trim().as_bytes())
                .map_err(|err| bad_header(format!("name: {err}")))?;
            let header_value = HeaderValue::from_str(value.trim())
                .map_err(|err| bad_header(format!("value: {err}")))?;
            let line = (name.trim().to_string(), value.trim().to_string());
            if header_name == HOST {
                headers.insert(header_name, header_value);
                lines[0] = line;
            } else {
                headers.append(header_name, header_value);
                lines.push(line);
            }
        }
        let mut wire = format!("GET {path} HTTP/1.1\r\n");
        for (name, value) in &lines {
            wire.push_str(&format!("{name}: {value}\r\n"));
        }
        wire.push_str("\r\n");
        Ok(Target { addr, uri: origin, headers, wire: Bytes::from(wire) })
    }

    /// The request's bytes, built once (cloning them is a reference count).
    pub fn wire(&self) -> Bytes {
        self.wire.clone()
    }

    /// The request for hyper, from parts built once (cloning them is a few reference counts and a
    /// small header map copy).
    pub fn request(&self) -> Request<Empty<Bytes>> {
        let mut request = Request::new(Empty::new());
        *request.uri_mut() = self.uri.clone();
        *request.headers_mut() = self.headers.clone();
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_form_and_host_header() {
        let target =
            Target::parse("http://127.0.0.1:8080/a/b?c=1", &[("X-Y".into(), " z ".into())])
                .expect("valid URL");
        let request = target.request();
        assert_eq!(target.addr, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(request.uri().to_string(), "/a/b?c=1");
        assert_eq!(request.headers()[HOST], "127.0.0.1:8080");
        assert_eq!(request.headers()["x-y"], "z");
        assert_eq!(
            target.wire(),
            "GET /a/b?c=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Y: z\r\n\r\n"
        );
    }

    #[test]
    fn a_host_header_replaces_the_urls() {
        let target =
            Target::parse("http://127.0.0.1:8080/", &[("host".into(), "example.org".into())])
                .expect("valid URL");
        assert_eq!(target.wire(), "GET / HTTP/1.1\r\nhost: example.org\r\n\r\n");
        assert_eq!(target.request().headers()[HOST], "example.org");
    }

    #[test]
    fn rejects_https_and_bad_headers() {
        assert!(matches!(Target::parse("https://127.0.0.1/", &[]), Err(LoadError::BadUrl { .. })));
        assert!(matches!(Target::parse("127.0.0.1:80/", &[]), Err(LoadError::BadUrl { .. })));
        let bad = [("bad name".to_string(), "v".to_string())];
        assert!(matches!(
            Target::parse("http://127.0.0.1/", &bad),
            Err(LoadError::BadHeader { .. })
        ));
    }
}
