//! A Product Ingestion configure job (`/ingestion/jobs/{jobId}`): its status, when it started
//! and ended, its errors, polled at most once a minute while it runs, and cancel while it can.

use leptos::prelude::*;
use publishing_model::ingestion::{job_detail, ConfigureJob, JobNextStep, JobTime};
use publishing_model::{JobId, PublisherId};

use super::{client_for, use_page};
use crate::api::{JobCancelResult, Missing, SourceKind, ACCOUNT};
use crate::components::{
    format_time, Breadcrumbs, CancelControl, CancelKind, CopyId, ErrorPanel, RefreshBar, SafeHtml,
    Skeleton, StaleNotice, StatusBadge, TimeStyle,
};
use crate::i18n::t;
use crate::remote::use_polled;
use crate::routes::{self, Page};
use crate::settings::use_settings;

/// The configure job page.
#[component]
pub fn JobPage() -> impl IntoView {
    let settings = use_settings();
    let page = use_page();
    let params = crate::pages::follow(page, |p| match p {
        Page::Job(j) => Some(j.clone()),
        _ => None,
    });
    let params = Memo::new(move |_| {
        params.with(|p| {
            p.as_ref()
                .map_or((None, JobId::default()), |j| (j.source, j.job.clone()))
        })
    });
    // Jobs are Product Ingestion's alone: any other source is "no such source".
    let client = move || {
        let (source, _) = params.get();
        client_for(source.filter(|s| *s == SourceKind::Ingestion), &settings)
    };
    let job = use_polled(
        move || {
            let client = client();
            let id = params.get().1;
            async move {
                let client = client?;
                match client.ingestion() {
                    Some(graph) => graph.job(&id).await,
                    None => unreachable_source(),
                }
            }
        },
        ConfigureJob::is_active,
        move || SourceKind::Ingestion.poll_interval(&settings),
    );
    let loaded = job.loaded();
    let cancel = Action::new_local(move |_: &()| {
        let client = client();
        let id = params.get_untracked().1;
        async move {
            let outcome = match client {
                Ok(client) => match client.ingestion() {
                    Some(graph) => graph.cancel_job(&id).await,
                    None => unreachable_source(),
                },
                Err(e) => Err(e),
            };
            job.refresh();
            match outcome {
                Ok(JobCancelResult::Canceled) => Ok(t(key!("job.canceled"))),
                Ok(JobCancelResult::AlreadyCompleted) => Err(t(key!("job.already-completed"))),
                Err(e) => Err(format!("{} {}", e.title(), e.detail().unwrap_or_default())),
            }
        }
    });
    let account = Signal::derive(|| t(key!("ingestion.account")));
    let overview = Signal::derive(|| {
        routes::href(&routes::publisher(
            SourceKind::Ingestion,
            &PublisherId(ACCOUNT.to_owned()),
        ))
    });
    view! {
        <Breadcrumbs publisher=account publisher_href=overview />
        {move || match (loaded.get(), job.error().get()) {
            (Some(l), _) => view! { <JobView job=l.data.clone() fetched_at=l.fetched_at stale=l.stale.clone() polled=job cancel=cancel /> }.into_any(),
            (None, Some(error)) => view! {
                <h1 class="page__title">{t(key!("job.title"))}</h1>
                <ErrorPanel error=error retry_at=job.next_at on_retry=Callback::new(move |_| job.refresh()) />
            }.into_any(),
            (None, None) => view! {
                <h1 class="page__title">{t(key!("job.title"))}</h1>
                <Skeleton lines=3 label=t(key!("job.loading")) />
            }.into_any(),
        }}
    }
}

fn unreachable_source<T>() -> Result<T, crate::api::ApiError> {
    Err(crate::api::ApiError::NotFound {
        what: Missing::Source,
        detail: None,
    })
}

#[component]
fn JobView(
    job: std::sync::Arc<ConfigureJob>,
    fetched_at: chrono::DateTime<chrono::Utc>,
    stale: Option<crate::api::ApiError>,
    polled: crate::remote::Polled<ConfigureJob>,
    cancel: Action<(), Result<String, String>>,
) -> impl IntoView {
    let settings = use_settings();
    let detail = job_detail(&job);
    let status = detail
        .status
        .clone()
        .unwrap_or_else(|| "unknown".parse().unwrap_or_else(|n| match n {}));
    let when = move |time: JobTime| match time {
        JobTime::At(at) => format_time(at, TimeStyle::Full, settings.utc.get()),
        JobTime::NotYet => t(key!("job.not-yet")),
        JobTime::NotReported => t(key!("job.not-reported")),
    };
    let (started, ended) = (when(job.started()), when(job.ended()));
    let next_step = job.next_step().map(|next| {
        let words = match next {
            JobNextStep::ReadCertificationReport => t(key!("job.certification-next")),
            JobNextStep::FixAndResend => t(key!("job.failed-next")),
        };
        view! { <p class="job-next" role="note" data-testid="job-next-step">{words}</p> }
    });
    let active = job.is_active();
    let id = job.id.clone().unwrap_or_default();
    view! {
        <header class="operation-header">
            <div class="operation-header__top">
                <h1 class="page__title">{t(key!("job.title"))}</h1>
                <StatusBadge status=status />
            </div>
            <dl class="facts">
                <div><dt>{t(key!("job.id"))}</dt><dd><CopyId id=id /></dd></div>
                <div><dt>{t(key!("job.started"))}</dt><dd data-testid="job-started">{started}</dd></div>
                <div><dt>{t(key!("job.ended"))}</dt><dd data-testid="job-ended">{ended}</dd></div>
            </dl>
            <RefreshBar fetched_at=Signal::derive(move || Some(fetched_at)) next_at=polled.next_at busy=polled.busy on_refresh=Callback::new(move |_| polled.refresh()) />
        </header>
        <StaleNotice error=Signal::derive(move || stale.clone()) fetched_at=Signal::derive(move || fetched_at) retry_at=polled.next_at />
        {next_step}
        <CancelControl
            kind=CancelKind::ConfigureJob
            can_cancel=Signal::derive(move || active)
            pending=cancel.pending()
            outcome=cancel.value()
            on_confirm=Callback::new(move |_| {
                cancel.dispatch(());
            })
        />
        <section class="panel" aria-labelledby="job-errors-title">
            <h2 id="job-errors-title">{t(key!("job.errors"))}</h2>
            {if detail.messages.is_empty() {
                view! { <p class="empty-state" data-testid="job-no-errors">{t(key!("job.no-errors"))}</p> }.into_any()
            } else {
                view! {
                    <ul class="job-errors" data-testid="job-errors">
                        {detail.messages.iter().map(|m| view! {
                            <li class="job-errors__item"><SafeHtml html=m.html.clone().unwrap_or_default() /></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
