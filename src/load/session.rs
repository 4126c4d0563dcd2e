//! What the request loop needs from one open HTTP/1.1 connection, whichever client drives
//! it: [`super::lean_session::LeanSession`] (the default) or
//! [`super::hyper_session::HyperSession`] (`hyper::client::conn::http1`).

/// One open HTTP/1.1 connection. Dropping it closes the socket (a request in flight is
/// abandoned). Its futures are cancel-safe only in that sense: a timed-out exchange leaves
/// the session unusable, and the caller drops it.
pub trait Session {
    /// Waits until the connection can take the next request: false if the server has closed
    /// it or said it would. With `look_for_close` (the server was seen closing kept-alive
    /// connections silently), a close that has already arrived is looked for first.
    async fn ready(&mut self, look_for_close: bool) -> bool;

    /// Sends the request and reads its whole response (the body skipped, never kept): its
    /// status code. `Err` when the exchange failed (write, read, close, malformed response).
    async fn exchange(&mut self) -> Result<u16, ExchangeFailed>;

    /// Response bytes (head and body) read since the last call.
    fn take_bytes_read(&mut self) -> u64;

    /// Whether a write failed on this connection (a failed exchange is then a write error,
    /// otherwise a read error).
    fn write_failed(&self) -> bool;
}

/// The exchange failed; [`Session::write_failed`] tells how.
#[derive(Debug)]
pub struct ExchangeFailed;
