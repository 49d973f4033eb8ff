//! Helpers for the cross-crate tests: a real proxy on a free loopback port, stopped when dropped, and the
//! outside services it talks to, simulated on their own ports.

pub mod boxberry;
pub mod cdek;
pub mod fault;
pub mod geocoder;
pub mod postgres;
pub mod russianpost;
pub mod shop;

use std::net::SocketAddr;
use std::path::Path;

use pvz_proxy::Config;
use tempfile::TempDir;
use tokio::sync::oneshot;

/// A running proxy with its own bundle and site directories.
pub struct TestProxy {
    pub addr: SocketAddr,
    /// Holds the bundle and site directories for as long as the proxy runs.
    pub dir: TempDir,
    /// Sending on it, or dropping it, stops the server.
    stop: Option<oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    /// The proxy's own PostgreSQL, with `PVZ_TEST_POSTGRES` set: dropped after the proxy.
    _postgres: Option<postgres::Postgres>,
}

impl TestProxy {
    /// Starts a proxy with the demo carrier, an empty tile URL and small bundle and site files of its own.
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Like [`TestProxy::start`], with more settings (`PVZ_*` keys and values). With `PVZ_TEST_POSTGRES` set
    /// in the environment, a proxy not given a `PVZ_DATABASE_URL` gets a PostgreSQL server of its own, so that
    /// a suite runs against PostgreSQL as it does against SQLite.
    pub async fn start_with(settings: &[(&str, String)]) -> Self {
        let postgres = (std::env::var_os("PVZ_TEST_POSTGRES").is_some()
            && !settings.iter().any(|(k, _)| *k == "PVZ_DATABASE_URL"))
        .then(postgres::Postgres::start);
        let database_url = postgres.as_ref().map(|p| p.url.clone());
        // For the tests' own HTTP clients too.
        pvz_proxy::install_tls_provider();
        let dir = tempfile::tempdir().expect("temporary directory");
        let bundle = dir.path().join("bundle");
        let site = dir.path().join("site");
        write(&bundle.join("widget.js"), "window.PvzWidget = {};\n".repeat(200).as_bytes());
        write(&bundle.join("widget.0123456789.css"), b":host { display: block; }\n");
        write(&site.join("index.html"), "<!doctype html><title>Shop</title><p>Оформление заказа</p>".as_bytes());
        let vars = |key: &str| match key {
            "PVZ_LISTEN" => Some("127.0.0.1:0".to_string()),
            "PVZ_BUNDLE_DIR" => Some(bundle.display().to_string()),
            "PVZ_SITE_DIR" => Some(site.display().to_string()),
            "PVZ_TILE_URL" => Some(String::new()),
            "PVZ_DATABASE_URL" if database_url.is_some() => database_url.clone(),
            "PVZ_DATA_DIR" => Some(
                settings
                    .iter()
                    .find(|(k, _)| *k == "PVZ_DATA_DIR")
                    .map_or_else(|| dir.path().join("data").display().to_string(), |(_, v)| v.clone()),
            ),
            other => settings.iter().find(|(k, _)| *k == other).map(|(_, v)| v.clone()),
        };
        let config = Config::from_sources(vars, []).expect("test configuration");
        let listener = tokio::net::TcpListener::bind(config.listen).await.expect("free port");
        let addr = listener.local_addr().expect("bound address");
        let (stop, stopped) = oneshot::channel::<()>();
        let served = tokio::spawn(pvz_proxy::serve(config, listener, async {
            let _ = stopped.await;
        }));
        Self { addr, dir, stop: Some(stop), served: Some(served), _postgres: postgres }
    }

    /// Asks the server to stop, as SIGTERM does, and waits until it has: in-flight requests finish first.
    pub async fn shut_down(&mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.served.take() {
            Some(served) => served.await.map_err(std::io::Error::other)?,
            None => Ok(()),
        }
    }

    /// Stops the proxy as a crash does: its tasks end where they are, nothing is written or given back.
    pub fn kill(&mut self) {
        self.stop.take();
        if let Some(served) = self.served.take() {
            served.abort();
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Waits until the proxy serves `n` points of `carrier` (a background sync landing).
    pub async fn wait_for_points(&self, carrier: &str, n: usize) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let carriers: Vec<pvz_shared::CarrierInfo> = get_json(&self.url("/api/v1/carriers")).await;
            if carriers.iter().any(|c| c.name.0 == carrier && c.points as usize == n) {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "{carrier}'s points not synced: {carriers:?}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

/// Serves `app` on a free loopback port until the test process ends; its address.
pub async fn serve_on_loopback(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("free port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// `GET url`, read as JSON.
pub async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> T {
    reqwest::get(url).await.expect("an answer").json().await.expect("JSON")
}

/// The value of the line of Prometheus' text `metrics` that starts with `prefix` (a name and its labels).
pub fn metric(metrics: &str, prefix: &str) -> f64 {
    let line = metrics.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no {prefix} in\n{metrics}"));
    line.rsplit(' ').next().and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("not a number: {line}"))
}

fn write(path: &Path, contents: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("a parent directory")).expect("create directory");
    std::fs::write(path, contents).expect("write test file");
}
