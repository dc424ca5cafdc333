//! The simulator as Microsoft Entra ID's v2.0 sign-in (`--simulate --auth entra`), under
//! `/_sim/login/{tenant}/…`: discovery, authorize, token (the authorization code, with PKCE)
//! and keys, and a sign-out that returns where it is told. Its users come from `--sim-user
//! UPN=ROLE[,ROLE]`. The authorize endpoint signs in the user `login_hint` names at once,
//! so tests and curl need no form; without a hint it lists the users.
//!
//! `POST /_sim/idp {"issue": KIND}` makes the next ID token bad in one way ([`BadToken`]),
//! for the proxy's tests to see it refused. The keys that sign its tokens are public test
//! keys (`keys/`), never used against the real service.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use serde::{Deserialize, Serialize};

use publishing_model::markup::escaped as escape;

use super::login::entra_error;
use crate::credentials::enc;

/// A simulated user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimUser {
    /// The sign-in name.
    pub upn: String,
    /// The app roles in the user's tokens.
    pub roles: Vec<String>,
}

impl SimUser {
    /// `UPN=ROLE[,ROLE]` (`--sim-user`); nothing after `=` is a user with no role.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (upn, roles) = text
            .split_once('=')
            .ok_or_else(|| format!("--sim-user {text:?}: write UPN=ROLE[,ROLE]"))?;
        let upn = upn.trim();
        if upn.is_empty()
            || upn.len() > 200
            || upn.chars().any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(format!(
                "--sim-user {text:?}: the UPN must be a sign-in name"
            ));
        }
        Ok(Self {
            upn: upn.to_owned(),
            roles: roles
                .split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }

    /// The display name: the UPN's local part, in words (`ada.lovelace@…` is "Ada Lovelace").
    pub fn name(&self) -> String {
        let local = self.upn.split('@').next().unwrap_or(&self.upn);
        local
            .split(['.', '_', '-'])
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut chars = w.chars();
                chars
                    .next()
                    .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A stable object id for the user in `tenant`.
    fn oid(&self, tenant: &str) -> String {
        let d = ring::digest::digest(
            &ring::digest::SHA256,
            format!("{tenant}/{}", self.upn).as_bytes(),
        );
        let h: String = d.as_ref()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }
}

/// Ways the next ID token can be bad.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BadToken {
    /// `alg: none`, no signature.
    AlgNone,
    /// HS256, keyed with a secret.
    Hs256,
    /// Another app's audience.
    WrongAud,
    /// Another issuer.
    WrongIss,
    /// Another tenant's `tid`.
    OtherTenant,
    /// Expired an hour ago.
    Expired,
    /// A nonce the proxy never sent.
    BadNonce,
    /// Signed with a key the key set does not hold.
    UnknownKid,
    /// No `roles`, only the groups overage claim.
    GroupsOverage,
}

/// `POST /_sim/idp`'s body.
#[derive(Debug, Deserialize, Serialize)]
pub struct IdpPlan {
    /// The next ID token's fault, or `null` for none.
    pub issue: Option<BadToken>,
}

struct Key {
    pair: RsaKeyPair,
    kid: &'static str,
}

impl Key {
    fn load(pem: &str, kid: &'static str) -> Self {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .expect("the simulator's key is base64");
        let pair = RsaKeyPair::from_pkcs8(&der).expect("the simulator's key is PKCS#8 RSA");
        Self { pair, kid }
    }

    fn jwk(&self) -> serde_json::Value {
        let public = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(self.pair.public());
        serde_json::json!({
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "n": URL_SAFE_NO_PAD.encode(&public.n),
            "e": URL_SAFE_NO_PAD.encode(&public.e),
        })
    }

    fn sign(&self, header: &serde_json::Value, claims: &serde_json::Value) -> String {
        let input = format!("{}.{}", b64(header), b64(claims));
        let mut signature = vec![0; self.pair.public().modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                input.as_bytes(),
                &mut signature,
            )
            .expect("signing");
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }
}

fn b64(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

/// A code the authorize endpoint gave out.
struct Grant {
    client_id: String,
    redirect_uri: String,
    nonce: String,
    challenge: String,
    user: SimUser,
    tenant: String,
    issued: Instant,
    used: bool,
}

/// The identity provider's state.
pub(crate) struct Idp {
    users: Mutex<Vec<SimUser>>,
    grants: Mutex<HashMap<String, Grant>>,
    plan: Mutex<Option<BadToken>>,
    keys: [Key; 2],
}

impl Default for Idp {
    fn default() -> Self {
        Self {
            users: Mutex::new(Vec::new()),
            grants: Mutex::new(HashMap::new()),
            plan: Mutex::new(None),
            keys: [
                Key::load(include_str!("keys/sim-idp-1.pem"), "sim-key-1"),
                Key::load(include_str!("keys/sim-idp-2.pem"), "sim-key-unpublished"),
            ],
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A tenant in a path: a GUID or a domain name, nothing else.
pub(crate) fn plain_tenant(tenant: &str) -> bool {
    !tenant.is_empty()
        && tenant.len() <= 128
        && tenant
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
}

impl Idp {
    pub(crate) fn set_users(&self, users: Vec<SimUser>) {
        *lock(&self.users) = users;
    }

    pub(crate) fn set_plan(&self, plan: Option<BadToken>) {
        *lock(&self.plan) = plan;
    }

    /// Discovery, for `base` (`http://host/_sim/login/{tenant}`).
    pub(crate) fn discovery(&self, base: &str) -> Response {
        let body = serde_json::json!({
            "issuer": format!("{base}/v2.0"),
            "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
            "token_endpoint": format!("{base}/oauth2/v2.0/token"),
            "jwks_uri": format!("{base}/discovery/v2.0/keys"),
            "end_session_endpoint": format!("{base}/oauth2/v2.0/logout"),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile"],
            "subject_types_supported": ["pairwise"],
        });
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    }

    /// The published key set (only the first key).
    pub(crate) fn keys(&self) -> Response {
        let body = serde_json::json!({ "keys": [self.keys[0].jwk()] });
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    }

    /// The authorize endpoint: with a `login_hint` naming a user, a code at once.
    pub(crate) fn authorize(
        &self,
        tenant: &str,
        query: &HashMap<String, String>,
        full_query: &str,
    ) -> Response {
        let get = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
        let redirect_uri = get("redirect_uri");
        if !(redirect_uri.starts_with("http://") || redirect_uri.starts_with("https://")) {
            return page(
                StatusCode::BAD_REQUEST,
                "AADSTS50011: the redirect URI is missing or not http(s).",
            );
        }
        let back = |fields: &str| {
            let sep = if redirect_uri.contains('?') { '&' } else { '?' };
            let mut response = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("{redirect_uri}{sep}{fields}")) {
                response.headers_mut().insert(header::LOCATION, v);
            }
            response
        };
        let state = enc(get("state"));
        if get("response_type") != "code"
            || get("client_id").is_empty()
            || get("code_challenge_method") != "S256"
            || get("code_challenge").is_empty()
        {
            return back(&format!("error=invalid_request&error_description={}&state={state}", enc("AADSTS900144: response_type=code, client_id and a PKCE S256 challenge are required")));
        }
        let hint = get("login_hint");
        let user = lock(&self.users)
            .iter()
            .find(|u| u.upn.eq_ignore_ascii_case(hint))
            .cloned();
        let Some(user) = user else {
            return self.chooser(full_query, hint);
        };
        let code = crate::secret::random();
        let mut grants = lock(&self.grants);
        grants.retain(|_, g| g.issued.elapsed() < Duration::from_secs(600));
        grants.insert(
            code.clone(),
            Grant {
                client_id: get("client_id").to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                nonce: get("nonce").to_owned(),
                challenge: get("code_challenge").to_owned(),
                user,
                tenant: tenant.to_owned(),
                issued: Instant::now(),
                used: false,
            },
        );
        back(&format!("code={}&state={state}", enc(&code)))
    }

    /// The page that lists the users, each a link that signs them in.
    fn chooser(&self, full_query: &str, hint: &str) -> Response {
        let without_hint: Vec<&str> = full_query
            .split('&')
            .filter(|p| !p.starts_with("login_hint="))
            .collect();
        let base = without_hint.join("&");
        let users = lock(&self.users).clone();
        let items: String = users
            .iter()
            .map(|u| {
                let roles = if u.roles.is_empty() {
                    "no role".to_owned()
                } else {
                    u.roles.join(", ")
                };
                format!(
                    "<li><a href=\"?{}&amp;login_hint={}\">{}</a> ({})</li>",
                    escape(&base),
                    escape(&enc(&u.upn)),
                    escape(&u.upn),
                    escape(&roles)
                )
            })
            .collect();
        let note = if hint.is_empty() {
            String::new()
        } else {
            format!("<p>No simulated user is called {}.</p>", escape(hint))
        };
        let html = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in (simulated)</title></head>\
             <body><h1>Sign in (simulated Microsoft Entra ID)</h1>{note}<p>Pick an account:</p><ul>{items}</ul></body></html>"
        );
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response()
    }

    /// The token endpoint's authorization-code grant.
    /// `login_base` is `http://host/_sim/login`, the issuer's base.
    pub(crate) fn redeem(
        &self,
        login_base: &str,
        tenant: &str,
        field: impl Fn(&str) -> Option<String>,
    ) -> Response {
        let code = field("code").unwrap_or_default();
        let mut grants = lock(&self.grants);
        let Some(grant) = grants.get_mut(&code) else {
            return entra_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                70008,
                "The provided authorization code or refresh token has expired or is not valid.",
            );
        };
        if grant.used {
            return entra_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                54005,
                "OAuth2 Authorization code was already redeemed.",
            );
        }
        grant.used = true;
        let verifier = field("code_verifier").unwrap_or_default();
        if crate::secret::challenge(&verifier) != grant.challenge {
            return entra_error(StatusCode::BAD_REQUEST, "invalid_grant", 501_481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
        }
        if field("client_id").as_deref() != Some(grant.client_id.as_str())
            || field("redirect_uri").as_deref() != Some(grant.redirect_uri.as_str())
            || grant.tenant != tenant
        {
            return entra_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                50148,
                "The client or redirect URI is not the one the code was issued to.",
            );
        }
        let secret = field("client_secret").unwrap_or_default();
        let assertion = field("client_assertion").is_some_and(|a| a.split('.').count() == 3);
        if !assertion && (secret.is_empty() || secret == "wrong") {
            return entra_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7_000_215,
                "Invalid client secret provided.",
            );
        }
        let plan = lock(&self.plan).take();
        let id_token = self.id_token(grant, plan, login_base);
        // An access token for the user, as Entra sends one: the proxy must keep it to itself.
        let access_token = self.keys[0].sign(
            &serde_json::json!({ "alg": "RS256", "typ": "JWT", "kid": self.keys[0].kid }),
            &serde_json::json!({ "aud": "00000003-0000-0000-c000-000000000000", "scp": "openid profile", "oid": grant.user.oid(tenant) }),
        );
        let body = serde_json::json!({
            "token_type": "Bearer",
            "scope": "openid profile",
            "expires_in": 3600,
            "access_token": access_token,
            "id_token": id_token,
        });
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    }

    fn id_token(&self, grant: &Grant, plan: Option<BadToken>, issuer_base: &str) -> String {
        let now = chrono::Utc::now().timestamp();
        let (iat, exp) = if plan == Some(BadToken::Expired) {
            (now - 7_200, now - 3_600)
        } else {
            (now, now + 3_600)
        };
        let tenant = grant.tenant.as_str();
        let other = "11111111-2222-4333-8444-555555555555";
        let mut claims = serde_json::json!({
            "ver": "2.0",
            "iss": format!("{issuer_base}/{tenant}/v2.0"),
            "aud": if plan == Some(BadToken::WrongAud) { "another-app" } else { grant.client_id.as_str() },
            "iat": iat,
            "nbf": iat,
            "exp": exp,
            "nonce": if plan == Some(BadToken::BadNonce) { "forged" } else { grant.nonce.as_str() },
            "tid": if plan == Some(BadToken::OtherTenant) { other } else { tenant },
            "oid": grant.user.oid(tenant),
            "sub": grant.user.oid(tenant),
            "name": grant.user.name(),
            "preferred_username": grant.user.upn,
        });
        if plan == Some(BadToken::WrongIss) {
            claims["iss"] = format!("{issuer_base}/{other}/v2.0").into();
        }
        if plan == Some(BadToken::GroupsOverage) {
            claims["_claim_names"] = serde_json::json!({ "groups": "src1" });
            claims["_claim_sources"] = serde_json::json!({ "src1": { "endpoint": "https://graph.microsoft.com/v1.0/users/me/getMemberObjects" } });
        } else if !grant.user.roles.is_empty() {
            claims["roles"] = grant.user.roles.clone().into();
        }
        let key = &self.keys[usize::from(plan == Some(BadToken::UnknownKid))];
        match plan {
            Some(BadToken::AlgNone) => format!(
                "{}.{}.",
                b64(&serde_json::json!({ "alg": "none", "typ": "JWT" })),
                b64(&claims)
            ),
            Some(BadToken::Hs256) => {
                let header = serde_json::json!({ "alg": "HS256", "typ": "JWT", "kid": key.kid });
                let input = format!("{}.{}", b64(&header), b64(&claims));
                let mac = ring::hmac::sign(
                    &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"simulated"),
                    input.as_bytes(),
                );
                format!("{input}.{}", URL_SAFE_NO_PAD.encode(mac.as_ref()))
            }
            _ => key.sign(
                &serde_json::json!({ "alg": "RS256", "typ": "JWT", "kid": key.kid }),
                &claims,
            ),
        }
    }
}

fn page(status: StatusCode, text: &str) -> Response {
    let html = format!("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in error (simulated)</title></head><body><p>{}</p></body></html>", escape(text));
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_read_from_the_flag() {
        let u = SimUser::parse("ada.lovelace@contoso.test=Dashboard.Operator,Dashboard.Viewer")
            .expect("valid");
        assert_eq!(u.roles, ["Dashboard.Operator", "Dashboard.Viewer"]);
        assert_eq!(u.name(), "Ada Lovelace");
        assert_eq!(
            SimUser::parse("nobody@contoso.test=").expect("valid").roles,
            Vec::<String>::new()
        );
        assert!(SimUser::parse("no-equals").is_err());
        assert!(SimUser::parse("=Dashboard.Viewer").is_err());
        assert_eq!(u.oid("t"), u.oid("t"));
        assert_ne!(u.oid("t"), u.oid("u"));
    }

    #[test]
    fn the_published_key_is_the_first_only() {
        let idp = Idp::default();
        assert_eq!(idp.keys[0].jwk()["kid"], "sim-key-1");
        assert_ne!(idp.keys[0].jwk()["n"], idp.keys[1].jwk()["n"]);
    }
}
