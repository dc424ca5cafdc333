//! The allow-list: the services' own routes and methods, as the model types them
//! ([`publishing_model::route`]), with every path segment and query parameter checked. The
//! upstream URL is rebuilt from the typed route, never from raw input.

use axum::http::Method;
use publishing_model::route::{self, RouteError};

pub use publishing_model::route::{
    CppRequest as ApiRequest, CppRoute as ApiRoute, GraphRequest, GraphRoute,
};

use crate::error::ProxyError;

/// True for paths under the API's root (`/api`), the only ones forwarded to the CPP API or
/// counted against the per-client limit.
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// True for paths under the Product Ingestion root (`/graph`).
pub fn is_graph_path(path: &str) -> bool {
    path == "/graph" || path.starts_with("/graph/")
}

/// A CPP API request from the browser, checked.
pub fn api(method: &Method, path: &str, query: Option<&str>) -> Result<ApiRequest, ProxyError> {
    let path = path.strip_prefix("/api").ok_or(ProxyError::NotFound)?;
    checked(method, |m| ApiRequest::parse(m, path, query))
}

/// A Product Ingestion request from the browser, checked.
pub fn graph(method: &Method, path: &str, query: Option<&str>) -> Result<GraphRequest, ProxyError> {
    let path = path.strip_prefix("/graph").ok_or(ProxyError::NotFound)?;
    checked(method, |m| GraphRequest::parse(m, path, query))
}

/// The path and query to send to the CPP API's upstream (or to answer in the simulator).
pub fn api_upstream(request: &ApiRequest) -> String {
    format!("/api{}", request.path_and_query())
}

/// The path and query to send after the Product Ingestion API's root.
pub fn graph_upstream(request: &GraphRequest) -> String {
    request.path_and_query()
}

/// The HTTP method of a route's.
pub fn method(method: route::Method) -> Method {
    match method {
        route::Method::Get => Method::GET,
        route::Method::Post => Method::POST,
    }
}

/// Parses with the request's method; a method no route takes (HEAD, PUT, …) is matched as a
/// GET only to learn the route's own method for the 405's `Allow`.
fn checked<T>(
    method: &Method,
    parse: impl Fn(route::Method) -> Result<T, RouteError>,
) -> Result<T, ProxyError> {
    let known = match *method {
        Method::GET => Some(route::Method::Get),
        Method::POST => Some(route::Method::Post),
        _ => None,
    };
    match known {
        Some(m) => parse(m).map_err(refusal),
        None => match parse(route::Method::Get) {
            Ok(_) => Err(ProxyError::MethodNotAllowed("GET")),
            Err(e) => Err(refusal(e)),
        },
    }
}

fn refusal(error: RouteError) -> ProxyError {
    match error {
        RouteError::NotFound => ProxyError::NotFound,
        RouteError::MethodNotAllowed(allowed) => ProxyError::MethodNotAllowed(allowed.as_str()),
        e @ (RouteError::BadId(_) | RouteError::BadQuery(_)) => {
            ProxyError::BadRequest(e.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route's canonical form upstream, exactly.
    #[test]
    fn each_route_is_rebuilt_exactly() {
        let q = "api-version=2017-10-31";
        for (method, path, query, upstream) in [
            (Method::GET, "/api/publishers", q, "/api/publishers?api-version=2017-10-31"),
            (Method::GET, "/api/publishers/p/offers/", q, "/api/publishers/p/offers?api-version=2017-10-31"),
            (
                Method::GET,
                "/api/publishers/p/offers/o.1/submissions",
                "api-version=2017-10-31&status=in+progress",
                "/api/publishers/p/offers/o.1/submissions/?api-version=2017-10-31&status=running",
            ),
            (
                Method::GET,
                "/api/publishers/p/offers/o.1/submissions",
                "api-version=2017-10-31&status=Some+New+Word",
                "/api/publishers/p/offers/o.1/submissions/?api-version=2017-10-31&status=Some%20New%20Word",
            ),
            (Method::GET, "/api/publishers/p/offers/o/operations/a-b_c", q, "/api/publishers/p/offers/o/operations/a-b_c?api-version=2017-10-31"),
            (Method::GET, "/api/publishers/p/offers/o/status", q, "/api/publishers/p/offers/o/status?api-version=2017-10-31"),
            (Method::POST, "/api/publishers/p/offers/o/cancel", q, "/api/publishers/p/offers/o/cancel?api-version=2017-10-31"),
            (Method::POST, "/api/publishers/p/offers/o/golive", q, "/api/publishers/p/offers/o/golive?api-version=2017-10-31"),
        ] {
            let request = api(&method, path, Some(query)).expect(path);
            assert_eq!(api_upstream(&request), upstream);
        }
    }

    #[test]
    fn a_method_no_route_takes_is_405_naming_the_routes_own() {
        let q = Some("api-version=2017-10-31");
        for (method, path, allow) in [
            (Method::PUT, "/api/publishers/p/offers/o/status", "GET"),
            (Method::HEAD, "/api/publishers", "GET"),
            (Method::GET, "/api/publishers/p/offers/o/cancel", "POST"),
            (Method::POST, "/api/publishers/p/offers", "GET"),
        ] {
            match api(&method, path, q) {
                Err(ProxyError::MethodNotAllowed(m)) => assert_eq!(m, allow, "{method} {path}"),
                other => panic!("{method} {path}: {other:?}"),
            }
        }
    }
}
