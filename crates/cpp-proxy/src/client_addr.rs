//! Who the client is, for the per-client limit: the peer's address, or, for a request that
//! comes from a trusted front end (a load balancer or CDN named with `--trusted-front-end`),
//! the address that front end recorded in `X-Forwarded-For`. Anyone can send that header, so
//! it is never read from anyone else.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

use crate::config::ConfigError;

/// The trusted front ends: addresses and networks.
#[derive(Clone, Debug, Default)]
pub struct FrontEnds(Vec<IpNet>);

impl FrontEnds {
    /// From `--trusted-front-end` values: `10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8`.
    pub fn parse(raw: &[String]) -> Result<Self, ConfigError> {
        raw.iter()
            .map(|value| {
                let v = value.trim();
                v.parse::<IpNet>()
                    .or_else(|_| v.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| ConfigError::FrontEnd(value.clone()))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client a request stands for. Behind trusted front ends, `X-Forwarded-For` is read
    /// from the right (the hop nearest to us) and the first address no front end of ours
    /// wrote is the client. An entry that is not an address stops the walk: everything left
    /// of it could be made up, so the last trusted hop stands in for the client.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        let entries = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','));
        for entry in entries.rev() {
            let Some(ip) = parse_entry(entry) else {
                return client;
            };
            client = ip;
            if !self.trusts(ip) {
                return ip;
            }
        }
        client
    }
}

/// An `X-Forwarded-For` entry: `203.0.113.7`, `2001:db8::1`, or either with a port.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    let ip = entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))?;
    Some(canonical(ip))
}

/// IPv4 clients of a dual-stack listener arrive as `::ffff:a.b.c.d`: count them as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", v.parse().expect("header value"));
        }
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    #[test]
    fn untrusted_peers_are_the_client_whatever_they_claim() {
        let none = FrontEnds::default();
        assert_eq!(
            none.client(ip("198.51.100.9"), &xff(&["1.2.3.4"])),
            ip("198.51.100.9")
        );
        let lb = FrontEnds::parse(&["10.0.0.0/8".into()]).expect("valid");
        assert_eq!(
            lb.client(ip("198.51.100.9"), &xff(&["1.2.3.4"])),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn behind_a_trusted_balancer_the_nearest_untrusted_hop_is_the_client() {
        let lb = FrontEnds::parse(&["10.0.0.0/8".into(), "192.0.2.1".into()]).expect("valid");
        // The client forged the first entry; the balancer appended the real address.
        let headers = xff(&["6.6.6.6, 203.0.113.7"]);
        assert_eq!(lb.client(ip("10.1.2.3"), &headers), ip("203.0.113.7"));
        // Two front ends of ours, in separate headers.
        let headers = xff(&["203.0.113.7", "10.9.9.9"]);
        assert_eq!(lb.client(ip("192.0.2.1"), &headers), ip("203.0.113.7"));
        // With a port, and IPv6.
        assert_eq!(
            lb.client(ip("10.1.2.3"), &xff(&["203.0.113.7:5555"])),
            ip("203.0.113.7")
        );
        assert_eq!(
            lb.client(ip("10.1.2.3"), &xff(&["2001:db8::1"])),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn garbage_or_missing_headers_leave_the_last_trusted_hop() {
        let lb = FrontEnds::parse(&["10.0.0.0/8".into()]).expect("valid");
        assert_eq!(lb.client(ip("10.1.2.3"), &HeaderMap::new()), ip("10.1.2.3"));
        assert_eq!(
            lb.client(ip("10.1.2.3"), &xff(&["1.2.3.4, unknown"])),
            ip("10.1.2.3")
        );
        assert_eq!(
            lb.client(ip("10.1.2.3"), &xff(&["10.4.4.4"])),
            ip("10.4.4.4")
        );
    }

    #[test]
    fn mapped_ipv4_counts_as_ipv4() {
        let lb = FrontEnds::parse(&["127.0.0.1".into()]).expect("valid");
        assert_eq!(
            lb.client(ip("::ffff:127.0.0.1"), &xff(&["203.0.113.7"])),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn bad_values_are_refused() {
        for bad in ["", "10.0.0.0/33", "example.com", "*"] {
            assert!(FrontEnds::parse(&[bad.into()]).is_err(), "{bad}");
        }
    }
}
