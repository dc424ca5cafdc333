//! Steps, messages and instants for the timeline tests.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use publishing_model::api::{Message, Step, Timestamp};
use publishing_model::{MessageLevel, StepId, TimeFrame};

pub const NOW: &str = "2024-05-01T12:00:00Z";

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("test timestamp")
}

pub fn now() -> DateTime<Utc> {
    at(NOW)
}

pub fn message(level: &str, html: &str, when: &str) -> Message {
    Message {
        html: Some(html.into()),
        level: Some(level.parse().unwrap_or_else(|n| match n {})),
        timestamp: Some(Timestamp::parse(when)),
    }
}

/// A step with a status, an estimate and, when given, a "Step started." message.
pub fn step(status: &str, frame: Option<&str>, started: Option<&str>) -> Step {
    Step {
        status: Some(status.parse().unwrap_or_else(|n| match n {})),
        estimated_time_frame: frame.map(TimeFrame::parse),
        messages: started
            .map(|t| message("information", "Step started.", t))
            .into_iter()
            .collect(),
        ..Step::default()
    }
}

pub fn with_id(mut step: Step, id: &str) -> Step {
    step.id = Some(StepId(id.into()));
    step.step_name = Some(id.into());
    step
}

pub fn with_message(mut step: Step, m: Message) -> Step {
    step.messages.push(m);
    step
}

pub fn info() -> MessageLevel {
    MessageLevel::Information
}
