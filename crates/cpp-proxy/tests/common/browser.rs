//! A browser, as far as sign-in needs one: a cookie jar that keeps what `Set-Cookie` says
//! (a `Max-Age=0` removes), and redirects followed by hand so that tests see each step.

use std::collections::BTreeMap;

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

/// Cookies by name, and the client that sends them.
#[derive(Clone, Default)]
pub struct Browser {
    /// The cookies, by name.
    pub jar: BTreeMap<String, String>,
}

/// What one step of a sign-in answered.
pub struct Step {
    /// The status.
    pub status: u16,
    /// `Location`, if any.
    pub location: Option<String>,
    /// The body.
    pub body: String,
    /// Every `Set-Cookie`, as sent.
    pub set_cookies: Vec<String>,
}

impl Browser {
    /// `Cookie:` as the browser would send it.
    pub fn cookie_header(&self) -> String {
        self.jar
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Keeps what the answer's `Set-Cookie`s say.
    pub fn keep(&mut self, response: &reqwest::Response) -> Vec<String> {
        let mut sent = Vec::new();
        for value in response.headers().get_all(SET_COOKIE) {
            let text = value.to_str().expect("ascii").to_owned();
            let (pair, attributes) = text.split_once(';').unwrap_or((&text, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            if attributes.contains("Max-Age=0") {
                self.jar.remove(name);
            } else {
                self.jar.insert(name.to_owned(), value.to_owned());
            }
            sent.push(text);
        }
        sent
    }

    /// `GET url` with the jar's cookies.
    pub async fn get(&mut self, url: &str) -> Step {
        let response = super::client()
            .get(url)
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .expect("send");
        self.step(response).await
    }

    /// `POST url` with the jar's cookies, `headers` and a JSON body.
    pub async fn post(&mut self, url: &str, headers: &[(&str, &str)]) -> Step {
        let mut request = super::client()
            .post(url)
            .header(COOKIE, self.cookie_header())
            .header("content-type", "application/json")
            .body("{}");
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = request.send().await.expect("send");
        self.step(response).await
    }

    async fn step(&mut self, response: reqwest::Response) -> Step {
        let set_cookies = self.keep(&response);
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(LOCATION)
            .map(|v| v.to_str().expect("ascii").to_owned());
        let body = response.text().await.unwrap_or_default();
        Step {
            status,
            location,
            body,
            set_cookies,
        }
    }

    /// Starts a sign-in at `base` (`http://host:port`) as `upn`, returning to `rd`: the
    /// identity provider's redirect back to the callback (not yet followed).
    pub async fn start(&mut self, base: &str, upn: &str, rd: &str) -> String {
        let login = format!(
            "{base}/auth/login?rd={}&login_hint={}",
            percent_encoding::utf8_percent_encode(rd, percent_encoding::NON_ALPHANUMERIC),
            percent_encoding::utf8_percent_encode(upn, percent_encoding::NON_ALPHANUMERIC),
        );
        let to_idp = self.get(&login).await;
        assert_eq!(to_idp.status, 302, "login: {}", to_idp.body);
        let authorize = to_idp.location.expect("to the identity provider");
        let back = self.get(&authorize).await;
        assert_eq!(back.status, 302, "authorize: {}", back.body);
        back.location.expect("back to the callback")
    }

    /// A whole sign-in; the callback's answer.
    pub async fn sign_in(&mut self, base: &str, upn: &str, rd: &str) -> Step {
        let callback = self.start(base, upn, rd).await;
        self.get(&callback).await
    }
}
