//! Who may use the desk: one password, kept as its argon2 hash in the configuration; a session cookie
//! (HttpOnly, SameSite=Strict, Secure behind https) that ends after idle time; a token per session that
//! every form must carry; and sign-in attempts limited per client, so a password cannot be guessed at speed.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::http::header::{COOKIE, HOST, ORIGIN};
use axum::http::{HeaderMap, HeaderValue};
use subtle::ConstantTimeEq;

/// The session cookie's name; it is sent only to the desk's own addresses.
const NAME: &str = "pvz_desk";
/// Failed sign-ins one client may make within [`FAILURE_WINDOW`].
const MAX_FAILURES: u32 = 5;
const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Sessions held at once; the oldest idle ones go first past it.
const MAX_SESSIONS: u64 = 10_000;

/// A new argon2id hash of `password`, in the PHC form the configuration takes.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("no randomness for the salt: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether `password` is the one `hash` was made of. Slow on purpose: call it off the async threads.
pub fn verify(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    if let Err(err) = getrandom::fill(&mut bytes) {
        // Without randomness no session can be safe: none is made that anyone could guess.
        tracing::error!(error = %err, "no randomness for a desk session");
        return String::new();
    }
    crate::hex::hex(&bytes)
}

/// A signed-in owner.
pub struct Session {
    /// Carried by every form of this session, and compared before anything is done.
    pub csrf: String,
}

impl Session {
    pub fn csrf_matches(&self, given: &str) -> bool {
        !self.csrf.is_empty() && bool::from(self.csrf.as_bytes().ct_eq(given.as_bytes()))
    }
}

pub struct Sessions {
    /// By cookie token; each ends after the idle time without a request.
    live: moka::sync::Cache<String, Arc<Session>>,
    /// Failed sign-ins by client, forgotten after [`FAILURE_WINDOW`].
    failures: moka::sync::Cache<IpAddr, u32>,
    /// Whether the desk is reached over https: the cookie then says `Secure`.
    secure: bool,
    idle: Duration,
}

impl Sessions {
    pub fn new(idle: Duration, secure: bool) -> Self {
        Self {
            live: moka::sync::Cache::builder().max_capacity(MAX_SESSIONS).time_to_idle(idle).build(),
            failures: moka::sync::Cache::builder().max_capacity(100_000).time_to_live(FAILURE_WINDOW).build(),
            secure,
            idle,
        }
    }

    /// A new session and the `Set-Cookie` value that carries it; `None` without randomness.
    pub fn open(&self) -> Option<HeaderValue> {
        let (token, csrf) = (random_token(), random_token());
        if token.is_empty() || csrf.is_empty() {
            return None;
        }
        self.live.insert(token.clone(), Arc::new(Session { csrf }));
        let secure = if self.secure { "; Secure" } else { "" };
        let max_age = self.idle.as_secs();
        HeaderValue::from_str(&format!(
            "{NAME}={token}; Path=/desk; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
        ))
        .ok()
    }

    /// The session the request's cookie names, if it is still open (which keeps it open).
    pub fn find(&self, headers: &HeaderMap) -> Option<(String, Arc<Session>)> {
        let token = headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|pair| pair.trim().strip_prefix(NAME)?.strip_prefix('='))?;
        self.live.get(token).map(|session| (token.to_string(), session))
    }

    /// Ends the session; the `Set-Cookie` value that removes the cookie.
    pub fn close(&self, token: &str) -> HeaderValue {
        self.live.invalidate(token);
        HeaderValue::from_static("pvz_desk=; Path=/desk; HttpOnly; SameSite=Strict; Max-Age=0")
    }

    /// Whether `client` may try a password now.
    pub fn may_try(&self, client: IpAddr) -> bool {
        self.failures.get(&client).unwrap_or(0) < MAX_FAILURES
    }

    pub fn failed(&self, client: IpAddr) {
        self.failures.entry(client).and_upsert_with(|n| n.map_or(1, |n| n.into_value() + 1));
    }

    pub fn signed_in(&self, client: IpAddr) {
        self.failures.invalidate(&client);
    }

    /// Minutes until a client that failed too often may try again, at most.
    pub fn lockout_minutes() -> u64 {
        FAILURE_WINDOW.as_secs() / 60
    }
}

/// Whether a form was sent from the desk's own pages: a browser names another site in `Sec-Fetch-Site`,
/// and an `Origin` must be this host's.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if site.is_some_and(|s| s != "same-origin" && s != "none") {
        return false;
    }
    let Some(origin) = headers.get(ORIGIN) else { return true };
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin.to_str().ok().and_then(|o| o.split_once("://")).map(|(_, host)| host);
    matches!((origin_host, host), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let hash = hash_password("чайник-42").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify(&hash, "чайник-42"));
        assert!(!verify(&hash, "чайник-43"));
        assert!(!verify("not a hash", "чайник-42"));
    }

    #[test]
    fn forms_from_another_site_are_told_apart() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (k, v) in pairs {
                map.insert(*k, HeaderValue::from_static(v));
            }
            map
        };
        assert!(same_origin(&headers(&[("host", "pvz.shop.example"), ("origin", "https://pvz.shop.example")])));
        assert!(same_origin(&headers(&[("host", "127.0.0.1:8080")])), "no Origin: an older browser or a script");
        assert!(!same_origin(&headers(&[("host", "pvz.shop.example"), ("origin", "https://evil.example")])));
        assert!(!same_origin(&headers(&[("host", "pvz.shop.example"), ("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("host", "pvz.shop.example"), ("origin", "null")])));
    }

    #[test]
    fn a_session_ends_after_its_idle_time_and_is_kept_while_used() {
        let sessions = Sessions::new(Duration::from_millis(300), true);
        let cookie = sessions.open().unwrap();
        let text = cookie.to_str().unwrap().to_string();
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Strict") && text.ends_with("; Secure"), "{text}");
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_str(text.split(';').next().unwrap()).unwrap());
        for _ in 0..4 {
            std::thread::sleep(Duration::from_millis(150));
            assert!(sessions.find(&headers).is_some(), "kept while used");
        }
        std::thread::sleep(Duration::from_millis(450));
        assert!(sessions.find(&headers).is_none(), "ended after the idle time");
    }

    #[test]
    fn sign_ins_stop_after_five_failures() {
        let sessions = Sessions::new(Duration::from_secs(60), false);
        let client: IpAddr = "192.0.2.7".parse().unwrap();
        for _ in 0..MAX_FAILURES {
            assert!(sessions.may_try(client));
            sessions.failed(client);
        }
        assert!(!sessions.may_try(client));
        assert!(sessions.may_try("192.0.2.8".parse().unwrap()), "another client is not held back");
    }
}
