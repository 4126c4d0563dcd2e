//! bench's own HTTP/1.1 exchange, the default client: the request's bytes are built once
//! and written as they are; the response is read into one reused buffer and framed by
//! [`ResponseReader`] (heads parsed by `httparse`, bodies skipped in place). No task, channel
//! or header map per request: against a fast server this costs about a third of the CPU
//! per request of hyper's client connection (see `scripts/bench-load-vs-wrk.sh`).

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::response_reader::ResponseReader;
use super::session::{ExchangeFailed, Session};

/// Initial read buffer; it grows (to at most the 64 KiB head limit) only for a longer head.
const BUFFER_BYTES: usize = 8 * 1024;

pub struct LeanSession {
    stream: TcpStream,
    /// The whole request, as sent.
    request: Bytes,
    buf: Vec<u8>,
    /// Unread bytes are `buf[pos..filled]`.
    pos: usize,
    filled: usize,
    bytes_read: u64,
    write_failed: bool,
    /// The last response left the connection usable.
    reusable: bool,
}

impl LeanSession {
    pub fn new(stream: TcpStream, request: Bytes) -> Self {
        LeanSession {
            stream,
            request,
            buf: vec![0; BUFFER_BYTES],
            pos: 0,
            filled: 0,
            bytes_read: 0,
            write_failed: false,
            reusable: true,
        }
    }

    /// Room to read into after `buf[filled..]` is full: moves the unread bytes to the
    /// front, or grows the buffer when they fill it (the reader bounds a head's length).
    fn make_room(&mut self) {
        if self.pos == self.filled {
            self.pos = 0;
            self.filled = 0;
        } else if self.filled == self.buf.len() {
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.filled, 0);
                self.filled -= self.pos;
                self.pos = 0;
            } else {
                self.buf.resize(self.buf.len() * 2, 0);
            }
        }
    }
}

impl Session for LeanSession {
    async fn ready(&mut self, look_for_close: bool) -> bool {
        if !self.reusable {
            return false;
        }
        if look_for_close {
            // Lets the runtime poll its I/O driver first, so a close that has arrived is
            // known to the socket's readiness below.
            tokio::task::yield_now().await;
        }
        // A close (or any byte: nothing is owed to us) already seen ends the connection: an
        // idle timeout between open-loop requests, a close after the last response. No
        // system call unless the runtime saw the socket become readable since the last read.
        let mut probe = [0u8; 1];
        matches!(self.stream.try_read(&mut probe), Err(err) if err.kind() == std::io::ErrorKind::WouldBlock)
    }

    async fn exchange(&mut self) -> Result<u16, ExchangeFailed> {
        if self.stream.write_all(&self.request).await.is_err() {
            self.write_failed = true;
            return Err(ExchangeFailed);
        }
        let mut reader = ResponseReader::default();
        loop {
            if self.pos < self.filled {
                let advanced =
                    reader.advance(&self.buf[self.pos..self.filled]).map_err(|_| ExchangeFailed)?;
                self.pos += advanced.consumed;
                if advanced.complete {
                    // Bytes after the response answer nothing we sent: not reused.
                    self.reusable = reader.reusable() && self.pos == self.filled;
                    self.pos = 0;
                    self.filled = 0;
                    return Ok(reader.status());
                }
            }
            self.make_room();
            let read =
                self.stream.read(&mut self.buf[self.filled..]).await.map_err(|_| ExchangeFailed)?;
            if read == 0 {
                reader.at_eof().map_err(|_| ExchangeFailed)?;
                self.reusable = false;
                return Ok(reader.status());
            }
            self.bytes_read += read as u64;
            self.filled += read;
        }
    }

    fn take_bytes_read(&mut self) -> u64 {
        std::mem::take(&mut self.bytes_read)
    }

    fn write_failed(&self) -> bool {
        self.write_failed
    }
}
