//! The store on both backends: SQLite (a temporary file) and PostgreSQL (`DATABASE_URL`, or
//! a throwaway cluster, tests/common/postgres.rs). Every test runs the same code on each.

mod common;

use cpp_proxy::store::{AuditQuery, AuditRow, LoginTransaction, SessionRow, Store, StoreUrl};

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let sqlite = StoreUrl::Sqlite(common::temp_path("store").join("state.db"));
    test(Store::open(&sqlite).await.expect("open sqlite")).await;
    let pg = StoreUrl::parse(&common::postgres::database().await).expect("url");
    test(Store::open(&pg).await.expect("open postgres")).await;
}

fn session(now: i64) -> SessionRow {
    SessionRow {
        tid: "72f988bf-86f1-41af-91ab-2d7cd011db47".into(),
        oid: "00000000-0000-0000-0000-0000000000aa".into(),
        name: "Ada Operator".into(),
        upn: "ada@contoso.test".into(),
        roles: vec!["Dashboard.Operator".into()],
        created_ms: now,
        seen_ms: now,
        expires_ms: now + 8 * 3_600_000,
    }
}

const IDLE: i64 = 30 * 60_000;

#[tokio::test]
async fn sessions_are_found_touched_and_ended() {
    each_backend(|store| async move {
        let now = 1_800_000_000_000;
        store
            .insert_session("h1", &session(now), IDLE)
            .await
            .expect("insert");
        let found = store
            .session("h1", now + 1_000, IDLE, 60_000)
            .await
            .expect("read");
        assert_eq!(found, Some(session(now)), "{:?}", store.url());
        // Used after two minutes: its idle time starts again then.
        let later = now + 120_000;
        let touched = store
            .session("h1", later, IDLE, 60_000)
            .await
            .expect("read")
            .expect("live");
        assert_eq!(touched.seen_ms, later);
        assert!(store
            .session("h1", later + IDLE - 1, IDLE, 60_000)
            .await
            .expect("read")
            .is_some());
        // Idle for the whole timeout: ended, and gone.
        let idle = later + IDLE - 1 + IDLE;
        assert_eq!(
            store.session("h1", idle, IDLE, 60_000).await.expect("read"),
            None
        );
        assert_eq!(
            store.session("h1", now, IDLE, 60_000).await.expect("read"),
            None
        );
        assert_eq!(
            store
                .session("nobody", now, IDLE, 60_000)
                .await
                .expect("read"),
            None
        );
    })
    .await;
}

#[tokio::test]
async fn a_session_ends_at_its_lifetime_however_busy() {
    each_backend(|store| async move {
        let now = 1_800_000_000_000;
        let mut s = session(now);
        s.expires_ms = now + 300_000;
        store.insert_session("h2", &s, IDLE).await.expect("insert");
        for t in (0..300_000).step_by(60_000) {
            assert!(store
                .session("h2", now + t, IDLE, 0)
                .await
                .expect("read")
                .is_some());
        }
        assert_eq!(
            store
                .session("h2", now + 300_000, IDLE, 0)
                .await
                .expect("read"),
            None
        );
    })
    .await;
}

#[tokio::test]
async fn a_users_sessions_end_together_and_logout_ends_one() {
    each_backend(|store| async move {
        let now = 1_800_000_000_000;
        for h in ["a", "b"] {
            store
                .insert_session(h, &session(now), IDLE)
                .await
                .expect("insert");
        }
        let mut other = session(now);
        other.oid = "someone-else".into();
        store
            .insert_session("c", &other, IDLE)
            .await
            .expect("insert");
        store.delete_session("a").await.expect("delete");
        assert_eq!(
            store.session("a", now, IDLE, 60_000).await.expect("read"),
            None
        );
        let s = session(now);
        assert_eq!(
            store
                .delete_user_sessions(&s.tid, &s.oid)
                .await
                .expect("delete"),
            1
        );
        assert_eq!(
            store.session("b", now, IDLE, 60_000).await.expect("read"),
            None
        );
        assert!(store
            .session("c", now, IDLE, 60_000)
            .await
            .expect("read")
            .is_some());
    })
    .await;
}

#[tokio::test]
async fn a_login_transaction_is_taken_once_and_not_when_old() {
    each_backend(|store| async move {
        let now = 1_800_000_000_000;
        let login = LoginTransaction {
            state: "st".into(),
            nonce: "no".into(),
            verifier: "ve".into(),
            return_to: "/offers?status=running".into(),
            created_ms: now,
        };
        store
            .insert_login("t1", &login, 600_000)
            .await
            .expect("insert");
        assert_eq!(
            store
                .take_login("t1", now + 5_000, 600_000)
                .await
                .expect("take"),
            Some(login.clone())
        );
        assert_eq!(
            store
                .take_login("t1", now + 6_000, 600_000)
                .await
                .expect("take"),
            None,
            "replayed"
        );
        store
            .insert_login("t2", &login, 600_000)
            .await
            .expect("insert");
        assert_eq!(
            store
                .take_login("t2", now + 600_000, 600_000)
                .await
                .expect("take"),
            None,
            "too old"
        );
    })
    .await;
}

fn record(id: &str, at_ms: i64, offer: &str) -> AuditRow {
    AuditRow {
        id: id.into(),
        at_ms,
        request_id: "0000002a".into(),
        tid: Some("t".into()),
        oid: Some("o".into()),
        upn: Some("ada@contoso.test".into()),
        name: Some("Ada Operator".into()),
        roles: vec!["Dashboard.Operator".into()],
        action: "cancel".into(),
        publisher: Some("contoso".into()),
        offer: Some(offer.into()),
        target: None,
        decision: "allowed".into(),
        reason: None,
        upstream_status: Some(202),
    }
}

#[tokio::test]
async fn audit_records_are_read_newest_first_by_offer() {
    each_backend(|store| async move {
        for (id, at, offer) in [("1", 10, "a"), ("2", 30, "b"), ("3", 20, "a")] {
            store
                .insert_audit(&record(id, at, offer))
                .await
                .expect("insert");
        }
        let mut refused = record("4", 40, "a");
        refused.decision = "refused".into();
        refused.reason = Some("OperatorRoleRequired".into());
        refused.upstream_status = None;
        refused.tid = None;
        store.insert_audit(&refused).await.expect("insert");
        let query = |publisher: Option<&str>, offer: Option<&str>, limit| AuditQuery {
            publisher: publisher.map(str::to_owned),
            offer: offer.map(str::to_owned),
            limit,
        };
        let ids = |rows: Vec<AuditRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(
            ids(store.audit(&query(None, None, 10)).await.expect("read")),
            ["4", "2", "3", "1"]
        );
        assert_eq!(
            ids(store
                .audit(&query(Some("contoso"), Some("a"), 2))
                .await
                .expect("read")),
            ["4", "3"]
        );
        assert_eq!(
            ids(store
                .audit(&query(Some("fabrikam"), None, 10))
                .await
                .expect("read")),
            Vec::<String>::new()
        );
        let back = store.audit(&query(None, Some("a"), 1)).await.expect("read");
        assert_eq!(back, vec![refused]);
    })
    .await;
}

#[tokio::test]
async fn opening_again_keeps_the_data() {
    let path = common::temp_path("reopen").join("state.db");
    let url = StoreUrl::Sqlite(path);
    let store = Store::open(&url).await.expect("open");
    store
        .insert_audit(&record("1", 1, "a"))
        .await
        .expect("insert");
    drop(store);
    let again = Store::open(&url).await.expect("open again");
    assert_eq!(
        again
            .audit(&AuditQuery {
                limit: 5,
                ..Default::default()
            })
            .await
            .expect("read")
            .len(),
        1
    );
    let pg = StoreUrl::parse(&common::postgres::database().await).expect("url");
    Store::open(&pg).await.expect("open");
    Store::open(&pg)
        .await
        .expect("the migrations are applied once");
}

#[tokio::test]
async fn a_damaged_file_stops_the_store_naming_its_path() {
    let path = common::temp_path("damaged").join("state.db");
    std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
    std::fs::write(
        &path,
        b"this is no database, whatever its name says ".repeat(200),
    )
    .expect("write");
    let error = Store::open(&StoreUrl::Sqlite(path.clone()))
        .await
        .expect_err("refused")
        .to_string();
    assert!(error.contains(&path.display().to_string()), "{error}");
}

#[tokio::test]
async fn an_unreachable_postgres_is_named_without_its_password() {
    let url = StoreUrl::parse("postgres://cpp:canary-pw-8d1f@127.0.0.1:1/cpp?connect_timeout=2")
        .expect("url");
    let error = Store::open(&url).await.expect_err("refused").to_string();
    assert!(!error.contains("canary-pw-8d1f"), "{error}");
    assert!(error.contains("127.0.0.1:1"), "{error}");
}
