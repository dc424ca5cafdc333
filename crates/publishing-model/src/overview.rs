//! Every offer of a publisher at a glance: what each one waits for and whose move it is, the
//! order a publisher reads them in ("needs me" first), and the filters and counts above them.

use chrono::{DateTime, Utc};

pub use crate::attention::{Attention, RECENT_TROUBLE};

use crate::api::{OfferStatus, OfferSummary};
use crate::ids::OfferId;
use crate::status::{PublishStatus, StatusKind};
use crate::timeline::{operation_timeline, OperationTimeline, Outlook, StepPlan};

/// Whose move it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Whose {
    /// Microsoft's steps are running.
    Microsoft,
    /// The publisher must act: sign off, or fix what stopped the publish.
    Publisher,
    /// Nothing is under way.
    Nobody,
}

/// The overview filters, each with a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OverviewFilter {
    /// What [`Attention::needs_me`] says: blocked now, probably stuck, waiting for the
    /// sign-off, or failed in the last 7 days.
    NeedsMe,
    /// Microsoft's steps are running.
    Running,
    /// Blocked or failed, at any time.
    Stopped,
    /// Live, or nothing under way.
    Idle,
}

impl OverviewFilter {
    /// Every filter, in display order.
    pub const ALL: [OverviewFilter; 4] = [Self::NeedsMe, Self::Running, Self::Stopped, Self::Idle];

    /// The word in the URL (`?show=needs-me`).
    pub fn slug(self) -> &'static str {
        match self {
            Self::NeedsMe => "needs-me",
            Self::Running => "running",
            Self::Stopped => "stopped",
            Self::Idle => "idle",
        }
    }

    /// From the URL word; anything else is no filter.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.slug() == slug.trim())
    }
}

/// One offer's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferOverview {
    /// The offer.
    pub id: OfferId,
    /// Its display name, else its id.
    pub name: String,
    /// `pcMigrationStatus: migrated`: managed in Partner Center now.
    pub migrated: bool,
    /// Where, when migrated and the service says so with an `https` address
    /// (`pcRedirectUri`, checked like every link from the service).
    pub moved_to: Option<String>,
    /// The status the row shows (agreeing with the steps), when the status is known.
    pub status: Option<PublishStatus>,
    /// The step running, waiting or stopped, with its progress.
    pub step: Option<(String, Option<u8>)>,
    /// When the publish should finish (soonest, latest when known), if the publisher signs
    /// off promptly.
    pub finish: Option<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    /// Whose move it is.
    pub whose: Whose,
    /// What the publish needs of the publisher, and whether it is late or stuck.
    pub attention: Attention,
    /// The offer's last change.
    pub changed: Option<DateTime<Utc>>,
}

impl OfferOverview {
    /// A row from the offers list alone (its status not fetched yet).
    pub fn listed(summary: &OfferSummary) -> Self {
        let name = summary
            .definition
            .as_ref()
            .and_then(|d| d.display_text.clone())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| summary.id.to_string());
        let migrated = summary
            .pc_migration_status
            .as_deref()
            .is_some_and(|m| crate::status::normalize(m) == "migrated");
        Self {
            id: summary.id.clone(),
            name,
            migrated,
            moved_to: summary
                .pc_redirect_uri
                .as_deref()
                .filter(|_| migrated)
                .and_then(crate::markup::safe_href),
            status: None,
            step: None,
            finish: None,
            whose: Whose::Nobody,
            attention: Attention::Clear,
            changed: summary.changed_time.as_ref().and_then(|t| t.parsed),
        }
    }

    /// The row with the offer's status, as of `now`.
    pub fn with_status(self, status: &OfferStatus, now: DateTime<Utc>) -> Self {
        let t = operation_timeline(
            &status.as_operation(),
            None,
            &Default::default(),
            now,
            crate::timeline::DEFAULT_QUIET_LIMIT,
        );
        self.with_timeline(status, &t)
    }

    /// The row with the offer's status and its timeline, already worked out (by a caller
    /// that needs the timeline for something else too).
    pub fn with_timeline(mut self, status: &OfferStatus, t: &OperationTimeline) -> Self {
        let headline = t.headline.clone();
        let current = status.steps.iter().position(|s| {
            let k = s.status_or_unknown().kind();
            k.is_active() || matches!(k, StatusKind::Blocked | StatusKind::Failed)
        });
        self.step = current.map(|i| {
            let s = &status.steps[i];
            let progress = s
                .progress_percentage
                .filter(|_| s.status_or_unknown().kind() == StatusKind::Running);
            (s.display_name().to_owned(), progress)
        });
        self.changed = self
            .changed
            .max(crate::feed::newest(&status.messages, &status.steps));
        self.whose = match (&t.plan.outlook, headline.kind()) {
            (Outlook::YourMove { .. } | Outlook::Stopped { .. }, _) => Whose::Publisher,
            (_, StatusKind::WaitingForPublisher | StatusKind::Blocked) => Whose::Publisher,
            (_, StatusKind::Running) => Whose::Microsoft,
            _ if t
                .plan
                .steps
                .iter()
                .any(|p| matches!(p, StepPlan::Ahead { .. })) =>
            {
                Whose::Microsoft
            }
            _ => Whose::Nobody,
        };
        self.attention = Attention::of(&status.steps, t, self.changed);
        if matches!(self.attention, Attention::Stuck { .. }) {
            // Only a support case moves a stuck publish: the publisher's move.
            self.whose = Whose::Publisher;
        }
        self.finish = t.plan.finish;
        self.status = Some(headline);
        self
    }

    fn kind(&self) -> Option<StatusKind> {
        self.status.as_ref().map(PublishStatus::kind)
    }

    /// True when the row matches a filter, as of `now`.
    pub fn matches(&self, filter: OverviewFilter, now: DateTime<Utc>) -> bool {
        let kind = self.kind();
        let stopped = matches!(kind, Some(StatusKind::Blocked | StatusKind::Failed));
        match filter {
            OverviewFilter::NeedsMe => self.attention.needs_me(now),
            OverviewFilter::Running => kind == Some(StatusKind::Running),
            OverviewFilter::Stopped => stopped,
            OverviewFilter::Idle => {
                kind.is_some()
                    && !stopped
                    && self.whose == Whose::Nobody
                    && kind != Some(StatusKind::Running)
            }
        }
    }

    /// True when the name or id contains `text`, in any case. `fold` lower-cases text in
    /// every script: the app passes the browser's own (`String.prototype.toLowerCase`),
    /// native callers `str::to_lowercase`. The model carries no case tables of its own:
    /// they were 5 KB of the app's first load, and the browser has them already.
    pub fn matches_text(&self, text: &str, fold: impl Fn(&str) -> String) -> bool {
        let text = fold(text.trim());
        text.is_empty()
            || fold(&self.name).contains(&text)
            || fold(self.id.as_str()).contains(&text)
    }
}

/// Where a row goes: needs me first (blocked, stuck, the sign-off, a recent failure: see
/// [`Attention::rank`]), then running by expected end (those with none after), then the rest
/// (rows whose status is not known yet last), each by name in any case (`fold` as for
/// [`OfferOverview::matches_text`]). Sort anything that holds rows by it.
pub fn order_key(
    row: &OfferOverview,
    now: DateTime<Utc>,
    fold: impl Fn(&str) -> String,
) -> impl Ord {
    let band = if row.matches(OverviewFilter::NeedsMe, now) {
        0
    } else if row.matches(OverviewFilter::Running, now) {
        1
    } else if row.status.is_some() {
        2
    } else {
        3
    };
    let urgency = if band == 0 { row.attention.rank() } else { 0 };
    let end = (band == 1)
        .then(|| row.finish.map(|(e, l)| l.unwrap_or(e)))
        .flatten();
    (band, urgency, end.is_none(), end, fold(&row.name))
}

/// The rows in the order a publisher reads them. Stable: equal ranks keep the list's order.
pub fn order(rows: &mut [OfferOverview], now: DateTime<Utc>, fold: impl Fn(&str) -> String) {
    rows.sort_by_cached_key(|r| order_key(r, now, &fold));
}

/// How many rows each filter would show.
pub fn filter_counts<'a>(
    rows: impl Iterator<Item = &'a OfferOverview> + Clone,
    now: DateTime<Utc>,
) -> [(OverviewFilter, usize); 4] {
    OverviewFilter::ALL.map(|f| (f, rows.clone().filter(|r| r.matches(f, now)).count()))
}
