//! Helpers for the cross-crate tests: a real proxy on a free loopback port, stopped when dropped, and the
//! outside services it talks to, simulated on their own ports.

pub mod cdek;
pub mod geocoder;
pub mod russianpost;

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
    /// Dropping it stops the server.
    _stop: oneshot::Sender<()>,
}

impl TestProxy {
    /// Starts a proxy with the demo carrier, an empty tile URL and small bundle and site files of its own.
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Like [`TestProxy::start`], with more settings (`PVZ_*` keys and values).
    pub async fn start_with(settings: &[(&str, String)]) -> Self {
        // For the tests' own HTTP clients too.
        pvz_proxy::install_tls_provider();
        let dir = tempfile::tempdir().expect("temporary directory");
        let bundle = dir.path().join("bundle");
        let site = dir.path().join("site");
        write(&bundle.join("widget.js"), "window.PvzWidget = {};\n".repeat(200).as_bytes());
        write(&bundle.join("widget.css"), b":host { display: block; }\n");
        write(&site.join("index.html"), "<!doctype html><title>Shop</title><p>Оформление заказа</p>".as_bytes());
        let vars = |key: &str| match key {
            "PVZ_LISTEN" => Some("127.0.0.1:0".to_string()),
            "PVZ_BUNDLE_DIR" => Some(bundle.display().to_string()),
            "PVZ_SITE_DIR" => Some(site.display().to_string()),
            "PVZ_TILE_URL" => Some(String::new()),
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
        tokio::spawn(pvz_proxy::serve(config, listener, async {
            let _ = stopped.await;
        }));
        Self { addr, dir, _stop: stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

fn write(path: &Path, contents: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("a parent directory")).expect("create directory");
    std::fs::write(path, contents).expect("write test file");
}
