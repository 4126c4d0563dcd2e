//! One connection of the generator: connect, send, drain, repeat until the deadline;
//! reconnect after an error or a server close. The exchange itself is the chosen client's
//! [`Session`]; the loop, its timing and its accounting are the same for every client.
//!
//! A server may close a kept-alive connection right after a response without saying so
//! (uWSGI's `--http` router does it after every response): the next request, sent before the
//! close is seen, then fails without one byte of response. Such a request (on a connection
//! that had already served one, nothing read) is resent once on a new connection, as HTTP
//! clients do for idempotent requests (RFC 9110 §9.2.2), and counted in `resent`, not as an
//! error; its latency still runs from the first send.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Instant;

use tokio::net::TcpStream;
use tokio::time::{Duration, Sleep, sleep, sleep_until, timeout};

use super::config::HttpClient;
use super::context::ThreadContext;
use super::hyper_session::HyperSession;
use super::lean_session::LeanSession;
use super::schedule::Slots;
use super::session::{ExchangeFailed, Session};
use super::stats::Failure;

/// Pause after a failed connect, so a refusing server is not hammered in a tight loop.
const CONNECT_BACKOFF: Duration = Duration::from_millis(10);

/// How a connection's session ended.
enum SessionEnd {
    /// The deadline came: the connection is done.
    Stop,
    /// The connection is unusable (error or server close): open another.
    Reconnect,
    /// The server had closed the connection before the request sent at this instant: open
    /// another and resend that request on it (or, past the deadline, count it in flight).
    Resend(Instant),
}

/// Opens a TCP connection with TCP_NODELAY, within the request timeout.
pub async fn connect(addr: SocketAddr, limit: Duration) -> std::io::Result<TcpStream> {
    let stream = match timeout(limit, TcpStream::connect(addr)).await {
        Ok(result) => result?,
        Err(_) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("connect timed out after {limit:?}"),
            ));
        }
    };
    stream.set_nodelay(true)?;
    Ok(stream)
}

/// Drives connection `index` (global, over all threads) until the deadline.
/// `stream` is the connection opened at set-up, if that worked; `began` is when that first
/// attempt began: in an open loop, this connection's slots start no earlier
/// ([`super::schedule::Schedule::slots`]).
pub async fn drive(
    ctx: Rc<ThreadContext>,
    index: u64,
    mut stream: Option<TcpStream>,
    began: Instant,
) {
    let slots = ctx.schedule.map(|schedule| schedule.slots(index, began));
    // Requests sent so far: the position in the open-loop schedule.
    let mut sent = 0u64;
    let mut opened_before = stream.is_some();
    // A request to resend on the next connection: when it was first sent.
    let mut resend = None;
    loop {
        if ctx.ended() {
            break;
        }
        let tcp = match stream.take() {
            Some(tcp) => tcp,
            None => match ctx.until_end(connect(ctx.target.addr, ctx.timeout)).await {
                None => break,
                Some(Ok(tcp)) => {
                    if opened_before {
                        ctx.stats.borrow_mut().reconnects += 1;
                    }
                    opened_before = true;
                    tcp
                }
                Some(Err(_)) => {
                    ctx.stats.borrow_mut().record_failure(Failure::Connect);
                    ctx.until_end(sleep(CONNECT_BACKOFF)).await;
                    continue;
                }
            },
        };
        match session(&ctx, tcp, slots, &mut sent, resend.take()).await {
            SessionEnd::Stop => return,
            SessionEnd::Reconnect => continue,
            SessionEnd::Resend(first_sent) => resend = Some(first_sent),
        }
    }
    // The deadline came before a request could be resent: it was sent, never answered.
    if resend.is_some() {
        ctx.stats.borrow_mut().in_flight_at_deadline += 1;
    }
}

/// How a request loop ends when sending has ended: a request still to resend is handed back
/// (to the next connection, or past the end to the in-flight count).
fn pending(resend: Option<Instant>) -> SessionEnd {
    resend.map_or(SessionEnd::Stop, SessionEnd::Resend)
}

/// One HTTP/1.1 connection, over the client the run asked for.
async fn session(
    ctx: &ThreadContext,
    tcp: TcpStream,
    slots: Option<Slots>,
    sent: &mut u64,
    resend: Option<Instant>,
) -> SessionEnd {
    match ctx.client {
        HttpClient::Lean => {
            let session = LeanSession::new(tcp, ctx.target.wire());
            request_loop(ctx, session, slots, sent, resend).await
        }
        HttpClient::Hyper => match HyperSession::open(tcp, &ctx.target).await {
            Some(session) => request_loop(ctx, session, slots, sent, resend).await,
            None => SessionEnd::Reconnect,
        },
    }
}

/// Sends requests on `session` until the deadline, an error or a server close. Dropping the
/// session at the end closes the socket (dropping a request in flight at the deadline).
async fn request_loop(
    ctx: &ThreadContext,
    mut session: impl Session,
    slots: Option<Slots>,
    sent: &mut u64,
    mut resend: Option<Instant>,
) -> SessionEnd {
    // Responses completed on this connection: a request failing on a connection that has
    // served none is a real error, never resent.
    let mut served = 0u64;
    // Never armed later than the first deadline it will be asked for (see `TimeoutGuard`):
    // a resent request's runs from its first send.
    let first_expiry = resend.unwrap_or_else(Instant::now) + ctx.timeout;
    let mut guard = TimeoutGuard::new(first_expiry.min(ctx.deadline));
    loop {
        let intended = match &slots {
            Some(slots) => {
                // `sent` was stepped back for a request to resend: it keeps its place (its
                // intended time) in the schedule.
                let due = slots.due(*sent);
                if due >= ctx.deadline {
                    return SessionEnd::Stop;
                }
                if due > Instant::now() && ctx.until_end(sleep_until(due.into())).await.is_none() {
                    return pending(resend);
                }
                Some(due)
            }
            None => None,
        };
        // Against a server seen closing silently, a close that has already arrived is
        // noticed before a request is wasted on it. No longer than the deadline.
        let look_for_close = served > 0 && ctx.silent_closes.get();
        match ctx.until_end(session.ready(look_for_close)).await {
            None => return pending(resend),
            // The server closed the connection between requests.
            Some(false) => return resend.map_or(SessionEnd::Reconnect, SessionEnd::Resend),
            Some(true) => {}
        }
        let now = Instant::now();
        if ctx.ended() {
            return pending(resend);
        }
        let first_send = resend.is_none();
        if !first_send {
            // Counted when sent again (so never more than the reconnects), not when the
            // close was met: one met just before the deadline is never sent again.
            ctx.stats.borrow_mut().resent += 1;
        }
        let sent_at = resend.take().unwrap_or(now);
        *sent += 1;
        // Waiting stops at the request's own timeout or at the deadline, whichever is first;
        // a draining run awaits it to its own timeout whatever the deadline.
        let expires = sent_at + ctx.timeout;
        let limit = if ctx.drain { expires } else { expires.min(ctx.deadline) };
        let outcome = guard.within(limit, session.exchange()).await;
        let done = Instant::now();
        // An exchange seen ending only after its limit (the thread ran late) is late like
        // one that never ended: a completed request's latency never exceeds the timeout.
        let outcome = match outcome {
            Ok(_) if done > limit => Err(Elapsed),
            outcome => outcome,
        };
        let bytes = session.take_bytes_read();
        let mut stats = ctx.stats.borrow_mut();
        stats.bytes_read += bytes;
        if ctx.drain && done >= ctx.end() {
            // In flight when sending ended, then awaited: answered (drained) or not.
            stats.in_flight_at_deadline += 1;
            stats.drained += u64::from(matches!(outcome, Ok(Ok(_))));
            return SessionEnd::Stop;
        }
        if outcome.is_err() && expires >= ctx.deadline {
            // Not complete by the deadline: dropped with its connection, like wrk does.
            stats.in_flight_at_deadline += 1;
            return SessionEnd::Stop;
        }
        match outcome {
            Ok(Ok(status)) => {
                let corrected = intended.map(|due| done - due);
                stats.record_response((200..300).contains(&status), done - sent_at, corrected);
                served += 1;
            }
            Ok(Err(ExchangeFailed)) if served > 0 && bytes == 0 && first_send => {
                ctx.silent_closes.set(true);
                // Not sent, as far as the schedule goes: it is sent again in its place.
                *sent -= 1;
                return SessionEnd::Resend(sent_at);
            }
            Ok(Err(ExchangeFailed)) => {
                let failure = if session.write_failed() { Failure::Write } else { Failure::Read };
                stats.record_failure(failure);
                return SessionEnd::Reconnect;
            }
            Err(Elapsed) => {
                stats.record_failure(Failure::Timeout);
                return SessionEnd::Reconnect;
            }
        }
    }
}

/// A request deadline without a timer operation per request: one `Sleep` per connection,
/// re-armed only when it fires before the current request's deadline (it is left at an
/// earlier request's deadline between requests). Timer work is then about one
/// registration per connection per timeout period, whatever the request rate.
struct TimeoutGuard {
    sleep: Pin<Box<Sleep>>,
}

/// The request did not complete within its deadline.
struct Elapsed;

impl TimeoutGuard {
    fn new(first_deadline: Instant) -> Self {
        TimeoutGuard { sleep: Box::pin(sleep_until(first_deadline.into())) }
    }

    /// Runs `work` until it completes or `deadline` passes.
    async fn within<T>(
        &mut self,
        deadline: Instant,
        work: impl Future<Output = T>,
    ) -> Result<T, Elapsed> {
        tokio::pin!(work);
        loop {
            tokio::select! {
                biased;
                output = &mut work => return Ok(output),
                // Outside tokio's cooperative budget: a response that never stops arriving
                // spends the whole budget on its reads every time the task runs, and a
                // budgeted `Sleep` would then never be seen to fire (as `tokio::time::timeout`
                // does for the same reason).
                () = tokio::task::unconstrained(&mut self.sleep) => {
                    if Instant::now() >= deadline {
                        return Err(Elapsed);
                    }
                    self.sleep.as_mut().reset(deadline.into());
                }
            }
        }
    }
}

/// The loopback servers of the `load_*` integration tests, for the request loop's own tests.
#[cfg(test)]
#[path = "../../tests/load_support.rs"]
mod support;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::schedule::Schedule;
    use crate::load::stats::{RunFacts, ThreadStats};
    use crate::load::target::Target;
    use crate::load::windows::Windows;

    /// Open loop, 100 requests/s on one connection (a slot every 10 ms from the window's
    /// start), the connection open only after `set_up`, then `window` before the deadline:
    /// requests sent, and the longest latency from the intended send time.
    fn open_late(set_up: Duration, window: Duration) -> (u64, u64) {
        let server = support::http_server(200, |_| Duration::ZERO);
        let timeout = Duration::from_secs(5);
        let start = Instant::now();
        let ctx = Rc::new(ThreadContext::new(
            Target::parse(&server.url(), &[]).unwrap(),
            ThreadStats::new(true, Windows::new(set_up + window, timeout)),
            start + set_up + window,
            timeout,
            Some(Schedule { start, rate: 100, connections: 1 }),
            None,
            HttpClient::Lean,
            false,
        ));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        tokio::task::LocalSet::new().block_on(&runtime, async {
            // The generator's own set-up (the connects before this one, a slow connect).
            sleep(set_up).await;
            let began = Instant::now();
            let stream = connect(server.addr, timeout).await.unwrap();
            drive(ctx.clone(), 0, Some(stream), began).await;
        });
        let stats = ctx.stats.borrow();
        let summary = stats.summarize(RunFacts {
            url: "",
            connections: 1,
            threads: 1,
            target_rps: Some(100),
            duration: set_up + window,
            timeout,
            http_client: "lean",
            warnings: Vec::new(),
        });
        let corrected = summary.corrected_latency.expect("open loop");
        (stats.requests + stats.in_flight_at_deadline, corrected.max_us)
    }

    #[test]
    fn an_open_loop_connection_sends_from_when_it_is_open() {
        // A set-up long enough that a stall of the busy test machine is not taken for it.
        let (set_up, window) = (Duration::from_millis(2100), Duration::from_millis(1400));
        let (sent, corrected_max_us) = open_late(set_up, window);
        // Its slots run from its opening: 140 at most fit in the 1.4 s left. Counted from the
        // window's start, the 210 slots its set-up missed would have gone out back to back.
        assert!((1..=140).contains(&sent), "{sent} requests sent");
        // And none of its requests waited for the set-up.
        assert!(corrected_max_us < set_up.as_micros() as u64, "{corrected_max_us} us");
    }
}
