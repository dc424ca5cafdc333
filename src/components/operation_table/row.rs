//! One row of the operations table, showing whatever operation its position holds now.
//!
//! A filter change gives every row another operation. Built from the shared components (the
//! status badge, two relative times, the copy button), a row had about 20 render effects, 500
//! for a page, and running them was most of the filter's frame. Here a row has one effect: it
//! works out what the row shows and writes only what differs into its cells, each held by a
//! `NodeRef` set where the view builds it.

use chrono::{DateTime, Utc};
use leptos::{html, prelude::*};
use publishing_model::short_id;
use web_sys::Element;

use super::OperationRow;
use crate::clock::use_clock;
use crate::components::copy_id::copy_id;
use crate::components::time::{exact_time, tooltip, TimeText};
use crate::i18n::{relative, t, tf};
use crate::settings::use_settings;

/// What a row shows of its operation, apart from the times.
#[derive(Clone, PartialEq)]
struct Shown {
    badge: String,
    icon: &'static str,
    status: String,
    href: String,
    kind: String,
    slot: String,
    versions: String,
    duration: String,
    id: String,
    short: String,
    copy_label: String,
    copied: bool,
}

impl Shown {
    fn of(row: &OperationRow, copied: Option<&str>) -> Self {
        let kind = row.status.kind();
        Self {
            badge: kind.badge_class(),
            icon: kind.icon(),
            status: crate::words::status(&row.status),
            href: row.href.clone(),
            kind: row.submission_type.clone(),
            slot: row.slot.clone(),
            versions: row.versions.clone(),
            duration: row.duration.clone(),
            id: row.id.clone(),
            short: short_id(&row.id),
            copy_label: tf(key!("copy.id-label"), &[("id", &row.id)]),
            copied: copied == Some(row.id.as_str()),
        }
    }
}

/// The row's two times: started, changed.
fn times(row: &OperationRow, now: DateTime<Utc>, utc: bool) -> [TimeText; 2] {
    [
        TimeText::of(row.started, now, utc, "—"),
        TimeText::of(row.changed, now, utc, &row.changed_raw),
    ]
}

/// A reference to each element a row writes into, set where the view builds it: a change to
/// the markup moves the reference with its element, so no cell can go silently stale.
#[derive(Clone, Copy)]
struct Refs {
    badge: NodeRef<html::Span>,
    icon: NodeRef<html::Span>,
    status: NodeRef<html::Span>,
    link: NodeRef<html::A>,
    slot: NodeRef<html::Td>,
    versions: NodeRef<html::Td>,
    duration: NodeRef<html::Td>,
    /// Each time's `<time>` and the words in it.
    times: [(NodeRef<html::Time>, NodeRef<html::Span>); 2],
    code: NodeRef<html::Code>,
    button: NodeRef<html::Button>,
}

impl Refs {
    fn new() -> Self {
        Self {
            badge: NodeRef::new(),
            icon: NodeRef::new(),
            status: NodeRef::new(),
            link: NodeRef::new(),
            slot: NodeRef::new(),
            versions: NodeRef::new(),
            duration: NodeRef::new(),
            times: [
                (NodeRef::new(), NodeRef::new()),
                (NodeRef::new(), NodeRef::new()),
            ],
            code: NodeRef::new(),
            button: NodeRef::new(),
        }
    }
}

/// The elements a row writes into, once the view has built them all.
struct Cells {
    badge: Element,
    icon: Element,
    status: Element,
    link: Element,
    slot: Element,
    versions: Element,
    duration: Element,
    times: [(Element, Element); 2],
    code: Element,
    button: Element,
}

impl Cells {
    /// Every referenced element; `None` until the view has built them.
    fn of(refs: &Refs) -> Option<Self> {
        let time = |(time, words): &(NodeRef<html::Time>, NodeRef<html::Span>)| {
            Some((time.get_untracked()?.into(), words.get_untracked()?.into()))
        };
        Some(Self {
            badge: refs.badge.get_untracked()?.into(),
            icon: refs.icon.get_untracked()?.into(),
            status: refs.status.get_untracked()?.into(),
            link: refs.link.get_untracked()?.into(),
            slot: refs.slot.get_untracked()?.into(),
            versions: refs.versions.get_untracked()?.into(),
            duration: refs.duration.get_untracked()?.into(),
            times: [time(&refs.times[0])?, time(&refs.times[1])?],
            code: refs.code.get_untracked()?.into(),
            button: refs.button.get_untracked()?.into(),
        })
    }

    /// Writes what differs between `old` and `new`; everything when `all`.
    fn update(
        &self,
        (old, new): (&Shown, &Shown),
        (old_times, new_times): (&[TimeText; 2], &[TimeText; 2]),
        words: &CopyWords,
        all: bool,
    ) {
        let text = |node: &Element, old: &str, new: &str| {
            if all || old != new {
                node.set_text_content(Some(new));
            }
        };
        let attribute = |element: &Element, name: &str, old: Option<&str>, new: Option<&str>| {
            if all || old != new {
                let _ = match new {
                    Some(value) => element.set_attribute(name, value),
                    None => element.remove_attribute(name),
                };
            }
        };
        text(&self.icon, old.icon, new.icon);
        text(&self.status, &old.status, &new.status);
        text(&self.link, &old.kind, &new.kind);
        text(&self.slot, &old.slot, &new.slot);
        text(&self.versions, &old.versions, &new.versions);
        text(&self.duration, &old.duration, &new.duration);
        text(&self.code, &old.short, &new.short);
        text(&self.button, words.of(old.copied), words.of(new.copied));
        attribute(&self.badge, "class", Some(&old.badge), Some(&new.badge));
        attribute(&self.link, "href", Some(&old.href), Some(&new.href));
        attribute(&self.code, "title", Some(&old.id), Some(&new.id));
        attribute(
            &self.button,
            "aria-label",
            Some(&old.copy_label),
            Some(&new.copy_label),
        );
        for (((time, words_node), old), new) in self.times.iter().zip(old_times).zip(new_times) {
            text(words_node, &old.words, &new.words);
            attribute(
                time,
                "datetime",
                old.datetime.as_deref(),
                new.datetime.as_deref(),
            );
            let focusable = |t: &TimeText| t.datetime.as_ref().map(|_| "0");
            attribute(time, "tabindex", focusable(old), focusable(new));
        }
    }
}

/// The copy button's two labels.
struct CopyWords {
    copy: String,
    copied: String,
}

impl CopyWords {
    fn of(&self, copied: bool) -> &str {
        if copied {
            &self.copied
        } else {
            &self.copy
        }
    }
}

/// What the row's effect keeps between runs: the cells and what they show.
struct Painted {
    cells: Option<Cells>,
    /// The cells may show something else than `shown`: the row's element was built for an
    /// earlier row at this position and only updated by Leptos, which compares with what it
    /// built the element with, not with what this effect wrote since.
    unsure: bool,
    row: OperationRow,
    shown: Shown,
    times: [TimeText; 2],
}

/// One row of the table. `labels` are the column names, repeated on each cell for the narrow
/// layout; `reused` says the table rebuilt its rows and this one takes over the element of
/// the row that was at its position.
#[component]
pub(super) fn Row(
    position: ArcRwSignal<OperationRow>,
    labels: StoredValue<[String; 8]>,
    reused: bool,
) -> impl IntoView {
    let (clock, settings) = (use_clock(), use_settings());
    let copied = RwSignal::new(None::<String>);
    let words = CopyWords {
        copy: t(key!("copy.copy")),
        copied: t(key!("copy.copied")),
    };
    let first = position.with_untracked(|row| Painted {
        cells: None,
        unsure: reused,
        shown: Shown::of(row, None),
        times: times(row, clock.now.get_untracked(), settings.utc.get_untracked()),
        row: row.clone(),
    });
    let (shown, [started, changed]) = (first.shown.clone(), first.times.clone());
    let copy_text = words.of(false).to_owned();
    let refs = Refs::new();
    let mut first = Some(first);
    let row_now = position.clone();
    Effect::new(move |last: Option<Option<Painted>>| {
        let mut painted = last.flatten().or_else(|| first.take())?;
        let (now, utc) = (clock.now.get(), settings.utc.get());
        let copied = copied.read();
        // The clock ticks every second: the rest is worked out again only when it can differ.
        let shown = row_now.with(|row| {
            let is_copied = copied.as_deref() == Some(row.id.as_str());
            if *row == painted.row && is_copied == painted.shown.copied {
                return painted.shown.clone();
            }
            painted.row = row.clone();
            Shown::of(row, copied.as_deref())
        });
        let next_times = times(&painted.row, now, utc);
        if painted.cells.is_none() {
            painted.cells = Cells::of(&refs);
        }
        match &painted.cells {
            Some(cells) => cells.update(
                (&painted.shown, &shown),
                (&painted.times, &next_times),
                &words,
                std::mem::take(&mut painted.unsure),
            ),
            None => painted.unsure = true,
        }
        painted.shown = shown;
        painted.times = next_times;
        Some(painted)
    });
    let [status, kind, slot_label, versions, started_label, duration, changed_label, id] =
        labels.get_value();
    let tip = |which: usize, hovered: RwSignal<bool>, focused: RwSignal<bool>| {
        let position = position.clone();
        tooltip(hovered, focused, move || {
            let at = position.with(|row| [row.started, row.changed][which])?;
            Some(exact_time(
                relative(clock.now.get(), at),
                at,
                settings.utc.get(),
            ))
        })
    };
    let time = move |text: TimeText, which: usize| {
        let (hovered, focused) = (RwSignal::new(false), RwSignal::new(false));
        let (time_ref, words_ref) = refs.times[which];
        view! {
            <time
                class="when"
                node_ref=time_ref
                datetime=text.datetime.clone()
                tabindex=text.datetime.as_ref().map(|_| "0")
                on:mouseenter=move |_| hovered.set(true)
                on:mouseleave=move |_| hovered.set(false)
                on:focus=move |_| focused.set(true)
                on:blur=move |_| focused.set(false)
            >
                <span node_ref=words_ref>{text.words}</span>
                {tip(which, hovered, focused)}
            </time>
        }
    };
    let copy = {
        let position = position.clone();
        move |_| {
            copy_id(
                position.with_untracked(|row| row.id.clone()),
                copied.write_only(),
            )
        }
    };
    view! {
        <tr class="operations__row" data-testid="operation-row">
            <td class="operations__status" data-label=status>
                <span class=shown.badge data-testid="status-badge" node_ref=refs.badge>
                    <span class="status-badge__icon" aria-hidden="true" node_ref=refs.icon>{shown.icon}</span>
                    <span class="status-badge__label" node_ref=refs.status>{shown.status}</span>
                </span>
            </td>
            // A plain link: the router handles its clicks.
            <td data-label=kind><a href=shown.href node_ref=refs.link>{shown.kind}</a></td>
            <td data-label=slot_label node_ref=refs.slot>{shown.slot}</td>
            <td data-label=versions node_ref=refs.versions>{shown.versions}</td>
            <td data-label=started_label>{time(started, 0)}</td>
            <td data-label=duration data-testid="duration" node_ref=refs.duration>{shown.duration}</td>
            <td data-label=changed_label>{time(changed, 1)}</td>
            <td data-label=id>
                <span class="copy-id">
                    <code class="copy-id__text" title=shown.id node_ref=refs.code>{shown.short}</code>
                    <button type="button" class="copy-id__button button button--small" on:click=copy aria-label=shown.copy_label node_ref=refs.button>
                        {copy_text}
                    </button>
                </span>
            </td>
        </tr>
    }
}
