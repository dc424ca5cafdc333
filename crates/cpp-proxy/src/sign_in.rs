//! Sign-in's endpoints ([`crate::auth`] is the rest of sign-in):
//! - `GET /auth/login?rd=PATH&login_hint=…`: starts a sign-in and sends the browser to the
//!   identity provider;
//! - `GET /auth/callback`: finishes it (a new session, whatever cookie came before);
//! - `GET /auth/me`: who is signed in, and whether sign-in is on at all;
//! - `POST /auth/logout`: ends the session (with the CSRF header), then Entra's sign-out;
//! - `GET /auth/audit?publisher=&offer=`: the recent audit records, for operators.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use publishing_model::markup::escaped as escape;
use serde::Deserialize;

use crate::audit::{Action, Audit, Subject};
use crate::auth::{cookie, gate, id_token, redirect, Auth, Role, SignInError};
use crate::error::ProxyError;
use crate::guard::RequestId;
use crate::secret;
use crate::state::AppState;
use crate::store::{now_ms, AuditQuery, LoginTransaction, SessionRow};

/// A login transaction lives this long.
const LOGIN_MAX_AGE_MS: i64 = 10 * 60_000;

/// A small page of the proxy's own, for what happens between the app and the identity
/// provider. `link` is `(address, words)`; everything is escaped.
fn page(status: StatusCode, title: &str, text: &str, link: Option<(&str, &str)>) -> Response {
    let link = link
        .map(|(href, words)| format!("<p><a href=\"{}\">{}</a></p>", escape(href), escape(words)))
        .unwrap_or_default();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title>\
         <style>body{{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}}</style>\
         </head><body><h1>{title}</h1><p>{text}</p>{link}</body></html>",
        title = escape(title),
        text = escape(text),
    );
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
    );
    response
}

fn off() -> Response {
    ProxyError::NotFound.into_response()
}

fn request_id(headers: &axum::http::Extensions) -> String {
    headers
        .get::<RequestId>()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// `/auth/login`'s query.
#[derive(Deserialize)]
pub(crate) struct LoginQuery {
    rd: Option<String>,
    login_hint: Option<String>,
}

/// `GET /auth/login`: a new login transaction, its cookie, and off to the identity provider.
pub(crate) async fn login(
    State(state): State<AppState>,
    Query(query): Query<LoginQuery>,
) -> Response {
    let Some(auth) = state.auth() else {
        return off();
    };
    match start(auth, query).await {
        Ok(response) => response,
        Err(e) => {
            tracing::warn!(error = %e, "a sign-in could not start");
            unavailable()
        }
    }
}

fn unavailable() -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Sign-in is unavailable",
        "Microsoft Entra ID could not be reached to sign you in. Try again in a minute; if it goes on, tell whoever runs this dashboard.",
        Some(("/auth/login", "Try again")),
    )
}

async fn start(auth: &Auth, query: LoginQuery) -> Result<Response, SignInError> {
    let metadata = auth.oidc.metadata(&auth.settings).await?;
    let login = LoginTransaction {
        state: secret::random(),
        nonce: secret::random(),
        verifier: secret::random(),
        return_to: redirect::local_return(query.rd.as_deref()),
        created_ms: now_ms(),
    };
    let hint = query
        .login_hint
        .filter(|h| !h.is_empty() && h.len() <= 256 && !h.chars().any(char::is_control));
    let url = crate::auth::oidc::Oidc::authorize_url(
        &metadata,
        &auth.settings,
        &login.state,
        &login.nonce,
        &secret::challenge(&login.verifier),
        hint.as_deref(),
    )?;
    let cookie_value = secret::random();
    auth.store
        .insert_login(&secret::hash(&cookie_value), &login, LOGIN_MAX_AGE_MS)
        .await?;
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    headers.insert(header::SET_COOKIE, cookie::login(&cookie_value));
    headers.insert(
        header::LOCATION,
        HeaderValue::from_str(&url)
            .map_err(|_| SignInError::Unavailable("the authorize address".into()))?,
    );
    Ok(response)
}

/// `/auth/callback`'s query.
#[derive(Deserialize)]
pub(crate) struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/callback`: the identity provider's answer, checked; a session when it is good.
pub(crate) async fn callback(
    State(state): State<AppState>,
    request_headers: HeaderMap,
    extensions: axum::http::Extensions,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let Some(auth) = state.auth() else {
        return off();
    };
    let id = request_id(&extensions);
    let outcome = finish(auth, &request_headers, query).await;
    let audit = state.audit();
    let mut response = match outcome {
        Ok((user, return_to, cookie_value)) => {
            audit
                .record(Audit::row(
                    &id,
                    Some(&user),
                    Action::SignIn,
                    Subject::default(),
                    None,
                    None,
                ))
                .await;
            tracing::info!(tid = %user.tid, oid = %user.oid, roles = ?user.roles, "signed in");
            let lifetime = auth.settings.lifetime.as_secs();
            let origin = auth
                .settings
                .public()
                .map(|p| p.origin().to_owned())
                .unwrap_or_default();
            let mut response = StatusCode::SEE_OTHER.into_response();
            let headers = response.headers_mut();
            headers.append(header::SET_COOKIE, cookie::session(&cookie_value, lifetime));
            if let Ok(location) = HeaderValue::from_str(&format!("{origin}{return_to}")) {
                headers.insert(header::LOCATION, location);
            }
            response
        }
        Err(e) => {
            tracing::warn!(error = %e, "a sign-in was refused");
            audit
                .record(Audit::row(
                    &id,
                    None,
                    Action::SignIn,
                    Subject::default(),
                    Some(&refusal_reason(&e)),
                    None,
                ))
                .await;
            refusal_page(auth, &e).await
        }
    };
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookie::clear(cookie::LOGIN));
    response
}

fn refusal_reason(e: &SignInError) -> String {
    let text = e.to_string();
    text.chars().take(300).collect()
}

async fn refusal_page(auth: &Auth, e: &SignInError) -> Response {
    match e {
        SignInError::NoRole => {
            let sign_out = sign_out_url(auth).await;
            page(
                StatusCode::FORBIDDEN,
                "No role in this dashboard",
                &format!(
                    "Your account has no role in this dashboard; ask an administrator to assign {}.",
                    auth.settings.viewer_role
                ),
                Some((&sign_out, "Sign out")),
            )
        }
        SignInError::Unavailable(_) | SignInError::Store(_) => unavailable(),
        SignInError::Transaction(why) => page(
            StatusCode::BAD_REQUEST,
            "Sign-in did not finish",
            &format!("{why}. Start again from the dashboard."),
            Some(("/auth/login", "Sign in")),
        ),
        SignInError::Provider(_) | SignInError::Refused(_) | SignInError::Token(_) => page(
            StatusCode::FORBIDDEN,
            "Sign-in refused",
            "Microsoft Entra ID's answer could not be accepted, so you are not signed in. Try again; if it goes on, tell whoever runs this dashboard (the proxy's log says why).",
            Some(("/auth/login", "Sign in")),
        ),
    }
}

type Finished = (SessionRow, String, String);

async fn finish(
    auth: &Auth,
    headers: &HeaderMap,
    query: CallbackQuery,
) -> Result<Finished, SignInError> {
    let value = cookie::get(headers, cookie::LOGIN).ok_or(SignInError::Transaction(
        "No sign-in was started in this browser, or it took more than ten minutes",
    ))?;
    let login = auth
        .store
        .take_login(&secret::hash(value), now_ms(), LOGIN_MAX_AGE_MS)
        .await?
        .ok_or(SignInError::Transaction(
            "This sign-in was already used or has expired",
        ))?;
    if let Some(error) = query.error {
        let error: String = error
            .chars()
            .filter(|c| c.is_ascii_graphic())
            .take(64)
            .collect();
        return Err(SignInError::Provider(error));
    }
    if !query
        .state
        .as_deref()
        .is_some_and(|s| secret::same(s, &login.state))
    {
        return Err(SignInError::Transaction(
            "The answer does not belong to this sign-in",
        ));
    }
    let code = query
        .code
        .filter(|c| !c.is_empty())
        .ok_or_else(|| SignInError::Provider("no code".into()))?;
    let metadata = auth.oidc.metadata(&auth.settings).await?;
    let token = auth
        .oidc
        .redeem(&metadata, &auth.settings, &code, &login.verifier)
        .await?;
    let identity =
        id_token::check(&auth.oidc, &metadata, &auth.settings, &token, &login.nonce).await?;
    drop(token);
    let roles = auth.settings.dashboard_roles(&identity.roles);
    if roles.is_empty() || identity.overage && identity.roles.is_empty() {
        return Err(SignInError::NoRole);
    }
    // Whatever session cookie came before (planted or old) ends here: the new one is new.
    if let Some(old) = cookie::get(headers, cookie::SESSION) {
        auth.store.delete_session(&secret::hash(old)).await?;
    }
    let now = now_ms();
    let lifetime = i64::try_from(auth.settings.lifetime.as_millis()).unwrap_or(i64::MAX);
    let idle = i64::try_from(auth.settings.idle.as_millis()).unwrap_or(i64::MAX);
    let user = SessionRow {
        tid: identity.tid,
        oid: identity.oid,
        name: identity.name.chars().take(200).collect(),
        upn: identity.upn.chars().take(200).collect(),
        roles,
        created_ms: now,
        seen_ms: now,
        expires_ms: now.saturating_add(lifetime),
    };
    let cookie_value = secret::random();
    auth.store
        .insert_session(&secret::hash(&cookie_value), &user, idle)
        .await?;
    Ok((user, login.return_to, cookie_value))
}

/// Entra's sign-out, returning to the dashboard (its public address, registered as the app's
/// front-channel logout URL); the dashboard itself when the provider cannot be asked.
async fn sign_out_url(auth: &Auth) -> String {
    let home = auth
        .settings
        .public()
        .map(|p| format!("{}/", p.origin()))
        .unwrap_or_else(|_| "/".to_owned());
    match auth.oidc.metadata(&auth.settings).await {
        Ok(m) => match &m.end_session_endpoint {
            Some(end) => format!(
                "{end}{}post_logout_redirect_uri={}&client_id={}",
                if end.contains('?') { '&' } else { '?' },
                crate::credentials::enc(&home),
                crate::credentials::enc(auth.settings.client.client_id()),
            ),
            None => home,
        },
        Err(_) => home,
    }
}

/// `GET /auth/me`: who is signed in. `{"signIn": false}` when sign-in is off; 401 with the
/// API's error shape when nobody is.
pub(crate) async fn me(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(auth) = state.auth() else {
        return Json(serde_json::json!({ "signIn": false })).into_response();
    };
    match auth.session(&headers).await {
        Ok(Some(user)) => {
            let now = now_ms();
            let idle_end =
                user.seen_ms + i64::try_from(auth.settings.idle.as_millis()).unwrap_or(i64::MAX);
            let expires_in = (user.expires_ms.min(idle_end) - now).max(0) / 1000;
            let operator = auth.settings.role(&user.roles) == Some(Role::Operator);
            Json(serde_json::json!({
                "signIn": true,
                "name": user.name,
                "upn": user.upn,
                "roles": user.roles,
                "operator": operator,
                "expiresIn": expires_in,
            }))
            .into_response()
        }
        Ok(None) => signed_out(),
        Err(e) => {
            tracing::error!(error = %e, "the session could not be read");
            ProxyError::SignInUnavailable.into_response()
        }
    }
}

/// 401 `SignInRequired`, saying where to sign in.
fn signed_out() -> Response {
    let body = serde_json::json!({
        "signIn": true,
        "login": "/auth/login",
        "error": { "code": "SignInRequired", "message": "Your session ended. Sign in again." },
    });
    (StatusCode::UNAUTHORIZED, Json(body)).into_response()
}

/// `POST /auth/logout`: with `X-CSRF: 1` from our origin, ends the session and sends the
/// browser to Entra's sign-out (303; `{"redirect": …}` when JSON is asked for, since a
/// script cannot follow a redirect to another site).
pub(crate) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
) -> Response {
    let Some(auth) = state.auth() else {
        return off();
    };
    let origin = auth
        .settings
        .public()
        .map(|p| p.origin().to_owned())
        .unwrap_or_default();
    if let Err(refusal) = gate::same_site_post(&headers, &origin) {
        return refusal.into_response();
    }
    if let Some(value) = cookie::get(&headers, cookie::SESSION) {
        let hash = secret::hash(value);
        let user = auth.session(&headers).await.ok().flatten();
        if let Err(e) = auth.store.delete_session(&hash).await {
            tracing::error!(error = %e, "the session could not be ended");
            return ProxyError::SignInUnavailable.into_response();
        }
        if let Some(user) = user {
            let row = Audit::row(
                &request_id(&extensions),
                Some(&user),
                Action::SignOut,
                Subject::default(),
                None,
                None,
            );
            state.audit().record(row).await;
        }
    }
    let url = sign_out_url(auth).await;
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let mut response = if wants_json {
        Json(serde_json::json!({ "redirect": url })).into_response()
    } else {
        let mut r = StatusCode::SEE_OTHER.into_response();
        if let Ok(location) = HeaderValue::from_str(&url) {
            r.headers_mut().insert(header::LOCATION, location);
        }
        r
    };
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie::clear(cookie::SESSION));
    response
}

/// `/auth/audit`'s query.
#[derive(Deserialize)]
pub(crate) struct AuditParams {
    publisher: Option<String>,
    offer: Option<String>,
}

/// `GET /auth/audit?publisher=&offer=`: the newest hundred records, for operators.
pub(crate) async fn audit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<AuditParams>,
) -> Response {
    let Some(auth) = state.auth() else {
        return off();
    };
    let user = match auth.session(&headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return signed_out(),
        Err(_) => return ProxyError::SignInUnavailable.into_response(),
    };
    if auth.settings.role(&user.roles) != Some(Role::Operator) {
        return ProxyError::OperatorRoleRequired.into_response();
    }
    let query = AuditQuery {
        publisher: params.publisher.filter(|p| !p.is_empty()),
        offer: params.offer.filter(|o| !o.is_empty()),
        limit: 100,
    };
    match auth.store.audit(&query).await {
        Ok(records) => Json(serde_json::json!({ "records": records })).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "the audit could not be read");
            ProxyError::SignInUnavailable.into_response()
        }
    }
}
