//! Identifier newtypes, so a publisher id can never be passed where an offer id is expected.

use serde::{Deserialize, Deserializer, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as the service spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            /// Accepts a string or a number: ids are opaque and the service is not always strict.
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::lenient::serde_text(d)?
                    .map(Self)
                    .ok_or_else(|| serde::de::Error::custom("an id must be a string"))
            }
        }
    };
}

id_type!(
    /// An operation's GUID.
    OperationId
);
id_type!(
    /// An offer's name as used in URLs (`contoso-virtualmachineoffer`).
    OfferId
);
id_type!(
    /// A publisher's id (`contoso`).
    PublisherId
);
id_type!(
    /// A publishing step's id (`displaycertify`, `publisher-signoff`, `live`).
    StepId
);
id_type!(
    /// A Product Ingestion product's GUID (`product/{guid}`), which the dashboard shows as an
    /// offer.
    ProductId
);
id_type!(
    /// A Product Ingestion configure job's id (`configure/{jobId}/status`).
    JobId
);

impl OperationId {
    /// The id as a table shows it: the first 8 characters of a GUID, where GUIDs differ; the
    /// last 8 digits of a number (a Product Ingestion submission's, which share their leading
    /// digits: every one above 2^60 starts `11529215`). The whole id when it is that short.
    pub fn short(&self) -> String {
        short_id(&self.0)
    }

    /// The operation a follow-up address names (`Location` or `Operation-Location` after a
    /// cancel or a go-live): `…/operations/{id}?api-version=…`, absolute or relative. `None`
    /// when it names none, or an id that is not plain letters, digits, `-`, `_` and `.`.
    pub fn from_location(location: &str) -> Option<Self> {
        let path = location.split(['?', '#']).next()?;
        let (_, after) = path.rsplit_once("/operations/")?;
        let id = after.trim_end_matches('/');
        let plain = !id.is_empty()
            && id.len() <= 128
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        plain.then(|| Self(id.to_owned()))
    }
}

/// [`OperationId::short`] for an id held as text.
pub fn short_id(id: &str) -> String {
    let count = id.chars().count();
    if count > 8 && id.bytes().all(|b| b.is_ascii_digit()) {
        id.chars().skip(count - 8).collect()
    } else {
        id.chars().take(8).collect()
    }
}
