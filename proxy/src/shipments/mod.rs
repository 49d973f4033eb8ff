//! The shop's shipments: registered with each carrier through its [`Shipper`], kept in the [`Ledger`], and
//! followed in the background until nothing more will happen to them.
//!
//! A create is written to the ledger before the carrier hears of it, and every registration sent is counted
//! there first; after a crash, a shipment whose registration may have reached the carrier is looked up there
//! by the shop's number before it is sent again. So a parcel is registered once, whatever fails when.

mod check;
pub mod ledger;
pub mod model;
pub mod webhooks;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use pvz_shared::tracking::Tracking;
use sha2::{Digest, Sha256};

use crate::Error;
use crate::carriers::Shipper;
use crate::carriers::shipper::{Cancel, CarrierError, Consignment, Destination, Event, Label, Pickup, Report};
use crate::network::live::LiveNetwork;
use crate::quotes::QuoteService;
use crate::store::Store;
use crate::tracking::TrackingService;
use ledger::{Filter, Inserted, Ledger, New, Stored};
use model::{
    CourierCall, CourierCallRequest, CourierRecord, CourierRequest, Dispatch, Shipment, ShipmentFix, ShipmentRequest,
    State,
};

/// How long one task may work on a shipment before another may take it over: past any carrier's timeout.
const LEASE: Duration = Duration::from_secs(150);
/// How long a proxy making a day's batch keeps the others from making one, at most.
const DISPATCH_LEASE: Duration = Duration::from_secs(300);
/// How soon a carrier still processing an order is asked again.
const PENDING_CHECK: Duration = Duration::from_secs(2);
/// The longest wait after failures before a carrier is asked again.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// How often the background task looks for shipments due.
const TICK: Duration = Duration::from_secs(1);
/// Shipments the background task asks about at once.
const BATCH: u32 = 16;

pub struct Shipments {
    ledger: Arc<Ledger>,
    /// The carriers that register shipments, by name.
    shippers: HashMap<String, Arc<dyn Shipper>>,
    network: Arc<LiveNetwork>,
    quotes: Arc<QuoteService>,
    /// Parcels of carriers whose shipments are [`Shipper::tracked`] are followed here.
    tracking: Arc<TrackingService>,
    /// How often shipments on their way are asked about.
    poll: Duration,
    /// Where labels are kept once fetched, one `<id>.pdf` a shipment.
    labels: PathBuf,
    /// Where couriers collect the shop's parcels.
    shop_city: String,
    /// Held while a batch is made, so that the daily one and the shop's never overlap.
    dispatching: tokio::sync::Mutex<()>,
    store: Store,
    /// This proxy, as the holder of the store's leases.
    holder: String,
}

/// A label asked for.
pub enum LabelAnswer {
    Pdf(Vec<u8>),
    /// The carrier is still making it.
    Preparing,
}

/// How long a label request waits for the carrier to finish it before answering "still preparing".
const LABEL_WAIT: Duration = Duration::from_secs(8);

/// What a create found: a shipment made now, or the one the same request made before.
pub enum Created {
    New(Shipment),
    Again(Shipment),
}

/// SHA-256 of the request as read, in hex.
fn fingerprint(request: &ShipmentRequest) -> String {
    let bytes = serde_json::to_vec(request).unwrap_or_default();
    crate::hex::hex(&Sha256::digest(&bytes))
}

/// A parcel's tracked history as a report: its steps, oldest first, each in the state it leads to.
fn followed(history: Option<Tracking>) -> Report {
    let events = history.map(|t| t.events).unwrap_or_default();
    Report {
        events: events
            .into_iter()
            .rev()
            .map(|e| Event {
                at: e.at,
                state: State::from_track(e.status),
                code: e.status.as_str().into(),
                text: e.text,
                city: e.place,
            })
            .collect(),
        ..Report::default()
    }
}

fn new_id() -> String {
    format!("shp_{:016x}", fastrand::u64(..))
}

/// What the shipments stand on: the ledger and the rest of the proxy.
pub struct Parts {
    pub ledger: Arc<Ledger>,
    pub shippers: HashMap<String, Arc<dyn Shipper>>,
    pub network: Arc<LiveNetwork>,
    pub quotes: Arc<QuoteService>,
    pub tracking: Arc<TrackingService>,
    /// The proxy's database, whose leases keep a day's batch to one proxy of a fleet.
    pub store: Store,
}

impl Shipments {
    pub fn new(parts: Parts, poll: Duration, data_dir: &Path, shop_city: String) -> Self {
        let Parts { ledger, shippers, network, quotes, tracking, store } = parts;
        Self {
            store,
            holder: format!("{:016x}", fastrand::u64(..)),
            ledger,
            shippers,
            network,
            quotes,
            tracking,
            poll,
            labels: data_dir.join("labels"),
            shop_city,
            dispatching: tokio::sync::Mutex::default(),
        }
    }

    fn label_path(&self, id: &str) -> PathBuf {
        self.labels.join(format!("{id}.pdf"))
    }

    /// The shipment as the API shows it: with whether its label is at hand.
    fn shown(&self, mut shipment: Shipment) -> Shipment {
        shipment.label_ready = self.label_path(&shipment.id).is_file();
        shipment
    }

    /// When to ask about a shipment next: soon while the carrier processes it, never once it is final.
    fn next_check(&self, state: State) -> Option<Duration> {
        match state {
            s if s.is_final() => None,
            State::Pending => Some(PENDING_CHECK),
            _ => Some(self.poll),
        }
    }

    fn backoff(&self, failures: i64) -> Duration {
        let doubled = PENDING_CHECK.saturating_mul(1 << failures.clamp(0, 16));
        doubled.min(MAX_BACKOFF).min(self.poll.max(PENDING_CHECK))
    }

    fn shipper(&self, carrier: &str) -> Result<&Arc<dyn Shipper>, Error> {
        self.shippers.get(carrier).ok_or_else(|| {
            Error::Unprocessable(format!("shipments of {carrier} are not registered through this proxy"))
        })
    }

    /// Registers `request`, once per idempotency `key` (the order number when the shop sends none).
    pub async fn create(&self, key: Option<String>, request: ShipmentRequest) -> Result<Created, Error> {
        let request = check::request(request)?;
        let key = key.unwrap_or_else(|| format!("order:{}", request.order_number));
        let hash = fingerprint(&request);
        if let Some(stored) = self.ledger.by_key(&key).await? {
            return again(stored, &hash);
        }
        let (carrier, shipper, quoted) = match &request.door {
            Some(door) => {
                let shipper = Arc::clone(self.shipper(&door.carrier)?);
                if !shipper.delivers_to_doors() {
                    return Err(Error::Unprocessable(format!(
                        "{} registers no door deliveries through this proxy: choose one of its points",
                        door.carrier
                    )));
                }
                let quoted = self.quotes.door_quote(&door.carrier, &door.address, &request.parcel).await?;
                (door.carrier.clone(), shipper, quoted)
            }
            None => {
                let network = self.network.current();
                let point = network.get(&request.point_id).ok_or_else(|| {
                    Error::bad_request(
                        "point_id",
                        format!("no pickup point {:?}: it may have closed", request.point_id),
                    )
                })?;
                let carrier = point.carrier.0.clone();
                let shipper = Arc::clone(self.shipper(&carrier)?);
                let quote =
                    self.quotes.quote(point, &request.parcel, QuoteService::today()).await.map_err(|e| match e {
                        Error::ParcelNotAccepted(why) => Error::bad_request("parcel", why),
                        other => other,
                    })?;
                (carrier, shipper, quote.cost.kopecks)
            }
        };
        let id = new_id();
        let new =
            New { id: &id, key: &key, request_hash: &hash, request: &request, carrier: &carrier, quoted, lease: LEASE };
        match self.ledger.insert(new).await? {
            Inserted::New => {}
            Inserted::Again(stored) => return again(*stored, &hash),
            Inserted::OrderTaken(other) => {
                return Err(Error::Conflict(format!(
                    "order {:?} already has shipment {other} at {carrier}: read it, or cancel it before asking again",
                    request.order_number
                )));
            }
        }
        let stored = self.stored(&id).await?;
        if let Err(err) = self.register(&stored, shipper.as_ref()).await {
            tracing::warn!(shipment = %id, %carrier, error = %err, "registration failed; it is tried again in the background");
            self.ledger.failed(&id, self.backoff(0)).await?;
        }
        Ok(Created::New(self.stored(&id).await?.shipment))
    }

    async fn stored(&self, id: &str) -> Result<Stored, Error> {
        self.ledger.get(id).await?.ok_or_else(|| Error::NotFound(format!("no shipment {id:?}")))
    }

    pub async fn get(&self, id: &str) -> Result<Shipment, Error> {
        Ok(self.shown(self.stored(id).await?.shipment))
    }

    pub async fn list(&self, filter: &Filter) -> Result<Vec<Shipment>, Error> {
        Ok(self.ledger.list(filter).await?.into_iter().map(|s| self.shown(s)).collect())
    }

    /// A registered shipment's carrier and its reference there; anything else is a conflict saying why.
    fn registered<'a>(&self, shipment: &'a Shipment) -> Result<&'a str, Error> {
        match (&shipment.carrier_ref, shipment.state) {
            (Some(carrier_ref), state) if !matches!(state, State::Pending | State::Rejected | State::Cancelled) => {
                Ok(carrier_ref)
            }
            (_, state) => Err(Error::Conflict(format!(
                "shipment {} is {}: only a shipment its carrier has registered has a label or a courier",
                shipment.id,
                state.as_str()
            ))),
        }
    }

    /// The shipment's label: kept once fetched; asked of the carrier, and waited for a few seconds, before.
    pub async fn label(&self, id: &str) -> Result<LabelAnswer, Error> {
        let path = self.label_path(id);
        if let Ok(pdf) = tokio::fs::read(&path).await {
            return Ok(LabelAnswer::Pdf(pdf));
        }
        let shipment = self.stored(id).await?.shipment;
        let carrier_ref = self.registered(&shipment)?;
        let shipper = self.shipper(&shipment.carrier)?;
        let deadline = tokio::time::Instant::now() + LABEL_WAIT;
        loop {
            if let Label::Ready(pdf) = shipper.label(carrier_ref).await? {
                let written = async {
                    tokio::fs::create_dir_all(&self.labels).await?;
                    let partial = path.with_extension("pdf.partial");
                    tokio::fs::write(&partial, &pdf).await?;
                    tokio::fs::rename(&partial, &path).await
                };
                if let Err(err) = written.await {
                    tracing::warn!(shipment = %id, error = %err, "the label could not be kept; it is fetched again next time");
                }
                return Ok(LabelAnswer::Pdf(pdf));
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(LabelAnswer::Preparing);
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// Asks the carrier's courier to collect registered shipments, one request a shipment.
    pub async fn call_courier(&self, call: CourierCallRequest) -> Result<CourierCall, Error> {
        let call = check::courier_call(call, QuoteService::today())?;
        let shipper = self.shippers.get(&call.request.carrier).ok_or_else(|| {
            Error::bad_request("carrier", format!("{:?} is none of this proxy's carriers", call.request.carrier))
        })?;
        let request = &call.request;
        let pickup = Pickup {
            date: call.date,
            time_from: request.time_from.clone(),
            time_to: request.time_to.clone(),
            contact_name: request.contact.name.clone(),
            contact_phone: request.contact.phone.clone(),
            city: self.shop_city.clone(),
            address: request.contact.address.clone(),
        };
        let mut refs = Vec::new();
        for id in &request.shipment_ids {
            let shipment = self
                .stored(id)
                .await
                .map_err(|_| Error::bad_request("shipment_ids", format!("no shipment {id:?}")))?
                .shipment;
            if shipment.carrier != request.carrier {
                return Err(Error::bad_request(
                    "shipment_ids",
                    format!("{id} goes with {}, not {}", shipment.carrier, request.carrier),
                ));
            }
            let carrier_ref =
                self.registered(&shipment).map_err(|e| Error::bad_request("shipment_ids", e.to_string()))?;
            refs.push((id.clone(), carrier_ref.to_string()));
        }
        let mut made = CourierCall {
            carrier: request.carrier.clone(),
            date: request.date.clone(),
            time_from: request.time_from.clone(),
            time_to: request.time_to.clone(),
            requests: Vec::new(),
        };
        for (shipment_id, carrier_ref) in refs {
            let asked = shipper.call_courier(&carrier_ref, &pickup).ok_or_else(|| {
                Error::Unprocessable(format!(
                    "{} has no courier calls: parcels are handed in at its offices",
                    request.carrier
                ))
            })?;
            // Kept as soon as the carrier takes it: a later refusal in the same call loses none taken.
            let taken = CourierRequest { shipment_id, carrier_ref: asked.await? };
            self.ledger.courier_requested(&made, &taken).await?;
            made.requests.push(taken);
        }
        Ok(made)
    }

    /// The latest courier requests the carriers took, newest first.
    pub async fn courier_requests(&self, limit: u32) -> Result<Vec<CourierRecord>, Error> {
        self.ledger.courier_requests(limit).await
    }

    /// Sends a leased shipment's registration, unless the carrier turns out to have it already.
    async fn register(&self, stored: &Stored, shipper: &dyn Shipper) -> Result<(), Error> {
        let id = &stored.shipment.id;
        if stored.attempts > 0
            && let Some(report) = shipper.find(&stored.request.order_number).await?
        {
            tracing::info!(shipment = %id, "the carrier already had it: its order is taken over");
            return self.apply(id, &report).await;
        }
        let to = match &stored.request.door {
            Some(door) => Destination::Door(door.address.clone()),
            None => match self.network.current().get(&stored.request.point_id) {
                Some(point) => Destination::Point(Box::new(point.clone())),
                None => {
                    let gone = Report {
                        state: Some(State::Rejected),
                        errors: vec![CarrierError {
                            code: "point_gone".into(),
                            message: format!("the pickup point {} no longer serves", stored.request.point_id),
                        }],
                        ..Report::default()
                    };
                    return self.apply(id, &gone).await;
                }
            },
        };
        let consignment = Consignment {
            number: stored.request.order_number.clone(),
            to,
            parcel: stored.request.parcel.clone(),
            recipient: stored.request.recipient.clone(),
            items: stored.request.items.clone(),
            comment: stored.request.comment.clone(),
        };
        self.ledger.attempt(id).await?;
        let report = shipper.register(consignment).await?;
        self.apply(id, &report).await
    }

    async fn apply(&self, id: &str, report: &Report) -> Result<(), Error> {
        let (before, after) = self.ledger.apply(id, report, |state| self.next_check(state)).await?;
        if before != after {
            tracing::info!(shipment = %id, from = before.as_str(), to = after.as_str(), "shipment state changed");
        }
        Ok(())
    }

    /// Asks the carrier about one due shipment: registers it if it never was, or reads its state.
    async fn work(&self, id: &str) -> Result<(), Error> {
        if !self.ledger.claim_due(id, LEASE).await? {
            return Ok(());
        }
        let stored = self.stored(id).await?;
        let shipper = match self.shipper(&stored.shipment.carrier) {
            Ok(shipper) => Arc::clone(shipper),
            Err(err) => {
                self.ledger.failed(id, MAX_BACKOFF).await?;
                return Err(err);
            }
        };
        let shipment = &stored.shipment;
        let asked = match (&shipment.carrier_ref, &shipment.track_number) {
            (None, _) => self.register(&stored, shipper.as_ref()).await,
            (Some(_), Some(number)) if shipper.tracked() => {
                match self.tracking.follow(&shipment.carrier, number).await {
                    Ok(history) => self.apply(id, &followed(history)).await,
                    Err(err) => Err(err),
                }
            }
            (Some(carrier_ref), _) => match shipper.check(carrier_ref).await {
                Ok(report) => self.apply(id, &report).await,
                Err(err) => Err(err),
            },
        };
        if let Err(err) = asked {
            tracing::warn!(shipment = %id, carrier = %stored.shipment.carrier, error = %err, "asking the carrier failed; asked again later");
            self.ledger.failed(id, self.backoff(stored.failures + 1)).await?;
        }
        Ok(())
    }

    /// The shop's webhook events that failed and still wait, and those given up on.
    pub async fn undelivered_events(&self) -> Result<(i64, i64), Error> {
        self.ledger.undelivered().await
    }

    /// Sends a rejected shipment to its carrier again, with the shop's corrections (the recipient, another
    /// point of the same carrier), checked as a new one would be.
    pub async fn retry(&self, id: &str, fix: ShipmentFix) -> Result<Shipment, Error> {
        let stored = self.stored(id).await?;
        let mut request = stored.request;
        if let Some(recipient) = fix.recipient {
            request.recipient = recipient;
        }
        if let Some(point_id) = fix.point_id {
            request.point_id = point_id;
        }
        // The correction is checked first: a bad one is a 400 whatever the shipment's state.
        let request = check::request(request)?;
        if stored.shipment.state != State::Rejected {
            return Err(Error::Conflict(format!(
                "shipment {id} is {}: only a rejected shipment is sent again",
                stored.shipment.state.as_str()
            )));
        }
        if request.door.is_none() {
            let network = self.network.current();
            let point = network.get(&request.point_id).ok_or_else(|| {
                Error::bad_request("point_id", format!("no pickup point {:?}: it may have closed", request.point_id))
            })?;
            if point.carrier.0 != stored.shipment.carrier {
                return Err(Error::bad_request(
                    "point_id",
                    format!(
                        "is {}'s: a shipment stays with its carrier; create a new one for another",
                        point.carrier.0
                    ),
                ));
            }
        }
        if let Some(other) = self.ledger.resend(id, &request).await? {
            return Err(Error::Conflict(format!(
                "order {:?} already has shipment {other} at {}",
                request.order_number, stored.shipment.carrier
            )));
        }
        tracing::info!(shipment = %id, "rejected shipment sent again");
        self.get(id).await
    }

    /// Cancels at the carrier while it allows it; a cancelled shipment stays cancelled.
    pub async fn cancel(&self, id: &str) -> Result<Shipment, Error> {
        let stored = self.stored(id).await?;
        match stored.shipment.state {
            State::Cancelled => return Ok(stored.shipment),
            state if state.is_final() => {
                return Err(Error::Conflict(format!("shipment {id} is {}: nothing to cancel", state.as_str())));
            }
            _ => {}
        }
        let mut leased = false;
        for _ in 0..40 {
            if self.ledger.claim(id, LEASE).await? {
                leased = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        if !leased {
            return Err(Error::Conflict(format!("shipment {id} is being registered right now: try again in a minute")));
        }
        let stored = self.stored(id).await?;
        let shipper = Arc::clone(self.shipper(&stored.shipment.carrier)?);
        let carrier_ref = match (&stored.shipment.carrier_ref, stored.attempts) {
            (Some(carrier_ref), _) => Some(carrier_ref.clone()),
            (None, 0) => None,
            (None, _) => match shipper.find(&stored.request.order_number).await {
                Ok(found) => found.and_then(|r| r.carrier_ref),
                Err(err) => {
                    self.ledger.release(id).await?;
                    return Err(err);
                }
            },
        };
        if let Some(carrier_ref) = carrier_ref {
            match shipper.cancel(&carrier_ref).await {
                Ok(Cancel::Done) => {}
                Ok(Cancel::Refused(why)) => {
                    self.ledger.release(id).await?;
                    return Err(Error::Conflict(format!("the carrier keeps shipment {id}: {why}")));
                }
                Err(err) => {
                    self.ledger.release(id).await?;
                    return Err(err);
                }
            }
        }
        self.ledger.cancelled(id).await?;
        self.get(id).await
    }

    /// A carrier's notification: the shipment it tells of is asked about at once. Whether it was one of
    /// the shop's shipments still followed.
    pub async fn notified(&self, carrier: &str, body: &[u8]) -> Result<bool, Error> {
        let Some(carrier_ref) = self.shippers.get(carrier).and_then(|s| s.notified(body)) else { return Ok(false) };
        self.ledger.due_now(carrier, &carrier_ref).await
    }

    /// Subscribes every carrier that sends status notifications to `{base}/{carrier}/{secret}`, in the
    /// background, trying again a minute later while it fails.
    pub fn subscribe(self: &Arc<Self>, base: &reqwest::Url, secret: &str) -> Vec<Follower> {
        self.shippers
            .iter()
            .filter_map(|(carrier, shipper)| {
                let url = base.join(&format!("hooks/{carrier}/{secret}")).ok()?;
                let (carrier, shipper) = (carrier.clone(), Arc::clone(shipper));
                Some(Follower(tokio::spawn(async move {
                    // A carrier that sends no notifications has nothing to subscribe: the task ends at once.
                    loop {
                        let Some(asked) = shipper.subscribe(url.as_str()) else { return };
                        match asked.await {
                            Ok(()) => {
                                tracing::info!(%carrier, "the carrier's status notifications are subscribed");
                                return;
                            }
                            Err(err) => tracing::warn!(%carrier, error = %err, "subscribing the carrier's status notifications failed; tried again in a minute"),
                        }
                        tokio::time::sleep(Duration::from_secs(60)).await;
                    }
                })))
            })
            .collect()
    }

    /// Hands the day's registered shipments of each carrier that batches them over at its time, every day,
    /// until the returned tasks are dropped.
    pub fn spawn_dispatches(self: &Arc<Self>) -> Vec<Follower> {
        self.shippers
            .iter()
            .filter_map(|(carrier, shipper)| Some((carrier.clone(), shipper.dispatch_at()?)))
            .map(|(carrier, at)| {
                let shipments = Arc::clone(self);
                Follower(tokio::spawn(async move {
                    loop {
                        tokio::time::sleep(until(at, time::OffsetDateTime::now_utc())).await;
                        if let Err(err) = shipments.dispatch(&carrier).await {
                            tracing::error!(%carrier, error = %err, "the day's batch was not made: its shipments wait for tomorrow's");
                        }
                    }
                }))
            })
            .collect()
    }

    /// Puts `carrier`'s registered shipments that have no track number yet in a batch now: at its daily time,
    /// or when the shop asks. One batch at a time.
    pub async fn dispatch(&self, carrier: &str) -> Result<Dispatch, Error> {
        let shipper = Arc::clone(self.shipper(carrier)?);
        if !shipper.batches() {
            return Err(Error::Unprocessable(format!(
                "{carrier} takes each shipment as it is registered: it makes no batches"
            )));
        }
        let _one_at_a_time = self.dispatching.lock().await;
        // One proxy of a fleet at a time: the others' shipments are in the same ledger.
        let lease = format!("dispatch:{carrier}");
        if !self.store.lease(&lease, &self.holder, DISPATCH_LEASE).await? {
            return Err(Error::Conflict(format!(
                "another proxy is making {carrier}'s batch right now: its shipments go in it; try again in a minute"
            )));
        }
        let made = self.batch(carrier, shipper.as_ref()).await;
        if let Err(err) = self.store.release(&lease, &self.holder).await {
            tracing::warn!(%carrier, error = %err, "the batch's lease was not given back; it runs out by itself");
        }
        made
    }

    async fn batch(&self, carrier: &str, shipper: &dyn Shipper) -> Result<Dispatch, Error> {
        let waiting = self.ledger.awaiting_dispatch(carrier).await?;
        let mut made = Dispatch { carrier: carrier.to_string(), shipments: waiting.len(), numbered: 0 };
        if waiting.is_empty() {
            return Ok(made);
        }
        let reports = shipper.dispatch(waiting.iter().map(|(_, r)| r.clone()).collect()).await?;
        for report in &reports {
            let id = waiting.iter().find(|(_, r)| Some(r) == report.carrier_ref.as_ref()).map(|(id, _)| id);
            if let Some(id) = id {
                self.apply(id, report).await?;
                made.numbered += usize::from(report.track_number.is_some());
            }
        }
        tracing::info!(%carrier, shipments = made.shipments, numbered = made.numbered, "the day's batch made");
        Ok(made)
    }

    /// Asks the carriers about every shipment due, until the returned task is dropped.
    pub fn spawn(self: &Arc<Self>) -> Follower {
        let shipments = Arc::clone(self);
        Follower(tokio::spawn(async move {
            loop {
                match shipments.ledger.due(BATCH).await {
                    Ok(due) if !due.is_empty() => {
                        let asks = due.iter().map(|id| shipments.work(id));
                        for (id, done) in due.iter().zip(futures_util::future::join_all(asks).await) {
                            if let Err(err) = done {
                                tracing::error!(shipment = %id, error = %err, "a shipment could not be followed");
                            }
                        }
                        continue;
                    }
                    Ok(_) => {}
                    Err(err) => tracing::error!(error = %err, "the ledger could not be read"),
                }
                tokio::time::sleep(TICK).await;
            }
        }))
    }
}

/// How long from `now` until `at`, Moscow time, next comes round.
fn until(at: time::Time, now: time::OffsetDateTime) -> Duration {
    let moscow = time::UtcOffset::from_hms(3, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let now = now.to_offset(moscow);
    let mut next = now.replace_time(at);
    if next <= now {
        next += time::Duration::days(1);
    }
    Duration::try_from(next - now).unwrap_or(Duration::from_secs(60))
}

/// The same request again: the shipment it made; another request under the same key: refused.
fn again(stored: Stored, hash: &str) -> Result<Created, Error> {
    if stored.request_hash == hash {
        Ok(Created::Again(stored.shipment))
    } else {
        Err(Error::Conflict(format!(
            "this idempotency key was used for another request (shipment {}): send a new key for a new request",
            stored.shipment.id
        )))
    }
}

/// The background task following shipments; dropping it stops it.
pub struct Follower(tokio::task::JoinHandle<()>);

impl Drop for Follower {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daily_time_comes_round_today_or_tomorrow_in_moscow() {
        let now = time::macros::datetime!(2026-11-30 12:00:00 UTC); // 15:00 in Moscow
        assert_eq!(until(time::macros::time!(18:00), now), Duration::from_secs(3 * 3600));
        assert_eq!(until(time::macros::time!(15:00), now), Duration::from_secs(24 * 3600));
        assert_eq!(until(time::macros::time!(09:30), now), Duration::from_secs(18 * 3600 + 1800));
    }
}
