//! The services' route table: every route formats to the path the service documents and
//! parses back to itself; the parser refuses what the proxy must not forward.

use publishing_model::route::{
    encode, ApiVersion, CppRequest, CppRoute, GraphRequest, GraphRoute, GraphVersion, Method,
    RouteError, SkipToken,
};
use publishing_model::{JobId, OfferId, OperationId, ProductId, PublishStatus, PublisherId};

fn p() -> PublisherId {
    "contoso".into()
}

fn o() -> OfferId {
    "contoso-vm.1".into()
}

#[test]
fn every_cpp_route_formats_as_documented_and_parses_back() {
    let v = ApiVersion::default();
    for (route, formatted) in [
        (CppRoute::Publishers, "/publishers?api-version=2017-10-31"),
        (
            CppRoute::Offers { publisher: p() },
            "/publishers/contoso/offers?api-version=2017-10-31",
        ),
        (
            CppRoute::Submissions {
                publisher: p(),
                offer: o(),
                status: None,
            },
            "/publishers/contoso/offers/contoso-vm.1/submissions/?api-version=2017-10-31",
        ),
        (
            CppRoute::Submissions {
                publisher: p(),
                offer: o(),
                status: Some(PublishStatus::Running),
            },
            "/publishers/contoso/offers/contoso-vm.1/submissions/?api-version=2017-10-31&status=running",
        ),
        (
            CppRoute::Operation {
                publisher: p(),
                offer: o(),
                operation: OperationId::from("5a63deb5-925b"),
            },
            "/publishers/contoso/offers/contoso-vm.1/operations/5a63deb5-925b?api-version=2017-10-31",
        ),
        (
            CppRoute::Status {
                publisher: p(),
                offer: o(),
            },
            "/publishers/contoso/offers/contoso-vm.1/status?api-version=2017-10-31",
        ),
        (
            CppRoute::Cancel {
                publisher: p(),
                offer: o(),
            },
            "/publishers/contoso/offers/contoso-vm.1/cancel?api-version=2017-10-31",
        ),
        (
            CppRoute::GoLive {
                publisher: p(),
                offer: o(),
            },
            "/publishers/contoso/offers/contoso-vm.1/golive?api-version=2017-10-31",
        ),
    ] {
        let request = CppRequest::new(route.clone(), v.clone());
        assert_eq!(request.path_and_query(), formatted);
        let (path, query) = formatted.split_once('?').expect("a query");
        let parsed = CppRequest::parse(route.method(), path, Some(query)).expect(formatted);
        assert_eq!(parsed, request, "{formatted}");
    }
}

#[test]
fn every_graph_route_formats_as_documented_and_parses_back() {
    let v = GraphVersion::default();
    for (route, formatted) in [
        (
            GraphRoute::Products {
                external_id: None,
                skip_token: None,
            },
            "/product?$version=2022-07-01",
        ),
        (
            GraphRoute::Products {
                external_id: Some("contoso-saas".into()),
                skip_token: SkipToken::parse("abc=="),
            },
            "/product?$version=2022-07-01&externalId=contoso-saas&$skipToken=abc%3D%3D",
        ),
        (
            GraphRoute::Submissions {
                product: ProductId::from("0e6d6d1a-1b45"),
            },
            "/submission/product/0e6d6d1a-1b45?$version=2022-07-01",
        ),
        (
            GraphRoute::JobStatus {
                job: JobId::from("job-1"),
            },
            "/configure/job-1/status?$version=2022-07-01",
        ),
        (
            GraphRoute::CancelJob {
                job: JobId::from("job-1"),
            },
            "/configure/job-1/cancel?$version=2022-07-01",
        ),
    ] {
        let request = GraphRequest::new(route.clone(), v.clone());
        assert_eq!(request.path_and_query(), formatted);
        let (path, query) = formatted.split_once('?').expect("a query");
        let parsed = GraphRequest::parse(route.method(), path, Some(query)).expect(formatted);
        assert_eq!(parsed, request, "{formatted}");
    }
}

#[test]
fn the_status_filter_is_the_status_type_in_any_spelling() {
    let path = "/publishers/p/offers/o/submissions";
    for (raw, want) in [
        ("running", PublishStatus::Running),
        ("in+progress", PublishStatus::Running),
        ("Succeeded", PublishStatus::Completed),
        (
            "some-new-word",
            PublishStatus::Other("some-new-word".into()),
        ),
    ] {
        let query = format!("api-version=2017-10-31&status={raw}");
        let parsed = CppRequest::parse(Method::Get, path, Some(&query)).expect(raw);
        let CppRoute::Submissions { status, .. } = parsed.route else {
            panic!("{raw}: not submissions");
        };
        assert_eq!(status, Some(want), "{raw}");
    }
}

#[test]
fn ids_are_encoded_as_segments_as_the_browser_does() {
    assert_eq!(encode("con/toso one?"), "con%2Ftoso%20one%3F");
    assert_eq!(encode("a-b_c.d!~*'()"), "a-b_c.d!~*'()");
    assert_eq!(encode("ü"), "%C3%BC");
    let route = CppRoute::Offers {
        publisher: "north wind".into(),
    };
    assert_eq!(route.path(), "/publishers/north%20wind/offers");
}

#[test]
fn what_the_proxy_must_not_forward_is_refused() {
    let v = Some("api-version=2017-10-31");
    let bad_id = |e: &RouteError| matches!(e, RouteError::BadId(_));
    for (method, path, query, refused) in [
        (
            Method::Get,
            "/publishers/../offers",
            v,
            bad_id as fn(&RouteError) -> bool,
        ),
        (Method::Get, "/publishers/%2e%2e/offers", v, bad_id),
        (Method::Get, "/publishers/-p/offers", v, bad_id),
        (Method::Get, "/publishers/a b/offers", v, bad_id),
        (Method::Get, "/publishers//offers", v, |e| {
            *e == RouteError::NotFound
        }),
        (Method::Get, "/publishers/p/offers/o/secrets", v, |e| {
            *e == RouteError::NotFound
        }),
        (Method::Get, "/publishers/p/offers/o/status/x/y/z", v, |e| {
            *e == RouteError::NotFound
        }),
        (Method::Post, "/publishers/p/offers", v, |e| {
            *e == RouteError::MethodNotAllowed(Method::Get)
        }),
        (Method::Get, "/publishers/p/offers/o/cancel", v, |e| {
            *e == RouteError::MethodNotAllowed(Method::Post)
        }),
        (Method::Get, "/publishers", None, |e| {
            matches!(e, RouteError::BadQuery(_))
        }),
        (
            Method::Get,
            "/publishers",
            Some("api-version=yesterday"),
            |e| matches!(e, RouteError::BadQuery(_)),
        ),
        (
            Method::Get,
            "/publishers",
            Some("api-version=2017-10-31&api-version=2018-01-01"),
            |e| matches!(e, RouteError::BadQuery(_)),
        ),
        (
            Method::Get,
            "/publishers",
            Some("api-version=2017-10-31&status=running"),
            |e| matches!(e, RouteError::BadQuery(_)),
        ),
        (
            Method::Get,
            "/publishers/p/offers/o/submissions",
            Some("api-version=2017-10-31&status=a%26b"),
            |e| matches!(e, RouteError::BadQuery(_)),
        ),
        (Method::Get, "/publishers", Some("api-version=%FF"), |e| {
            matches!(e, RouteError::BadQuery(_))
        }),
    ] {
        let error = CppRequest::parse(method, path, query).expect_err(path);
        assert!(refused(&error), "{method:?} {path} {query:?}: {error:?}");
    }
    for (path, query) in [
        ("/product", Some("externalId=x")),
        ("/product", Some("$version=2022-07-01&$skipToken=a%26b")),
        ("/product", Some("$version=2022-07-01&externalId=..")),
        ("/configure/job/status", Some("$version=2022-7-1")),
        ("/configure/job/delete", Some("$version=2022-07-01")),
    ] {
        assert!(
            GraphRequest::parse(Method::Get, path, query).is_err(),
            "{path} {query:?}"
        );
    }
}
