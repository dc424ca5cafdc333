//! Who canceled this operation or asked for it to go live, from the proxy's audit: shown to
//! operators (who may read the audit) when sign-in is on.

use leptos::prelude::*;
use publishing_model::route::encode;
use publishing_model::sign_in::{actor, parse_audit, AuditAction, AuditEntry, SignIn};
use publishing_model::PublishStatus;

use publishing_model::{OfferId, OperationId, PublisherId};

use crate::api::SourceKind;
use crate::components::{format_time, TimeStyle};
use crate::i18n::{t, tf};
use crate::settings::use_settings;

/// "Canceled by Ada at 10:02" among the operation's facts, once the audit knows it. Asked
/// again when the operation's status changes (a cancel, a go-live).
#[component]
pub(super) fn AuditFact(
    source: Signal<SourceKind>,
    publisher: Memo<PublisherId>,
    offer: Memo<OfferId>,
    id: Memo<OperationId>,
    headline: Signal<PublishStatus>,
) -> impl IntoView {
    let sign_in = crate::sign_in::use_sign_in();
    let settings = use_settings();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    Effect::new(move |_| {
        headline.track();
        let operator = matches!(sign_in.get(), SignIn::SignedIn(ref u) if u.operator);
        if !operator || source.get() != SourceKind::Live {
            return;
        }
        let url = format!(
            "/auth/audit?publisher={}&offer={}",
            encode(publisher.get().as_str()),
            encode(offer.get().as_str())
        );
        leptos::task::spawn_local(async move {
            let Ok(response) = gloo_net::http::Request::get(&url).send().await else {
                return;
            };
            if let (true, Ok(body)) = (response.ok(), response.text().await) {
                let _ = entries.try_set(parse_audit(&body));
            }
        });
    });
    move || {
        entries.with(|e| {
            actor(e, &id.get()).map(|entry| {
                let words = match entry.action {
                    AuditAction::GoLive => key!("audit.golive-by"),
                    _ => key!("audit.canceled-by"),
                };
                let time = format_time(entry.at, TimeStyle::DateTime, settings.utc.get());
                view! {
                    <div>
                        <dt>{t(key!("audit.title"))}</dt>
                        <dd data-testid="audit-line">{tf(words, &[("name", &entry.name), ("time", &time)])}</dd>
                    </div>
                }
            })
        })
    }
}
