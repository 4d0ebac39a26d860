//! The accept loop (hyper-util, HTTP/1 and HTTP/2) with the limits a public gateway needs: a
//! header-read timeout (a client that trickles its request head is dropped), an idle keep-alive
//! timeout (a connection with no request in flight and no bytes moving for that long is closed),
//! a connection cap below the process's file limit (beyond it a client gets `503` and the
//! connection is closed; the listener itself never stops accepting), and graceful shutdown.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Sleep;

/// The limits of the accept loop.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Close a connection with no request in flight after this long without bytes.
    pub idle: Duration,
    /// Close a connection whose request head has not arrived within this long.
    pub header_read: Duration,
    /// How long shutdown waits for requests in flight.
    pub drain: Duration,
}

/// What `503` sends to a connection beyond the cap before closing it.
const OVER_CAPACITY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: 72\r\nconnection: close\r\n\r\n{\"status_code\":503,\"detail\":\"Too many connections; try again shortly.\"}";

/// Serves `app` on `listener` within `limits` until `shutdown` resolves, then lets requests in
/// flight finish (for at most `limits.drain`).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(limits.header_read);
    tokio::pin!(shutdown);
    loop {
        let (tcp, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors or a connection reset before accept: keep going.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            tokio::spawn(async move {
                let _ = tokio::time::timeout(Duration::from_secs(1), async {
                    let _ = tcp.writable().await;
                    let _ = tcp.try_write(OVER_CAPACITY);
                })
                .await;
            });
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let activity = Arc::new(AtomicUsize::new(0));
        let io = TokioIo::new(IdleIo::new(tcp, limits.idle, activity.clone()));
        let app = app.clone();
        let service =
            hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let app = app.clone();
                let busy = Busy::new(activity.clone());
                async move {
                    let response = super::identified(app, request.map(axum::body::Body::new)).await;
                    drop(busy);
                    Ok::<_, std::convert::Infallible>(response)
                }
            });
        let connection = builder.serve_connection_with_upgrades(io, service).into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.drain, graceful.shutdown()).await.is_err() {
        tracing::warn!(
            seconds = limits.drain.as_secs(),
            "requests still running at shutdown were cut"
        );
    }
    Ok(())
}

/// Counts a request in flight on its connection while alive.
struct Busy(Arc<AtomicUsize>);

impl Busy {
    fn new(count: Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Self(count)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A connection that fails with `TimedOut` once it has been idle (no request in flight, no
/// bytes either way) for `idle`.
struct IdleIo {
    inner: TcpStream,
    idle: Duration,
    timer: Pin<Box<Sleep>>,
    /// The last time bytes moved (or a request was seen in flight).
    last: tokio::time::Instant,
    in_flight: Arc<AtomicUsize>,
}

impl IdleIo {
    fn new(inner: TcpStream, idle: Duration, in_flight: Arc<AtomicUsize>) -> Self {
        let now = tokio::time::Instant::now();
        let timer = Box::pin(tokio::time::sleep_until(now + idle));
        Self { inner, idle, timer, last: now, in_flight }
    }

    /// Notes activity. The timer moves lazily, when it next runs out: resetting it on every
    /// read and write cost a timer-wheel update each, twice per request.
    fn touch(&mut self) {
        self.last = tokio::time::Instant::now();
    }

    /// Whether the idle time ran out (registering a wake-up for when it will).
    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        if self.in_flight.load(Ordering::SeqCst) > 0 {
            self.touch();
            return false;
        }
        while self.timer.as_mut().poll(cx).is_ready() {
            let deadline = self.last + self.idle;
            if deadline <= tokio::time::Instant::now() {
                return true;
            }
            self.timer.as_mut().reset(deadline);
        }
        false
    }
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "idle connection closed")
}

impl AsyncRead for IdleIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.touch();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }
}

impl AsyncWrite for IdleIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, data) {
            Poll::Ready(Ok(n)) => {
                self.touch();
                Poll::Ready(Ok(n))
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(Ok(n)) => {
                self.touch();
                Poll::Ready(Ok(n))
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// The default connection cap: the open-file limit (raised to its hard maximum first) less
/// room for node connections, the job database and logs; at most 65,536.
pub fn default_max_connections() -> usize {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    if let (Some(_), Some(hard)) = (limit.current, limit.maximum) {
        let _ = setrlimit(Resource::Nofile, Rlimit { current: Some(hard), maximum: Some(hard) });
    }
    let soft = getrlimit(Resource::Nofile).current.unwrap_or(65_536 + 256);
    (soft.saturating_sub(256) as usize).clamp(64, 65_536)
}
