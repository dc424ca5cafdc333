//! Sign-in at the proxy, as the app sees it: who is signed in (`/auth/me`), where to sign in
//! and come back to the same address, and who did what to an operation (`/auth/audit`).
//! Every field can be missing, null or hostile; nothing here trusts the proxy's answer more
//! than the service's.

use chrono::{DateTime, TimeZone, Utc};

use crate::ids::OperationId;
use crate::json::{self, Json};
use crate::lenient::{self, Fields};

/// Whether anyone signs in, and who has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// Not known yet (the app is asking).
    Unknown,
    /// Nobody signs in at this proxy (or there is no proxy of ours: a dev server, a static
    /// host with a foreign API): the start page takes a token.
    Off,
    /// Sign-in is on and nobody is signed in here.
    SignedOut,
    /// Someone is signed in.
    SignedIn(User),
}

/// A signed-in user, as `/auth/me` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// The display name.
    pub name: String,
    /// The sign-in name.
    pub upn: String,
    /// May cancel, go live and cancel configure jobs.
    pub operator: bool,
}

impl SignIn {
    /// True when the proxy signs people in (signed in or not).
    pub fn is_on(&self) -> bool {
        matches!(self, Self::SignedOut | Self::SignedIn(_))
    }

    /// True when the user may only read: a signed-in viewer.
    pub fn read_only(&self) -> bool {
        matches!(self, Self::SignedIn(user) if !user.operator)
    }
}

/// Longest name kept from the proxy's answer.
const MAX_NAME: usize = 200;

fn short(text: String) -> String {
    text.chars().take(MAX_NAME).collect()
}

/// `/auth/me`'s answer (`status`, `body`). Anything that is not the proxy's sign-in answer (a
/// 404, a dev server's HTML page) means sign-in is off.
pub fn parse_me(status: u16, body: &str) -> SignIn {
    let Ok(value) = json::parse(body) else {
        return SignIn::Off;
    };
    let Some(fields) = Fields::of(&value) else {
        return SignIn::Off;
    };
    let on = matches!(fields.get("signIn"), Some(Json::Bool(true)));
    match (status, on) {
        (200, true) => {
            let upn = fields.text("upn").map(short).unwrap_or_default();
            SignIn::SignedIn(User {
                name: fields
                    .text("name")
                    .map(short)
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| upn.clone()),
                upn,
                operator: matches!(fields.get("operator"), Some(Json::Bool(true))),
            })
        }
        (401, true) => SignIn::SignedOut,
        _ => SignIn::Off,
    }
}

/// The error code of a 401 that means the session ended (or never began).
pub const SIGN_IN_REQUIRED: &str = "SignInRequired";

/// Where to sign in and come back to `path_and_query` (a local path; the proxy checks it
/// again).
pub fn login_href(path_and_query: &str) -> String {
    format!("/auth/login?rd={}", crate::route::encode(path_and_query))
}

/// What an audit record says was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// A publish canceled.
    Cancel,
    /// A go-live requested.
    GoLive,
    /// A configure job canceled.
    CancelJob,
}

/// One allowed action, from `/auth/audit`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who, by name.
    pub name: String,
    /// What.
    pub action: AuditAction,
    /// The operation or job it was about, when the proxy learned it.
    pub target: Option<String>,
}

/// The allowed actions in `/auth/audit`'s answer; refusals, reads and sign-ins are left out.
pub fn parse_audit(body: &str) -> Vec<AuditEntry> {
    let Ok(value) = json::parse(body) else {
        return Vec::new();
    };
    let records = Fields::of(&value).and_then(|f| f.get("records"));
    lenient::list(records, |record| {
        let f = Fields::of(record)?;
        if f.text("decision").as_deref() != Some("allowed") {
            return None;
        }
        let action = match f.text("action")?.as_str() {
            "cancel" => AuditAction::Cancel,
            "golive" => AuditAction::GoLive,
            "cancel-job" => AuditAction::CancelJob,
            _ => return None,
        };
        let at = Utc
            .timestamp_millis_opt(i64::try_from(f.uint("atMs")?).ok()?)
            .single()?;
        let name = f.text("name").or_else(|| f.text("upn")).map(short)?;
        Some(AuditEntry {
            at,
            name,
            action,
            target: f.text("target").map(short),
        })
    })
}

/// Who canceled `operation` or asked for it to go live, the newest such record.
pub fn actor<'a>(entries: &'a [AuditEntry], operation: &OperationId) -> Option<&'a AuditEntry> {
    entries
        .iter()
        .filter(|e| matches!(e.action, AuditAction::Cancel | AuditAction::GoLive))
        .filter(|e| e.target.as_deref() == Some(operation.as_str()))
        .max_by_key(|e| e.at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn me_says_who_or_that_sign_in_is_off_or_nobody() {
        let me = parse_me(
            200,
            r#"{"signIn":true,"name":"Ada","upn":"ada@contoso.test","roles":["Dashboard.Operator"],"operator":true,"expiresIn":1700}"#,
        );
        assert_eq!(
            me,
            SignIn::SignedIn(User {
                name: "Ada".into(),
                upn: "ada@contoso.test".into(),
                operator: true
            })
        );
        assert!(!me.read_only() && me.is_on());
        let viewer = parse_me(200, r#"{"signIn":true,"name":null,"upn":"v@contoso.test"}"#);
        assert!(viewer.read_only());
        assert_eq!(
            viewer,
            SignIn::SignedIn(User {
                name: "v@contoso.test".into(),
                upn: "v@contoso.test".into(),
                operator: false
            })
        );
        assert_eq!(
            parse_me(401, r#"{"signIn":true,"error":{"code":"SignInRequired"}}"#),
            SignIn::SignedOut
        );
        assert_eq!(parse_me(200, r#"{"signIn":false}"#), SignIn::Off);
        for (status, body) in [
            (200, "<!doctype html><p>index</p>"),
            (404, r#"{"error":{}}"#),
            (500, ""),
            (200, "[1]"),
            (200, r#"{"signIn":"yes"}"#),
        ] {
            assert_eq!(parse_me(status, body), SignIn::Off, "{status} {body}");
        }
        let long = format!(r#"{{"signIn":true,"name":"{}"}}"#, "x".repeat(5000));
        let SignIn::SignedIn(user) = parse_me(200, &long) else {
            panic!("signed in")
        };
        assert_eq!(user.name.chars().count(), MAX_NAME);
    }

    #[test]
    fn the_login_link_comes_back_to_the_same_address() {
        assert_eq!(
            login_href("/live/publishers/p/offers/o?status=running&q=a b"),
            "/auth/login?rd=%2Flive%2Fpublishers%2Fp%2Foffers%2Fo%3Fstatus%3Drunning%26q%3Da%20b"
        );
    }

    #[test]
    fn the_audit_names_who_canceled_an_operation() {
        let body = r#"{"records":[
            {"atMs":1800000000000,"name":"Ada","action":"cancel","target":"op-1","decision":"allowed"},
            {"atMs":1800000100000,"name":"Eve","action":"cancel","target":"op-1","decision":"refused"},
            {"atMs":1800000200000,"upn":"bo@contoso.test","action":"golive","target":"op-2","decision":"allowed"},
            {"atMs":"soon","name":"X","action":"cancel","target":"op-1","decision":"allowed"},
            {"atMs":1800000300000,"name":"R","action":"read","decision":"allowed"},
            null, 7, {"name":"<img src=x onerror=alert(1)>","atMs":1800000000001,"action":"golive","target":"op-3","decision":"allowed"}
        ]}"#;
        let entries = parse_audit(body);
        assert_eq!(entries.len(), 3);
        let ada = actor(&entries, &OperationId::from("op-1")).expect("the cancel");
        assert_eq!(
            (ada.name.as_str(), ada.action),
            ("Ada", AuditAction::Cancel)
        );
        assert_eq!(
            actor(&entries, &OperationId::from("op-2"))
                .expect("go-live")
                .name,
            "bo@contoso.test"
        );
        // Kept as text: the page renders it as text, never as markup.
        assert_eq!(
            actor(&entries, &OperationId::from("op-3"))
                .expect("go-live")
                .name,
            "<img src=x onerror=alert(1)>"
        );
        assert_eq!(actor(&entries, &OperationId::from("op-9")), None);
        assert_eq!(parse_audit("not json"), Vec::new());
        assert_eq!(parse_audit(r#"{"records":null}"#), Vec::new());
    }
}
