//! A loopback TCP proxy the fault tests control: added latency, existing connections turned into
//! black holes (they stay open and carry nothing, as after a network partition without RST),
//! connections killed, new ones refused, and the upstream switched (a node replaced by another).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

struct Control {
    upstream: std::sync::Mutex<SocketAddr>,
    delay_ms: AtomicU64,
    next_id: AtomicU64,
    /// Connections with an id below this carry nothing.
    blackhole_below: AtomicU64,
    /// Connections with an id below this are closed.
    kill_below: AtomicU64,
    refuse: AtomicBool,
}

/// The proxy; it stops when dropped.
pub struct Proxy {
    addr: SocketAddr,
    control: Arc<Control>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    /// A proxy to `upstream` (a `ws://host:port` URL).
    pub async fn to(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let control = Arc::new(Control {
            upstream: std::sync::Mutex::new(socket(upstream)),
            delay_ms: AtomicU64::new(0),
            next_id: AtomicU64::new(0),
            blackhole_below: AtomicU64::new(0),
            kill_below: AtomicU64::new(0),
            refuse: AtomicBool::new(false),
        });
        let c = control.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let id = c.next_id.fetch_add(1, Ordering::SeqCst);
                if c.refuse.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let target = *c.upstream.lock().expect("lock");
                let c = c.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(target).await else { return };
                    let (cr, cw) = client.into_split();
                    let (sr, sw) = server.into_split();
                    let up = tokio::spawn(pump(cr, sw, id, c.clone()));
                    let down = tokio::spawn(pump(sr, cw, id, c));
                    let _ = tokio::join!(up, down);
                });
            }
        });
        Proxy { addr, control, task }
    }

    /// The proxy's `ws://` URL.
    pub fn url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// Delays every chunk by `delay` in both directions.
    pub fn set_delay(&self, delay: Duration) {
        self.control.delay_ms.store(delay.as_millis() as u64, Ordering::SeqCst);
    }

    /// Existing connections go silent (stay open, carry nothing); new ones work.
    pub fn blackhole_existing(&self) {
        let next = self.control.next_id.load(Ordering::SeqCst);
        self.control.blackhole_below.store(next, Ordering::SeqCst);
    }

    /// Closes every existing connection.
    pub fn kill_existing(&self) {
        let next = self.control.next_id.load(Ordering::SeqCst);
        self.control.kill_below.store(next, Ordering::SeqCst);
    }

    /// Refuses (closes at once) new connections while `on`.
    pub fn refuse(&self, on: bool) {
        self.control.refuse.store(on, Ordering::SeqCst);
    }

    /// Sends new connections to `upstream` and closes the existing ones: the node was replaced.
    pub fn switch_to(&self, upstream: &str) {
        *self.control.upstream.lock().expect("lock") = socket(upstream);
        self.kill_existing();
    }
}

fn socket(url: &str) -> SocketAddr {
    url.trim_start_matches("ws://").trim_start_matches("http://").parse().expect("host:port")
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    id: u64,
    c: Arc<Control>,
) {
    // Latency, not a throughput cap: each chunk is written `delay` after it arrived, in order,
    // while later chunks keep being read.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(tokio::time::Instant, Vec<u8>)>();
    let killed = move |c: &Control| id < c.kill_below.load(Ordering::SeqCst);
    let writer = {
        let c = c.clone();
        tokio::spawn(async move {
            while let Some((due, bytes)) = rx.recv().await {
                tokio::time::sleep_until(due).await;
                if killed(&c) || to.write_all(&bytes).await.is_err() {
                    return;
                }
            }
        })
    };
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if killed(&c) {
            break;
        }
        let read = tokio::time::timeout(Duration::from_millis(50), from.read(&mut buf)).await;
        let n = match read {
            Err(_) => continue,
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => n,
        };
        if id < c.blackhole_below.load(Ordering::SeqCst) {
            continue; // swallowed
        }
        let delay = Duration::from_millis(c.delay_ms.load(Ordering::SeqCst));
        if tx.send((tokio::time::Instant::now() + delay, buf[..n].to_vec())).is_err() {
            break;
        }
    }
    drop(tx);
    if killed(&c) {
        writer.abort();
    } else {
        let _ = writer.await;
    }
}
