//! Per-address rate limiting: a token bucket per address, in memory.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::reader::limit_key;

/// A token bucket per address: `per_minute` votes per minute, bursts of
/// up to `per_minute`.
pub(super) struct RateLimiter {
    pub(super) per_minute: u32,
    pub(super) buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

/// Buckets kept before idle ones are dropped.
pub(super) const MAX_BUCKETS: usize = 100_000;

impl RateLimiter {
    pub(super) fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` when `ip` is over its limit.
    pub(super) fn check(&self, ip: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let key = ip.map_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), limit_key);
        let capacity = f64::from(self.per_minute);
        let per_sec = capacity / 60.0;
        let mut buckets = self.buckets.lock().expect("rate limiter");
        if buckets.len() >= MAX_BUCKETS {
            // Full buckets hold no information: drop them first.
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * per_sec < capacity
            });
        }
        let (tokens, at) = buckets.entry(key).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * per_sec).min(capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / per_sec))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_refills_over_time() {
        let limiter = RateLimiter::new(60);
        let ip = Some("192.0.2.7".parse().unwrap());
        let t0 = std::time::Instant::now();
        for _ in 0..60 {
            limiter.check(ip, t0).unwrap();
        }
        assert!(limiter.check(ip, t0).is_err(), "the burst is used up");
        assert!(
            limiter
                .check(Some("192.0.2.8".parse().unwrap()), t0)
                .is_ok(),
            "other addresses are not affected"
        );
        assert!(
            limiter
                .check(ip, t0 + std::time::Duration::from_millis(1100))
                .is_ok(),
            "one vote per second refills"
        );
        // IPv6 addresses share their /64.
        let a = Some("2001:db8::1".parse().unwrap());
        let b = Some("2001:db8::2".parse().unwrap());
        let limiter = RateLimiter::new(1);
        limiter.check(a, t0).unwrap();
        assert!(limiter.check(b, t0).is_err());
    }
}
