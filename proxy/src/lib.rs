//! The shop-side server of the pickup-point widget: the JSON API, the widget bundle and demo site, and the
//! carriers' data behind them. `main.rs` only reads the configuration and calls [`serve`].

pub mod carriers;
pub mod config;
pub mod error;
pub mod geocoder;
pub mod hex;
pub mod http;
pub mod metrics;
pub mod network;
pub mod quotes;
pub mod shipments;
pub mod store;
pub mod tracking;

use std::sync::Arc;

use tokio::net::TcpListener;

pub use config::Config;
pub use error::Error;

/// Makes ring the TLS provider of every outgoing HTTPS call (carriers, the geocoder); needed before any
/// HTTP client is built. Installing again (several proxies in one test process) changes nothing.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    install_tls_provider();
    let started = std::time::Instant::now();
    let database_url = config.database_url.as_ref().map(config::Secret::expose);
    let store = store::Store::open(database_url, &config.data_dir).await.map_err(std::io::Error::other)?;
    let carriers = carriers::load(&config, &store);
    let tariffs = carriers.iter().map(|c| (c.points.name.clone(), Arc::clone(&c.tariffs))).collect();
    let addresses = carriers.iter().filter_map(|c| c.addresses.clone()).collect();
    let trackers = carriers
        .iter()
        .filter_map(|c| {
            Some(tracking::TrackingCarrier {
                name: c.points.name.clone(),
                title: c.points.title.clone(),
                tracker: Arc::clone(c.tracker.as_ref()?),
            })
        })
        .collect();
    let metrics = Arc::new(metrics::Metrics::default());
    let tracking = Arc::new(tracking::TrackingService::new(trackers, Arc::clone(&metrics), Some(&store)));
    let quotes = quotes::QuoteService::new(tariffs, config.quote_ttl, config.quote_grace, Arc::clone(&metrics));
    let shippers =
        carriers.iter().filter_map(|c| Some((c.points.name.0.clone(), Arc::clone(c.shipper.as_ref()?)))).collect();
    let sources: Vec<_> =
        carriers.iter().filter_map(|c| Some((c.points.clone_meta(), Arc::clone(c.source.as_ref()?)))).collect();
    for c in &carriers {
        metrics.network(&c.points.name.0, &c.points.points, &c.skipped);
    }
    let network = network::Network::new(carriers.into_iter().map(|c| c.points).collect());
    tracing::info!(points = network.len(), elapsed_ms = started.elapsed().as_millis() as u64, "pickup points loaded");
    let live = Arc::new(network::live::LiveNetwork::new(network));
    let sink = carriers::sync::Sink {
        snapshots: carriers::sync::Snapshots::new(&config.data_dir),
        live: Arc::clone(&live),
        metrics: Arc::clone(&metrics),
        store: store.clone(),
    };
    // Held until the server stops: dropping them stops the syncs.
    let _syncs: Vec<carriers::sync::SyncTask> =
        sources.into_iter().map(|(carrier, source)| carriers::sync::spawn(carrier, source, sink.clone())).collect();
    let ledger =
        shipments::ledger::Ledger::open(&store, config.shop_webhook.is_some()).await.map_err(std::io::Error::other)?;
    let ledger = Arc::new(ledger);
    let quotes = Arc::new(quotes);
    let parts = shipments::Parts {
        ledger: Arc::clone(&ledger),
        shippers,
        network: Arc::clone(&live),
        quotes: Arc::clone(&quotes),
        tracking: Arc::clone(&tracking),
        store: store.clone(),
    };
    let shipments = Arc::new(shipments::Shipments::new(
        parts,
        config.shipment_poll,
        &config.data_dir,
        config.shop_from_city.clone(),
    ));
    // Held until the server stops, like the syncs.
    let _follower = shipments.spawn();
    let _dispatches = shipments.spawn_dispatches();
    let hooks_secret = match http::hooks_secret(&config.data_dir)? {
        // Carriers post to one address for the fleet, whichever proxy subscribed them.
        mine if store.is_shared() => store.shared_secret("hooks", &mine).await.map_err(std::io::Error::other)?,
        mine => mine,
    };
    let _subscriptions = match &config.public_url {
        Some(base) => shipments.subscribe(base, &hooks_secret),
        None => Vec::new(),
    };
    let _webhook = config
        .shop_webhook
        .clone()
        .map(|(url, secret)| Arc::new(shipments::webhooks::Webhook::new(url, secret)).spawn(Arc::clone(&ledger)));
    let geocoder = config.geocoder_url.clone().map(|url| Arc::new(geocoder::Geocoder::new(url)));
    let state = http::AppState::new(http::Services {
        config: Arc::new(config),
        network: live,
        quotes,
        shipments,
        hooks_secret,
        tracking,
        addresses,
        geocoder,
        metrics,
        views: http::view_cache(),
    });
    let app = http::router(state);
    // The peer's address is the rate limit's key (or, behind trusted proxies, where it starts looking).
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
