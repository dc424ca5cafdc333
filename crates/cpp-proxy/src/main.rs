//! cpp-proxy: a CORS proxy for the Cloud Partner Portal API, or (`--simulate`) a simulator
//! of it. Logging, configuration, bind, serve until Ctrl-C or SIGTERM.

use clap::Parser;
use cpp_proxy::{app, config::Args, AppState};
use tracing_subscriber::EnvFilter;

// The request path allocates many small things (headers, bodies, strings): mimalloc keeps
// that cheap under load, which the p99 at the same load as nginx reflects (docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colour only on a terminal: log files and collectors get plain text.
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    if args.log_json {
        subscriber.json().init();
    } else {
        subscriber.init();
    }
    let state = match AppState::from_args(&args).await {
        Ok(state) => state,
        Err(e) => {
            eprintln!("cpp-proxy: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cpp-proxy: cannot listen on {}: {e}", args.listen);
            return std::process::ExitCode::from(2);
        }
    };
    if let Ok(addr) = listener.local_addr() {
        state.listening_on(addr);
    }
    let local = listener
        .local_addr()
        .map_or_else(|_| args.listen.to_string(), |a| a.to_string());
    tracing::info!(
        listen = %local,
        mode = state.mode(),
        upstream = %args.upstream,
        sign_in = state.signs_in(),
        "cpp-proxy ready"
    );
    // Installed before the address is announced: whoever reads it may signal at once.
    let shutdown = cpp_proxy::shutdown_signal();
    // Scripts read this line to learn the port when listening on :0.
    println!("listening on http://{local}");
    let limits = cpp_proxy::serve::Limits::from_args(&args);
    cpp_proxy::serve::serve(listener, app(state), limits, shutdown).await;
    tracing::info!("cpp-proxy stopped");
    std::process::ExitCode::SUCCESS
}
