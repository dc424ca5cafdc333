//! The watcher's configuration: the TOML file (`--config`) and `--watch`, checked as a
//! whole at start. Secrets (webhook URLs, signing secrets, SMTP URLs) come from the
//! environment or a file, never inline, and never show in `Debug` or an error.

use std::path::{Path, PathBuf};
use std::time::Duration;

use publishing_model::alerts::{EventKind, QuietHours, Service};
use serde::Deserialize;

use crate::span::Span;

/// A secret: shown nowhere.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub(crate) String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Secret {
    /// The value, for the one place that uses it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

/// What to watch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Watched {
    /// The publisher (for Product Ingestion, the account: `account`).
    pub publisher: String,
    /// Only these offers; every offer when empty.
    pub offers: Vec<String>,
    /// Which service.
    pub service: Service,
}

/// A channel's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    /// A Teams Workflows webhook (Adaptive Cards).
    Teams,
    /// A Slack incoming webhook.
    Slack,
    /// A webhook signed per Standard Webhooks.
    Webhook,
    /// E-mail through an SMTP relay.
    Email,
}

impl ChannelKind {
    /// Its name in the file.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Teams => "teams",
            Self::Slack => "slack",
            Self::Webhook => "webhook",
            Self::Email => "email",
        }
    }
}

/// A place to tell people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    /// Its name, as rules name it.
    pub name: String,
    /// Its kind.
    pub kind: ChannelKind,
    /// Where it posts.
    pub url: Secret,
    /// The host it posts to, for people to read (never the path: webhook paths are secrets).
    pub host: String,
    /// The Standard Webhooks secret's key (after `whsec_`), for `webhook`.
    pub signing_key: Option<Secret>,
    /// The relay and the addresses, for `email`.
    pub email: Option<super::email::Email>,
}

/// Which events go to which channels.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Only this publisher's, when given.
    pub publisher: Option<String>,
    /// Only this offer's, when given.
    pub offer: Option<String>,
    /// These kinds.
    pub events: Vec<EventKind>,
    /// To these channels.
    pub channels: Vec<String>,
    /// Held through these hours, in this zone.
    pub quiet: Option<(QuietHours, chrono_tz::Tz)>,
}

/// The watcher's whole configuration.
#[derive(Clone, Debug)]
pub struct WatchConfig {
    /// `[store] url`, when the file gives one.
    pub store: Option<Secret>,
    /// Offers with something under way are asked this often.
    pub running_every: Duration,
    /// Idle offers (and each publisher's list of offers) this often.
    pub idle_every: Duration,
    /// A sign-off still waiting is told again this often.
    pub signoff_reminder: Duration,
    /// Events of one operation within this go out as one message.
    pub group_wait: Duration,
    /// What to watch.
    pub watch: Vec<Watched>,
    /// Where to tell.
    pub channels: Vec<Channel>,
    /// What goes where.
    pub rules: Vec<Rule>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    store: Option<StoreSection>,
    polling: Option<Polling>,
    alerts: Option<Alerts>,
    #[serde(default)]
    watch: Vec<WatchSection>,
    #[serde(default)]
    channel: Vec<ChannelSection>,
    #[serde(default)]
    rule: Vec<RuleSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreSection {
    url: Option<String>,
    url_env: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Polling {
    running_every: Option<String>,
    idle_every: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Alerts {
    signoff_reminder: Option<String>,
    group_wait: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WatchSection {
    publisher: Option<String>,
    /// `cpp` (the default) or `ingestion`.
    service: Option<String>,
    #[serde(default)]
    offers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelSection {
    name: String,
    kind: String,
    url: Option<String>,
    url_env: Option<String>,
    url_file: Option<PathBuf>,
    secret_env: Option<String>,
    secret_file: Option<PathBuf>,
    smtp_url_env: Option<String>,
    smtp_url_file: Option<PathBuf>,
    from: Option<String>,
    #[serde(default)]
    to: Vec<String>,
    ca_file: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSection {
    publisher: Option<String>,
    offer: Option<String>,
    events: Option<Vec<String>>,
    channels: Vec<String>,
    quiet_hours: Option<String>,
}

fn span(name: &str, value: Option<&str>, default: Duration) -> Result<Duration, String> {
    match value {
        None => Ok(default),
        Some(text) => text
            .parse::<Span>()
            .map(|s| s.0)
            .map_err(|e| format!("{name}: {e}")),
    }
}

fn plain_id(what: &str, id: &str) -> Result<(), String> {
    let plain = !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
    if plain {
        Ok(())
    } else {
        Err(format!(
            "{what} {id:?} is not an id (letters, digits, - . _)"
        ))
    }
}

/// A secret from the variable `env` or the file `file` (its first line), exactly one.
fn secret(
    what: &str,
    env: Option<&str>,
    file: Option<&Path>,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Secret>, String> {
    match (env, file) {
        (Some(_), Some(_)) => Err(format!("{what}: give _env or _file, not both")),
        (Some(name), None) => match var(name).map(|v| v.trim().to_owned()) {
            Some(v) if !v.is_empty() => Ok(Some(Secret(v))),
            _ => Err(format!("{what}: the variable {name} is not set")),
        },
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("{what}: cannot read {}: {e}", path.display()))?;
            match text.lines().next().map(str::trim) {
                Some(v) if !v.is_empty() => Ok(Some(Secret(v.to_owned()))),
                _ => Err(format!("{what}: {} is empty", path.display())),
            }
        }
        (None, None) => Ok(None),
    }
}

/// The host of an `https://` URL (or `http://` on loopback, for tests and local receivers).
fn checked_host(what: &str, url: &str) -> Result<String, String> {
    let refused = || format!("{what}: the URL must be https:// (http:// only to loopback)");
    let uri: axum::http::Uri = url.parse().map_err(|_| refused())?;
    let host = uri.host().ok_or_else(refused)?.to_owned();
    let loopback = host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match uri.scheme_str() {
        Some("https") => Ok(host),
        Some("http") if loopback => Ok(host),
        _ => Err(refused()),
    }
}

fn channel(c: ChannelSection, var: &dyn Fn(&str) -> Option<String>) -> Result<Channel, String> {
    let what = format!("channel {:?}", c.name);
    plain_id("the channel name", &c.name)?;
    let kind = match c.kind.as_str() {
        "teams" => ChannelKind::Teams,
        "slack" => ChannelKind::Slack,
        "webhook" => ChannelKind::Webhook,
        "email" => return email_channel(c, &what, var),
        other => {
            return Err(format!(
                "{what}: kind {other:?} is none of teams, slack, webhook, email"
            ))
        }
    };
    if c.smtp_url_env.is_some()
        || c.smtp_url_file.is_some()
        || c.from.is_some()
        || !c.to.is_empty()
        || c.ca_file.is_some()
    {
        return Err(format!(
            "{what}: smtp_url_env, smtp_url_file, from, to and ca_file are for e-mail channels"
        ));
    }
    let from_env = secret(&what, c.url_env.as_deref(), c.url_file.as_deref(), var)?;
    let url = match (c.url, from_env) {
        (Some(_), Some(_)) => return Err(format!("{what}: give url, url_env or url_file, one")),
        (Some(url), None) if kind == ChannelKind::Webhook => Secret(url),
        (Some(_), None) => {
            return Err(format!(
                "{what}: a {} webhook's URL is its secret: give url_env or url_file",
                kind.slug()
            ))
        }
        (None, Some(url)) => url,
        (None, None) => return Err(format!("{what}: give url_env or url_file")),
    };
    let host = checked_host(&what, url.expose())?;
    let signing_key = secret(
        &what,
        c.secret_env.as_deref(),
        c.secret_file.as_deref(),
        var,
    )?;
    let signing_key = match (kind, signing_key) {
        (ChannelKind::Webhook, Some(s)) => {
            let key = s.expose().strip_prefix("whsec_").unwrap_or(s.expose());
            if publishing_model::base64::decode(key).is_none_or(|k| k.is_empty()) {
                return Err(format!("{what}: the secret must be whsec_ and base64"));
            }
            Some(Secret(key.to_owned()))
        }
        (ChannelKind::Webhook, None) => {
            return Err(format!(
                "{what}: a webhook is signed: give secret_env or secret_file"
            ))
        }
        (_, Some(_)) => return Err(format!("{what}: only a webhook takes a secret")),
        (_, None) => None,
    };
    Ok(Channel {
        name: c.name,
        kind,
        url,
        host,
        signing_key,
        email: None,
    })
}

fn email_channel(
    c: ChannelSection,
    what: &str,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<Channel, String> {
    if c.url.is_some()
        || c.url_env.is_some()
        || c.url_file.is_some()
        || c.secret_env.is_some()
        || c.secret_file.is_some()
    {
        return Err(format!(
            "{what}: an e-mail channel takes smtp_url_env or smtp_url_file, from and to"
        ));
    }
    let url = secret(
        what,
        c.smtp_url_env.as_deref(),
        c.smtp_url_file.as_deref(),
        var,
    )?
    .ok_or_else(|| {
        format!("{what}: give smtp_url_env or smtp_url_file (smtp://user:password@host:587)")
    })?;
    let smtp = super::email::Smtp::parse(url.expose()).map_err(|e| format!("{what}: {e}"))?;
    let from = c.from.ok_or_else(|| format!("{what}: give from"))?;
    super::email::mailbox(&format!("{what}: from"), &from)?;
    if c.to.is_empty() {
        return Err(format!("{what}: give to, a list of addresses"));
    }
    for to in &c.to {
        super::email::mailbox(&format!("{what}: to"), to)?;
    }
    let ca = match &c.ca_file {
        Some(path) => Some(
            std::fs::read(path)
                .map_err(|e| format!("{what}: cannot read {}: {e}", path.display()))?,
        ),
        None => None,
    };
    Ok(Channel {
        name: c.name,
        kind: ChannelKind::Email,
        host: smtp.host().to_owned(),
        url,
        signing_key: None,
        email: Some(super::email::Email {
            smtp,
            from,
            to: c.to,
            ca,
        }),
    })
}

fn rule(r: RuleSection, channels: &[Channel]) -> Result<Rule, String> {
    let events = match r.events {
        None => EventKind::ALL.to_vec(),
        Some(names) => names
            .iter()
            .map(|n| {
                EventKind::from_slug(n).ok_or_else(|| {
                    format!("rule: event {n:?} is none of signoff, blocked, failed, canceled, live, error, overdue, stuck")
                })
            })
            .collect::<Result<_, _>>()?,
    };
    for name in &r.channels {
        if !channels.iter().any(|c| &c.name == name) {
            return Err(format!("rule: no channel is named {name:?}"));
        }
    }
    if r.channels.is_empty() {
        return Err("rule: name at least one channel".into());
    }
    let quiet = match r.quiet_hours {
        None => None,
        Some(text) => {
            let bad =
                || format!("rule: quiet_hours {text:?} must be like \"22:00-07:00 Europe/Berlin\"");
            let (window, zone) = text.trim().split_once(' ').ok_or_else(bad)?;
            let hours = QuietHours::parse(window).ok_or_else(bad)?;
            let zone: chrono_tz::Tz = zone.trim().parse().map_err(|_| bad())?;
            Some((hours, zone))
        }
    };
    Ok(Rule {
        publisher: r.publisher,
        offer: r.offer,
        events,
        channels: r.channels,
        quiet,
    })
}

impl WatchConfig {
    /// The configuration from the file's text (none: only flags) and `--watch`'s publishers;
    /// `var` reads the environment.
    pub fn parse(
        text: Option<&str>,
        watch: &[String],
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let file: File = match text {
            Some(text) => toml::from_str(text).map_err(|e| e.message().to_owned())?,
            None => File::default(),
        };
        let polling = file.polling.unwrap_or_default();
        let alerts = file.alerts.unwrap_or_default();
        let running_every = span(
            "running_every",
            polling.running_every.as_deref(),
            Duration::from_secs(60),
        )?;
        let idle_every = span(
            "idle_every",
            polling.idle_every.as_deref(),
            Duration::from_secs(900),
        )?
        .max(running_every);
        let mut watched: Vec<Watched> = Vec::new();
        for w in file
            .watch
            .into_iter()
            .chain(watch.iter().map(|p| WatchSection {
                publisher: Some(p.clone()),
                service: None,
                offers: Vec::new(),
            }))
        {
            let (service, publisher) = match (w.service.as_deref(), w.publisher) {
                (None | Some("cpp"), Some(p)) => (Service::Cpp, p),
                (None | Some("cpp"), None) => return Err("[[watch]]: name the publisher".into()),
                (Some("ingestion"), None) => (
                    Service::Ingestion,
                    publishing_model::ingestion::ACCOUNT.to_owned(),
                ),
                (Some("ingestion"), Some(_)) => {
                    return Err("[[watch]]: Product Ingestion has no publishers (the credential's account is watched): leave publisher out".into())
                }
                (Some(other), _) => {
                    return Err(format!("[[watch]]: service {other:?} is neither cpp nor ingestion"))
                }
            };
            plain_id("publisher", &publisher)?;
            for o in &w.offers {
                plain_id("offer", o)?;
            }
            match watched
                .iter_mut()
                .find(|x| x.publisher == publisher && x.service == service)
            {
                // The same publisher twice: every offer if either says so.
                Some(x) if x.offers.is_empty() || w.offers.is_empty() => x.offers.clear(),
                Some(x) => x.offers.extend(w.offers),
                None => watched.push(Watched {
                    publisher,
                    offers: w.offers,
                    service,
                }),
            }
        }
        let mut channels: Vec<Channel> = Vec::new();
        for c in file.channel {
            let c = channel(c, var)?;
            if channels.iter().any(|x| x.name == c.name) {
                return Err(format!("two channels are named {:?}", c.name));
            }
            channels.push(c);
        }
        let rules = file
            .rule
            .into_iter()
            .map(|r| rule(r, &channels))
            .collect::<Result<Vec<_>, _>>()?;
        let store = match file.store {
            None => None,
            Some(StoreSection {
                url: Some(_),
                url_env: Some(_),
            }) => return Err("[store]: give url or url_env, not both".into()),
            Some(StoreSection { url: Some(url), .. }) => Some(Secret(url)),
            Some(StoreSection {
                url_env: Some(name),
                ..
            }) => Some(
                var(&name)
                    .map(Secret)
                    .ok_or_else(|| format!("[store]: the variable {name} is not set"))?,
            ),
            Some(_) => None,
        };
        Ok(Self {
            store,
            running_every,
            idle_every,
            signoff_reminder: span(
                "signoff_reminder",
                alerts.signoff_reminder.as_deref(),
                Duration::from_secs(86_400),
            )?,
            group_wait: span(
                "group_wait",
                alerts.group_wait.as_deref(),
                Duration::from_secs(30),
            )
            .or_else(|e| {
                if alerts.group_wait.as_deref().map(str::trim) == Some("0s") {
                    Ok(Duration::ZERO)
                } else {
                    Err(e)
                }
            })?,
            watch: watched,
            channels,
            rules,
        })
    }

    /// The service `publisher`'s offers are watched in.
    pub fn service_of(&self, publisher: &str) -> Service {
        self.watch
            .iter()
            .find(|w| w.publisher == publisher)
            .map_or(Service::Cpp, |w| w.service)
    }

    /// Reads `--config` (when given) with `--watch`.
    pub fn load(path: Option<&Path>, watch: &[String]) -> Result<Option<Self>, String> {
        if path.is_none() && watch.is_empty() {
            return Ok(None);
        }
        let text = match path {
            Some(p) => Some(
                std::fs::read_to_string(p).map_err(|e| format!("--config {}: {e}", p.display()))?,
            ),
            None => None,
        };
        let config = Self::parse(text.as_deref(), watch, &|name| std::env::var(name).ok())
            .map_err(|e| match path {
                Some(p) => format!("{}: {e}", p.display()),
                None => e,
            })?;
        Ok(Some(config))
    }

    /// The channels (with the rule's quiet hours) that get `kind` for `offer` of `publisher`.
    pub fn route(
        &self,
        publisher: &str,
        offer: &str,
        kind: EventKind,
    ) -> Vec<(&Channel, Option<&(QuietHours, chrono_tz::Tz)>)> {
        let mut out: Vec<(&Channel, Option<&(QuietHours, chrono_tz::Tz)>)> = Vec::new();
        for rule in &self.rules {
            let applies = rule.publisher.as_deref().is_none_or(|p| p == publisher)
                && rule.offer.as_deref().is_none_or(|o| o == offer)
                && rule.events.contains(&kind);
            if !applies {
                continue;
            }
            for name in &rule.channels {
                let Some(channel) = self.channels.iter().find(|c| &c.name == name) else {
                    continue;
                };
                match out.iter_mut().find(|(c, _)| c.name == channel.name) {
                    // A rule without quiet hours lets it go at once.
                    Some((_, quiet)) if rule.quiet.is_none() => *quiet = None,
                    Some(_) => {}
                    None => out.push((channel, rule.quiet.as_ref())),
                }
            }
        }
        out
    }
}
