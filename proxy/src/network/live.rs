//! The network being served, replaced whole when a carrier's background sync brings new points. A request
//! takes the current network once and keeps it to the end, so a swap never mixes old and new points.

use std::sync::{Arc, RwLock};

use super::{CarrierPoints, Network};

pub struct LiveNetwork {
    /// A std lock held only to clone or swap the `Arc`; building a network happens outside it.
    current: RwLock<Arc<Network>>,
    /// One swap at a time, so two carriers' syncs finishing together do not lose one's points.
    swapping: std::sync::Mutex<()>,
}

impl LiveNetwork {
    pub fn new(network: Network) -> Self {
        Self { current: RwLock::new(Arc::new(network)), swapping: std::sync::Mutex::new(()) }
    }

    pub fn current(&self) -> Arc<Network> {
        Arc::clone(&self.current.read().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// Serves `fresh` in place of the carrier's points from now on.
    pub fn replace(&self, fresh: CarrierPoints) {
        let _one_at_a_time = self.swapping.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let next = Arc::new(self.current().with_points(fresh));
        *self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = next;
    }
}
