//! The proxy's store: sessions, login transactions and the audit (and the watcher's state),
//! in SQLite by default or in PostgreSQL when several replicas share it. One schema serves
//! both (`migrations/`), through sqlx's `Any` driver; queries use `$1`-style parameters,
//! which both backends read.

mod audit;
mod sessions;
mod watch;

pub use audit::{AuditQuery, AuditRow};
pub use sessions::{LoginTransaction, SessionRow};
pub use watch::{ChannelRow, DeliveryRow, EventRow, Lease, OfferRow, RunChange, RunRow};

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};

/// Where the store is: `sqlite:PATH` or `postgres://…`.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL database (the URL may hold a password: never shown).
    Postgres(String),
}

impl StoreUrl {
    /// Parses `sqlite:PATH` (also `sqlite://PATH`) or `postgres://…` (`postgresql://…`).
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                return Err(StoreError::Url(
                    "sqlite: needs a file's path, like sqlite:/var/lib/cpp-proxy/state.db".into(),
                ));
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        Err(StoreError::Url(format!(
            "{} is neither sqlite:PATH nor postgres://…",
            redacted(url)
        )))
    }

    /// The default: `state.db` in the proxy's state folder.
    pub fn in_folder(folder: &Path) -> Self {
        Self::Sqlite(folder.join("state.db"))
    }
}

/// A URL as it may be shown: a password in it is replaced.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:<redacted>{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl std::fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            Self::Postgres(url) => f.write_str(&redacted(url)),
        }
    }
}

impl std::fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoreUrl({self})")
    }
}

/// Why the store cannot be used; each names the store, never its password.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `--store` is not a URL the proxy knows.
    #[error("--store: {0}")]
    Url(String),
    /// The store could not be opened, read or brought up to date.
    #[error("cannot use the store {store}: {reason}")]
    Open {
        /// The store, as it may be shown.
        store: String,
        /// What went wrong.
        reason: String,
    },
    /// A query failed.
    #[error("the store failed: {0}")]
    Query(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        Self::Query(e.to_string())
    }
}

/// The store.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    url: StoreUrl,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({})", self.url)
    }
}

/// The migrations, compiled in.
#[derive(Debug)]
struct Embedded;

const MIGRATIONS: [(i64, &str, &str); 3] = [
    (
        1,
        "sign in",
        include_str!("../../migrations/0001_sign_in.sql"),
    ),
    (
        2,
        "watcher",
        include_str!("../../migrations/0002_watcher.sql"),
    ),
    (
        3,
        "history",
        include_str!("../../migrations/0003_history.sql"),
    ),
];

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> futures_core::future::BoxFuture<'s, Result<Vec<Migration>, sqlx::error::BoxDynError>> {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, description, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

impl Store {
    /// Opens the store, creating a SQLite file (and its folder, private to the proxy's user)
    /// when there is none, checks that it can be read, and brings its schema up to date.
    pub async fn open(url: &StoreUrl) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let open_error = |reason: String| StoreError::Open {
            store: url.to_string(),
            reason,
        };
        let connect = match url {
            StoreUrl::Sqlite(path) => {
                if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    create_private_folder(folder).map_err(|e| {
                        open_error(format!("cannot create {}: {e}", folder.display()))
                    })?;
                }
                format!("sqlite://{}?mode=rwc", path.display())
            }
            StoreUrl::Postgres(url) => url.clone(),
        };
        let options: AnyConnectOptions = connect
            .parse()
            .map_err(|e: sqlx::Error| open_error(e.to_string()))?;
        let sqlite = matches!(url, StoreUrl::Sqlite(_));
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 8 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // WAL lets readers go on while one writes; a writer waits up to
                        // five seconds for another instead of failing at once.
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| open_error(e.to_string()))?;
        if sqlite {
            let check: (String,) = sqlx::query_as("PRAGMA quick_check")
                .fetch_one(&pool)
                .await
                .map_err(|e| open_error(e.to_string()))?;
            if check.0 != "ok" {
                return Err(open_error(format!("the file is damaged ({})", check.0)));
            }
        }
        Migrator::new(Embedded)
            .await
            .map_err(|e| open_error(e.to_string()))?
            .run(&pool)
            .await
            .map_err(|e| open_error(e.to_string()))?;
        Ok(Self {
            pool,
            url: url.clone(),
        })
    }

    /// Answers when the store does.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Where the store is, as it may be shown.
    pub fn url(&self) -> &StoreUrl {
        &self.url
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

fn create_private_folder(folder: &Path) -> std::io::Result<()> {
    if folder.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(folder)
}

/// Now, in Unix milliseconds, the store's unit of time.
pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_and_never_show_a_password() {
        assert_eq!(
            StoreUrl::parse("sqlite:/var/lib/x/state.db").expect("valid"),
            StoreUrl::Sqlite("/var/lib/x/state.db".into())
        );
        assert_eq!(
            StoreUrl::parse("sqlite:///tmp/s.db").expect("valid"),
            StoreUrl::Sqlite("/tmp/s.db".into())
        );
        assert!(StoreUrl::parse("sqlite::memory:").is_err());
        assert!(StoreUrl::parse("mysql://x").is_err());
        let pg = StoreUrl::parse("postgres://cpp:hunter2@db:5432/cpp").expect("valid");
        for shown in [pg.to_string(), format!("{pg:?}")] {
            assert!(!shown.contains("hunter2"), "{shown}");
            assert!(shown.contains("cpp:<redacted>@db:5432/cpp"), "{shown}");
        }
        let e = StoreUrl::parse("redis://u:hunter2@h")
            .expect_err("refused")
            .to_string();
        assert!(!e.contains("hunter2"), "{e}");
    }
}
