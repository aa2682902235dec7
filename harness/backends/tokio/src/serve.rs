//! serve: the server a Tokio user writes. A TcpListener accept loop, tokio::spawn per connection,
//! set_nodelay, read into a buffer, answer everything the read completed (echo: the bytes; http:
//! every pipelined response from HttpSession) with one write_all. SIGTERM/SIGINT through
//! tokio::signal::unix end it with the counters line.
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::signal::unix::{signal, Signal, SignalKind};

use crate::cli::{Proto, ServeOptions, EXIT_OK};
use crate::http::{HttpSession, Responses};
use crate::meter::{ServeMeter, Totals};
use crate::{error_text, fail};

const BUFFER_BYTES: usize = 16 * 1024;
/// bench::kListenBacklog: 1,000 simultaneous connects must not wait for a SYN retry.
const LISTEN_BACKLOG: u32 = 4096;
/// Out of descriptors: the connections we have keep being served; accept again after this.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// bench::accept_error_is_transient: the new connection's own network errors, EINTR.
fn accept_error_is_transient(errno: i32) -> bool {
    matches!(
        errno,
        libc::EINTR
            | libc::ECONNABORTED
            | libc::EPROTO
            | libc::ENETDOWN
            | libc::ENOPROTOOPT
            | libc::EHOSTDOWN
            | libc::ENONET
            | libc::EHOSTUNREACH
            | libc::EOPNOTSUPP
            | libc::ENETUNREACH
    )
}

async fn accept_loop(listener: TcpListener, totals: Arc<Totals>, responses: Arc<Responses>, proto: Proto) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                Totals::add(&totals.connections, 1);
                let _ = stream.set_nodelay(true); // every backend sets TCP_NODELAY
                let totals = totals.clone();
                match proto {
                    Proto::Echo => tokio::spawn(echo_connection(stream, totals)),
                    Proto::Http => tokio::spawn(http_connection(stream, totals, responses.clone())),
                };
            }
            Err(e) if accept_error_is_transient(e.raw_os_error().unwrap_or(0)) => {}
            // EMFILE, ENFILE, ENOBUFS, ENOMEM (and anything unexpected): never spin, never exit.
            Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
        }
    }
}

async fn echo_connection(mut s: TcpStream, t: Arc<Totals>) {
    let mut buf = vec![0u8; BUFFER_BYTES];
    loop {
        let n = match s.read(&mut buf).await {
            Ok(0) => return, // the client is done
            Ok(n) => n,
            Err(_) => return Totals::add(&t.errors, 1), // ECONNRESET and friends
        };
        Totals::add(&t.bytes_in, n as u64);
        // Counted before the write completes (undone if it fails): SIGTERM may come in between.
        Totals::add(&t.requests, 1);
        if s.write_all(&buf[..n]).await.is_err() {
            Totals::sub(&t.requests, 1);
            return Totals::add(&t.errors, 1);
        }
        Totals::add(&t.bytes_out, n as u64);
    }
}

/// After an error response the client may still be sending: stop writing, read what is left
/// (bounded), then close, so the kernel sends FIN rather than a reset that could destroy the
/// response before the client reads it.
async fn linger_close(s: &mut TcpStream, buf: &mut [u8]) {
    let _ = s.shutdown().await;
    for _ in 0..64 {
        match tokio::time::timeout(Duration::from_secs(1), s.read(buf)).await {
            Ok(Ok(n)) if n > 0 => continue,
            _ => break,
        }
    }
}

async fn http_connection(mut s: TcpStream, t: Arc<Totals>, responses: Arc<Responses>) {
    let session = HttpSession::new(&responses);
    // The unparsed input: grows only while one request is larger than it (HttpSession bounds it).
    let mut input = vec![0u8; BUFFER_BYTES];
    let mut len = 0;
    let mut out = Vec::with_capacity(BUFFER_BYTES);
    loop {
        if len == input.len() {
            input.resize(input.len() * 2, 0);
        }
        let n = match s.read(&mut input[len..]).await {
            Ok(0) => return,
            Ok(n) => n,
            Err(_) => return Totals::add(&t.errors, 1),
        };
        Totals::add(&t.bytes_in, n as u64);
        len += n;
        let step = session.on_data(&input[..len], &mut out);
        input.copy_within(step.consumed..len, 0);
        len -= step.consumed;
        if !out.is_empty() {
            // Every response of this read in one write, counted before it completes (as for echo).
            Totals::add(&t.requests, step.responses as u64);
            if s.write_all(&out).await.is_err() {
                Totals::sub(&t.requests, step.responses as u64);
                return Totals::add(&t.errors, 1);
            }
            Totals::add(&t.bytes_out, out.len() as u64);
            out.clear();
        }
        if step.error {
            Totals::add(&t.errors, 1);
        }
        if step.close {
            if step.error {
                linger_close(&mut s, &mut input).await;
            }
            return;
        }
    }
}

/// Resolves at the first SIGTERM or SIGINT (tokio's select! needs the macros feature; this is all
/// it would do here).
struct StopSignal {
    term: Signal,
    int: Signal,
}

impl Future for StopSignal {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.term.poll_recv(cx).is_ready() || self.int.poll_recv(cx).is_ready() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

pub async fn serve(name: &str, o: ServeOptions) -> i32 {
    let ip: IpAddr = match o.bind.parse() {
        Ok(ip) => ip,
        Err(_) => return fail(name, &format!("--bind {}: not an IPv4 or IPv6 address", o.bind)),
    };
    let listener = match listen(SocketAddr::new(ip, o.port)) {
        Ok(l) => l,
        Err(e) => return fail(name, &format!("listen on {}:{}: {}", o.bind, o.port, error_text(&e))),
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    // Handlers installed before "ready": a stop signal sent right after it is not lost.
    let stop = match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
        (Ok(term), Ok(int)) => StopSignal { term, int },
        (Err(e), _) | (_, Err(e)) => return fail(name, &format!("signal handlers: {}", error_text(&e))),
    };
    let totals = Arc::new(Totals::default());
    let responses = Arc::new(Responses::new(o.size));
    tokio::spawn(accept_loop(listener, totals.clone(), responses, o.proto));
    let meter = ServeMeter::ready(port);
    stop.await;
    meter.report(name, &totals);
    EXIT_OK
}
