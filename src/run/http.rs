use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;

use super::Probed;
use crate::load::{LoadConfig, LoadSummary, LoadWatch};

/// The network side of a run: one verification request, and a load run. Behind a trait so
/// the orchestration is tested without servers.
pub trait Http: Send + Sync {
    /// `GET url` once, reading the whole response, within `timeout`.
    fn get(
        &self,
        url: &str,
        timeout: Duration,
    ) -> impl Future<Output = Result<Probed, String>> + Send;

    /// Drive load as configured (blocking work moved off the async threads).
    fn load(&self, config: LoadConfig) -> impl Future<Output = Result<LoadSummary, String>> + Send;

    /// `load`, with its whole windows reported to `watch` as they close and an early end when
    /// the watch says stop (the warm-up).
    fn load_watched(
        &self,
        config: LoadConfig,
        watch: Arc<LoadWatch>,
    ) -> impl Future<Output = Result<LoadSummary, String>> + Send;
}

/// The real network: hyper for the probe, the built-in generator for load.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealHttp;

impl Http for RealHttp {
    async fn get(&self, url: &str, timeout: Duration) -> Result<Probed, String> {
        match tokio::time::timeout(timeout, get(url)).await {
            Ok(result) => result,
            Err(_) => {
                Err(format!("no complete answer within {}", humantime::format_duration(timeout)))
            }
        }
    }

    async fn load(&self, config: LoadConfig) -> Result<LoadSummary, String> {
        self.load_watched(config, Arc::new(LoadWatch::default())).await
    }

    async fn load_watched(
        &self,
        config: LoadConfig,
        watch: Arc<LoadWatch>,
    ) -> Result<LoadSummary, String> {
        let run = move || crate::load::run_watched(&config, watch).map_err(|e| e.to_string());
        tokio::task::spawn_blocking(run)
            .await
            .map_err(|e| format!("load generator thread failed: {e}"))?
    }
}

async fn get(url: &str) -> Result<Probed, String> {
    let uri: hyper::Uri = url.parse().map_err(|e| format!("bad URL {url}: {e}"))?;
    let host = uri.host().ok_or("URL without host")?.to_string();
    let port = uri.port_u16().unwrap_or(80);
    let stream = tokio::net::TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let _ = stream.set_nodelay(true);
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    let driver = tokio::spawn(conn);
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let request = hyper::Request::get(path)
        .header(hyper::header::HOST, format!("{host}:{port}"))
        .header(hyper::header::USER_AGENT, concat!("bench/", env!("CARGO_PKG_VERSION")))
        .body(Empty::<Bytes>::new())
        .map_err(|e| e.to_string())?;
    let response = sender.send_request(request).await.map_err(|e| format!("request: {e}"))?;
    let header = |name: hyper::header::HeaderName| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
    };
    let content_type = header(hyper::header::CONTENT_TYPE);
    let content_length = header(hyper::header::CONTENT_LENGTH).and_then(|v| v.trim().parse().ok());
    let chunked = header(hyper::header::TRANSFER_ENCODING)
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let server = header(hyper::header::SERVER);
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("reading body: {e}"))?
        .to_bytes()
        .to_vec();
    driver.abort();
    Ok(Probed { status, content_type, content_length, chunked, body, server })
}
