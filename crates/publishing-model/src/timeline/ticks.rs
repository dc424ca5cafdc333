//! Ticks for a time axis: whole hours, days, months or years, in the zone the axis is read
//! in, as many as fit. The zone is a function from an instant to its UTC offset, so a
//! daylight-saving change moves the ticks with the clock on the wall (a 23-hour day still
//! gets its midnight tick).

use chrono::{
    DateTime, Datelike, Days, Months, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Utc,
};

/// What a tick marks, and so how it is labelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TickUnit {
    /// A time of day ("14:00").
    Hour,
    /// The start of a day ("Tue 3").
    Day,
    /// The start of a month ("Dec").
    Month,
    /// The start of a year ("2027").
    Year,
}

/// One tick on the axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tick {
    /// Where it is.
    pub at: DateTime<Utc>,
    /// What it marks.
    pub unit: TickUnit,
}

/// Seconds east of UTC at an instant, in the zone the axis is read in.
pub type Offset<'a> = &'a dyn Fn(DateTime<Utc>) -> i32;

#[derive(Clone, Copy)]
enum Step {
    Hours(u32),
    Days(u32),
    Months(u32),
    Years(u32),
}

/// Tick spacings, finest first.
const LADDER: [Step; 14] = [
    Step::Hours(1),
    Step::Hours(2),
    Step::Hours(3),
    Step::Hours(6),
    Step::Hours(12),
    Step::Days(1),
    Step::Days(2),
    Step::Days(7),
    Step::Days(14),
    Step::Months(1),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(5),
];

impl Step {
    fn nominal(self) -> TimeDelta {
        match self {
            Self::Hours(n) => TimeDelta::hours(n.into()),
            Self::Days(n) => TimeDelta::days(n.into()),
            Self::Months(n) => TimeDelta::days(30 * i64::from(n)),
            Self::Years(n) => TimeDelta::days(365 * i64::from(n)),
        }
    }
}

fn local(at: DateTime<Utc>, offset: Offset) -> NaiveDateTime {
    at.naive_utc() + TimeDelta::seconds(offset(at).into())
}

/// The instant a wall-clock time falls on. The offset is looked up twice so a time just after
/// a change uses the offset in force after it.
fn to_utc(wall: NaiveDateTime, offset: Offset) -> DateTime<Utc> {
    let guess = wall.and_utc() - TimeDelta::seconds(offset(wall.and_utc()).into());
    wall.and_utc() - TimeDelta::seconds(offset(guess).into())
}

fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_hms_opt(0, 0, 0).unwrap_or_default()
}

/// Wall-clock ticks from the first boundary at or before `from`, `step` apart.
fn walls(from: NaiveDateTime, step: Step) -> Box<dyn Iterator<Item = NaiveDateTime>> {
    match step {
        Step::Hours(n) => {
            let start = midnight(from.date()) + TimeDelta::hours(i64::from(from.hour() / n * n));
            Box::new((0..).map(move |k| start + TimeDelta::hours(i64::from(n) * k)))
        }
        Step::Days(n) => {
            // Weeks start on Monday; other spacings on the day itself.
            let back = if n == 7 || n == 14 {
                from.weekday().num_days_from_monday()
            } else {
                0
            };
            let start = from.date() - Days::new(back.into());
            Box::new((0..).map_while(move |k| {
                start
                    .checked_add_days(Days::new(u64::from(n) * k))
                    .map(midnight)
            }))
        }
        Step::Months(n) => {
            let month0 = from.month0() / n * n;
            let start = NaiveDate::from_ymd_opt(from.year(), month0 + 1, 1).unwrap_or_default();
            Box::new(
                (0..)
                    .map_while(move |k| start.checked_add_months(Months::new(n * k)).map(midnight)),
            )
        }
        Step::Years(n) => {
            let year = from.year().div_euclid(n as i32) * n as i32;
            Box::new((0..).map_while(move |k| {
                NaiveDate::from_ymd_opt(year + (n * k) as i32, 1, 1).map(midnight)
            }))
        }
    }
}

fn unit(wall: NaiveDateTime, step: Step) -> TickUnit {
    match step {
        Step::Hours(_) if wall.hour() != 0 => TickUnit::Hour,
        Step::Hours(_) | Step::Days(_) => TickUnit::Day,
        Step::Months(_) if wall.month() != 1 => TickUnit::Month,
        Step::Months(_) | Step::Years(_) => TickUnit::Year,
    }
}

/// At most `max` ticks between `from` and `to`, at the finest spacing that fits.
pub fn ticks(from: DateTime<Utc>, to: DateTime<Utc>, max: usize, offset: Offset) -> Vec<Tick> {
    if to <= from || max == 0 {
        return Vec::new();
    }
    let span = to - from;
    let max_i32 = i32::try_from(max).unwrap_or(i32::MAX);
    let step = LADDER
        .iter()
        .copied()
        .find(|s| span.num_seconds() / s.nominal().num_seconds().max(1) < i64::from(max_i32))
        .unwrap_or(Step::Years(5));
    let mut out: Vec<Tick> = Vec::new();
    for wall in walls(local(from, offset), step) {
        let at = to_utc(wall, offset);
        if at > to || out.len() > max * 2 {
            break;
        }
        // A wall time a change skips maps onto its neighbour: keep instants increasing.
        if at >= from && out.last().is_none_or(|t| t.at < at) {
            out.push(Tick {
                at,
                unit: unit(wall, step),
            });
        }
    }
    out
}
