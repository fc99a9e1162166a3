//! Who a reader is: their address (from the connection or a trusted
//! proxy's header), the keyed hashes that stand for them in the store, and
//! the vote token.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use verdict_store::StoreError;

use super::Votes;

/// The reader's address: the connection's, or the configured proxy header's.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// The address a limit applies to: IPv4 as is, IPv6 by /64 (one
/// household or host usually owns a whole /64).
pub(super) fn limit_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

impl Votes {
    pub(super) fn client_ip(&self, addr: ClientAddr, headers: &HeaderMap) -> Option<IpAddr> {
        match &self.client_ip_header {
            Some(name) => forwarded_client(headers, name, self.settings.trusted_proxies),
            None => addr.0,
        }
    }

    /// The salt for `day`, cached; made by the store on first use.
    pub(super) async fn salt(&self, day: &str) -> Result<[u8; 32], StoreError> {
        if let Some((_, s)) = self
            .salts
            .lock()
            .expect("salt cache")
            .iter()
            .find(|(d, _)| d == day)
        {
            return Ok(*s);
        }
        let salt = self.store.daily_salt(day).await?;
        let mut cache = self.salts.lock().expect("salt cache");
        cache.retain(|(d, _)| d != day);
        cache.push((day.to_owned(), salt));
        cache.sort_by(|a, b| b.0.cmp(&a.0));
        cache.truncate(3);
        Ok(salt)
    }
}

/// The client address a chain of `trusted` proxies reports in `name`: the
/// `trusted`-th entry from the right, across every line of the header in
/// order (a proxy that appends a line of its own is read as well as one that
/// extends the last line). Entries a client wrote sit further left and are
/// never used. `None` when the chain is shorter than `trusted` or the entry
/// is not an address.
pub fn forwarded_client(headers: &HeaderMap, name: &HeaderName, trusted: usize) -> Option<IpAddr> {
    let mut entries: Vec<&str> = Vec::new();
    for line in headers.get_all(name) {
        let line = line.to_str().ok()?;
        entries.extend(line.split(',').map(str::trim).filter(|e| !e.is_empty()));
    }
    let entry = entries.len().checked_sub(trusted).map(|i| entries[i])?;
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

type HmacSha256 = Hmac<Sha256>;

pub(super) fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        mac.update(&(p.len() as u64).to_le_bytes());
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// The reader as votes know them: their address (IPv6 by /64), and
/// nothing the client chooses.
pub(super) fn reader_of(ip: Option<IpAddr>) -> String {
    ip.map(limit_key)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// One reader on one comparison on one day, as the store sees them.
pub(super) fn reader_hash(salt: &[u8; 32], comparison: &str, reader: &str) -> Vec<u8> {
    hmac(salt, &[b"reader", comparison.as_bytes(), reader.as_bytes()])[..16].to_vec()
}

/// The vote token for this reader under one day's salt.
pub(super) fn form_token(salt: &[u8; 32], reader: &str) -> String {
    hex::encode(&hmac(salt, &[b"form", reader.as_bytes()])[..16])
}

/// Compares in time independent of where the strings differ.
pub(super) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(super) fn today() -> (jiff::Timestamp, String) {
    let now = jiff::Timestamp::now();
    (now, verdict_store::day_of(now))
}

pub(super) fn yesterday(day: &str) -> String {
    day.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.yesterday().ok())
        .map_or_else(|| day.to_owned(), |d| d.to_string())
}
