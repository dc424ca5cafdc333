//! Benchmark: requests per second and p50/p99 latency of a loopback upstream called directly,
//! and through the proxy (and through nginx, when `--nginx URL` names one in front of the
//! same upstream), so the proxy's overhead is a ratio. Prints a table; asserts nothing.

fn main() {}
