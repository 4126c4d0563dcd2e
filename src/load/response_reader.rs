//! Where one HTTP/1.x response ends in a byte stream, and whether its connection may carry
//! another request: the framing rules of RFC 9112 §6.3 for the answer to a GET, over a
//! buffer the caller fills. The head is parsed by `httparse` (the parser hyper uses); bodies
//! are skipped, never kept. Pure: no I/O, so every split of a response is unit-tested.
//!
//! - Interim `1xx` responses (other than 101) are skipped; `101` is an error (a GET never asks
//!   to switch protocols).
//! - `204`, `304` and `1xx` have no body; otherwise `Transfer-Encoding` ending in `chunked`
//!   means chunked, any other `Transfer-Encoding` or no length at all means the body runs to
//!   the close, and `Content-Length` (several equal values allowed) gives the length.
//! - The connection is reusable after an HTTP/1.1 response without `Connection: close`, or an
//!   HTTP/1.0 one with `Connection: keep-alive`, whose body did not run to the close.

use std::mem::MaybeUninit;

/// At most this many header lines, as hyper's client (more is a malformed response).
const MAX_HEADERS: usize = 100;

/// A head, chunk-size line or trailer section longer than this is a malformed response.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// The response breaks HTTP/1.1 framing (the reason is for debugging).
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed(pub &'static str);

/// Reads one response: feed it the unread bytes with [`ResponseReader::advance`] until it
/// reports the response complete, and call [`ResponseReader::at_eof`] if the stream ends.
#[derive(Debug)]
pub struct ResponseReader {
    state: State,
    status: u16,
    reusable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Head,
    /// Body bytes still to skip.
    Fixed(u64),
    /// Before a chunk-size line.
    ChunkSize,
    /// Chunk data bytes still to skip, then its CRLF.
    ChunkData(u64),
    /// The CRLF ending a chunk's data: how many of its 2 bytes are still to come.
    ChunkEnd(u8),
    /// After the last chunk: the trailer section up to its empty line.
    Trailers,
    UntilClose,
    Complete,
}

/// What [`ResponseReader::advance`] did with the bytes it was given.
#[derive(Debug, PartialEq, Eq)]
pub struct Advanced {
    /// Bytes of the input that belong to this response (the caller drops them).
    pub consumed: usize,
    /// The response is complete; the rest of the input is not part of it.
    pub complete: bool,
}

impl Default for ResponseReader {
    fn default() -> Self {
        ResponseReader { state: State::Head, status: 0, reusable: false }
    }
}

impl ResponseReader {
    /// The final status code (valid once the head was read).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether the connection may carry another request after this (complete) response.
    pub fn reusable(&self) -> bool {
        self.reusable && self.state == State::Complete
    }

    /// Consumes as much of `input` (the unread bytes, oldest first) as belongs to this
    /// response. Not complete with bytes left over: it needs more input after those (a head
    /// or a line cut short), which the caller keeps and gives again with what it reads next.
    pub fn advance(&mut self, input: &[u8]) -> Result<Advanced, Malformed> {
        let mut consumed = 0;
        loop {
            let rest = &input[consumed..];
            let step = match self.state {
                State::Complete => Some(0),
                State::Head => self.head(rest)?,
                State::Fixed(left) | State::ChunkData(left) => {
                    let take = left.min(rest.len() as u64);
                    let left = left - take;
                    self.state = match (self.state, left) {
                        (State::Fixed(_), 0) => State::Complete,
                        (State::Fixed(_), _) => State::Fixed(left),
                        (_, 0) => State::ChunkEnd(2),
                        (_, _) => State::ChunkData(left),
                    };
                    (take > 0 || self.state == State::Complete).then_some(take as usize)
                }
                // httparse takes an empty line for size 0; it is no chunk size.
                State::ChunkSize
                    if rest.starts_with(b"\r") && (rest.len() < 2 || rest[1] == b'\n') =>
                {
                    return Err(Malformed("empty chunk size line"));
                }
                State::ChunkSize => match httparse::parse_chunk_size(rest) {
                    Ok(httparse::Status::Complete((used, 0))) => {
                        self.state = State::Trailers;
                        Some(used)
                    }
                    Ok(httparse::Status::Complete((used, size))) => {
                        self.state = State::ChunkData(size);
                        Some(used)
                    }
                    Ok(httparse::Status::Partial) => limit(rest)?,
                    Err(_) => return Err(Malformed("bad chunk size line")),
                },
                State::ChunkEnd(left) => {
                    let expected = &b"\r\n"[2 - left as usize..];
                    let take = rest.len().min(expected.len());
                    if rest[..take] != expected[..take] {
                        return Err(Malformed("chunk data not followed by CRLF"));
                    }
                    let left = left - take as u8;
                    self.state = if left == 0 { State::ChunkSize } else { State::ChunkEnd(left) };
                    (take > 0).then_some(take)
                }
                State::Trailers => {
                    if rest.starts_with(b"\r\n") {
                        self.state = State::Complete;
                        Some(2)
                    } else if let Some(end) = find(rest, b"\r\n\r\n") {
                        self.state = State::Complete;
                        Some(end + 4)
                    } else if rest.len() == 1 && rest[0] == b'\r' {
                        None
                    } else {
                        limit(rest)?
                    }
                }
                State::UntilClose => Some(rest.len()).filter(|&n| n > 0),
            };
            match step {
                Some(used) => consumed += used,
                None => break,
            }
            if self.state == State::Complete {
                break;
            }
        }
        Ok(Advanced { consumed, complete: self.state == State::Complete })
    }

    /// The stream ended (the server closed it) after everything given so far: completes a
    /// body that runs to the close; anything else cut short is malformed.
    pub fn at_eof(&mut self) -> Result<(), Malformed> {
        match self.state {
            State::UntilClose => {
                self.state = State::Complete;
                self.reusable = false;
                Ok(())
            }
            State::Complete => Ok(()),
            State::Head => Err(Malformed("closed before a complete response head")),
            _ => Err(Malformed("closed before the end of the body")),
        }
    }

    /// Parses a head from the start of `rest`: `None` if it is not all there yet.
    fn head(&mut self, rest: &[u8]) -> Result<Option<usize>, Malformed> {
        // Not zeroed for every response: httparse writes the slots it returns.
        let mut headers = [const { MaybeUninit::<httparse::Header>::uninit() }; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut []);
        let parsed = httparse::ParserConfig::default().parse_response_with_uninit_headers(
            &mut response,
            rest,
            &mut headers,
        );
        let used = match parsed {
            Ok(httparse::Status::Complete(used)) => used,
            Ok(httparse::Status::Partial) => return limit(rest),
            Err(httparse::Error::TooManyHeaders) => return Err(Malformed("too many headers")),
            Err(_) => return Err(Malformed("not an HTTP/1.x response head")),
        };
        let status = response.code.unwrap_or(0);
        if status < 100 {
            return Err(Malformed("status code below 100"));
        }
        if status == 101 {
            return Err(Malformed("101 Switching Protocols in answer to a GET"));
        }
        if (100..200).contains(&status) {
            // Interim response: the final one follows.
            return Ok(Some(used));
        }
        self.status = status;
        let mut framing = Framing::default();
        for header in response.headers.iter() {
            framing.add(header.name, header.value)?;
        }
        let http11 = response.version == Some(1);
        self.reusable = if http11 {
            !framing.close
        } else {
            // An HTTP/1.0 message with Transfer-Encoding has faulty framing: close after it
            // (RFC 9112 §6.1).
            framing.keep_alive && !framing.close && framing.chunked.is_none()
        };
        self.state = if status == 204 || status == 304 {
            State::Complete
        } else if let Some(chunked) = framing.chunked {
            if chunked { State::ChunkSize } else { State::UntilClose }
        } else {
            match framing.length {
                Some(0) => State::Complete,
                Some(length) => State::Fixed(length),
                None => State::UntilClose,
            }
        };
        if self.state == State::UntilClose {
            self.reusable = false;
        }
        Ok(Some(used))
    }
}

/// What the head's headers say about the body and the connection.
#[derive(Default)]
struct Framing {
    length: Option<u64>,
    /// `Some(true)`: `Transfer-Encoding` ends in `chunked`; `Some(false)`: another coding.
    chunked: Option<bool>,
    close: bool,
    keep_alive: bool,
}

impl Framing {
    fn add(&mut self, name: &str, value: &[u8]) -> Result<(), Malformed> {
        if name.eq_ignore_ascii_case("content-length") {
            for part in value.split(|&b| b == b',') {
                let length =
                    parse_length(part.trim_ascii()).ok_or(Malformed("bad Content-Length"))?;
                if self.length.is_some_and(|seen| seen != length) {
                    return Err(Malformed("conflicting Content-Length values"));
                }
                self.length = Some(length);
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // Only the last coding decides (a later header line is a later coding).
            if let Some(last) = value.rsplit(|&b| b == b',').map(<[u8]>::trim_ascii).next() {
                self.chunked = Some(last.eq_ignore_ascii_case(b"chunked"));
            }
        } else if name.eq_ignore_ascii_case("connection") {
            for token in value.split(|&b| b == b',').map(<[u8]>::trim_ascii) {
                self.close |= token.eq_ignore_ascii_case(b"close");
                self.keep_alive |= token.eq_ignore_ascii_case(b"keep-alive");
            }
        }
        Ok(())
    }
}

/// Digits only, at most 19 of them (no sign, no overflow).
fn parse_length(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0, |n, d| n * 10 + u64::from(d - b'0')))
}

/// Waiting for more of a head or a line: fine unless it is already too long.
fn limit(rest: &[u8]) -> Result<Option<usize>, Malformed> {
    if rest.len() >= MAX_HEAD_BYTES {
        Err(Malformed("response head or line longer than 64 KiB"))
    } else {
        Ok(None)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `response` in pieces of `piece` bytes the way a connection does (keeping the
    /// unconsumed bytes); returns (status, reusable, bytes consumed) once complete, after
    /// calling `at_eof` if the input ran out first.
    fn read_in_pieces(response: &[u8], piece: usize) -> Result<(u16, bool, usize), Malformed> {
        let mut reader = ResponseReader::default();
        let mut pending = Vec::new();
        let mut total = 0;
        for chunk in response.chunks(piece) {
            pending.extend_from_slice(chunk);
            let advanced = reader.advance(&pending)?;
            pending.drain(..advanced.consumed);
            total += advanced.consumed;
            if advanced.complete {
                return Ok((reader.status(), reader.reusable(), total));
            }
        }
        reader.at_eof()?;
        Ok((reader.status(), reader.reusable(), total))
    }

    /// Same answer whatever the split, including one byte at a time.
    fn read(response: &[u8]) -> Result<(u16, bool, usize), Malformed> {
        let whole = read_in_pieces(response, response.len().max(1));
        for piece in 1..response.len() {
            assert_eq!(read_in_pieces(response, piece), whole, "split every {piece} bytes");
        }
        whole
    }

    #[test]
    fn content_length_body_ends_at_its_length() {
        let response = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nHello WorldHTTP/1.1";
        assert_eq!(read(response), Ok((200, true, response.len() - 8)));
    }

    #[test]
    fn chunked_body_with_extensions_and_trailers() {
        let plain = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n6;x=y\r\n World\r\n0\r\n\r\n";
        assert_eq!(read(plain), Ok((200, true, plain.len())));
        let trailers = b"HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, chunked\r\n\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\nY: 2\r\n\r\n";
        assert_eq!(read(trailers), Ok((201, true, trailers.len())));
    }

    #[test]
    fn chunked_wins_over_content_length() {
        let response = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
        assert_eq!(read(response), Ok((200, true, response.len())));
    }

    #[test]
    fn interim_responses_are_skipped() {
        let response = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno";
        assert_eq!(read(response), Ok((404, true, response.len())));
    }

    #[test]
    fn bodiless_statuses_ignore_content_length() {
        let response = b"HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n";
        assert_eq!(read(response), Ok((304, true, response.len())));
        let response = b"HTTP/1.1 204 No Content\r\n\r\n";
        assert_eq!(read(response), Ok((204, true, response.len())));
    }

    #[test]
    fn no_length_runs_to_the_close_and_ends_the_connection() {
        let response = b"HTTP/1.1 200 OK\r\n\r\nall of this is body";
        assert_eq!(read(response), Ok((200, false, response.len())));
        let other_coding = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzzz";
        assert_eq!(read(other_coding), Ok((200, false, other_coding.len())));
    }

    #[test]
    fn connection_reuse_follows_version_and_connection_header() {
        let close = b"HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 2\r\n\r\nok";
        assert_eq!(read(close), Ok((200, false, close.len())));
        let old = b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok";
        assert_eq!(read(old), Ok((200, false, old.len())));
        let old_kept = b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok";
        assert_eq!(read(old_kept), Ok((200, true, old_kept.len())));
        let old_chunked = b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        assert_eq!(read(old_chunked), Ok((200, false, old_chunked.len())));
    }

    #[test]
    fn broken_framing_is_malformed() {
        for response in [
            &b"this is not HTTP\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
            b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            b"HTTP/1.1 101 Switching Protocols\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n\r\n",
            b"HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n",
        ] {
            assert!(read(response).is_err(), "{:?}", String::from_utf8_lossy(response));
        }
    }

    #[test]
    fn equal_content_lengths_are_one_length() {
        let response = b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok";
        assert_eq!(read(response), Ok((200, true, response.len())));
    }

    #[test]
    fn cut_short_is_malformed_at_eof() {
        for response in [
            &b"HTTP/1.1 200 OK\r\nContent-Le"[..],
            b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nhello",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHel",
            b"",
        ] {
            assert!(
                read_in_pieces(response, 7).is_err(),
                "{:?}",
                String::from_utf8_lossy(response)
            );
        }
    }

    #[test]
    fn an_endless_head_is_malformed_at_64_kib() {
        let mut response = b"HTTP/1.1 200 OK\r\nX: ".to_vec();
        response.resize(MAX_HEAD_BYTES + 10, b'a');
        let mut reader = ResponseReader::default();
        assert!(reader.advance(&response[..1000]).is_ok());
        assert!(reader.advance(&response).is_err());
    }
}
