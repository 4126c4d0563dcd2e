//! `bench load URL`: the load generator on its own, like wrk (closed loop) or wrk2 (`-R`).

use std::process::ExitCode;
use std::time::Duration;

use super::CliError;
use crate::load::{self, HttpClient, LoadConfig, LoadError};
use crate::model::values::parse_duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Target, e.g. http://127.0.0.1:8080/
    pub url: String,
    /// Connections to keep open.
    #[arg(short = 'c', long, default_value_t = 10)]
    pub connections: u32,
    /// Generator threads.
    #[arg(short = 't', long, default_value_t = 2)]
    pub threads: u32,
    /// How long to measure ("10s", "500ms"; a bare number is seconds).
    #[arg(short = 'd', long, default_value = "10s", value_parser = parse_duration)]
    pub duration: Duration,
    /// Open loop: total requests per second (wrk2's -R); latency is then also measured
    /// from each request's intended send time.
    #[arg(short = 'R', long)]
    pub rate: Option<u64>,
    /// Deadline of one request ("2s", "500ms").
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Extra request header, 'Name: value' (repeatable).
    #[arg(short = 'H', long = "header", value_parser = parse_header)]
    pub headers: Vec<(String, String)>,
    /// Pin generator threads to these CPUs, round robin (e.g. 0,1).
    #[arg(long, value_delimiter = ',')]
    pub cpus: Option<Vec<usize>>,
    /// HTTP/1.1 client: bench's own lean exchange, or hyper's client connection (the
    /// reference, about 3x the CPU per request).
    #[arg(long, value_enum, default_value_t = HttpClient::default())]
    pub client: HttpClient,
    /// Print the summary as JSON (schemas/load-summary.schema.json) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `--client`, for `bench load` and `bench run`: clap stays in `cli`, the library type only
/// names its values.
impl clap::ValueEnum for HttpClient {
    fn value_variants<'a>() -> &'a [Self] {
        &HttpClient::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let help = match self {
            HttpClient::Lean => {
                "bench's own exchange: prebuilt request bytes, responses framed in a reused buffer"
            }
            HttpClient::Hyper => "hyper's client connection: the reference to cross-check against",
        };
        Some(clap::builder::PossibleValue::new(self.name()).help(help))
    }
}

fn parse_header(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.trim().to_string()))
        }
        _ => Err(format!("`{text}` is not a header; write it as 'Name: value'")),
    }
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    let config = LoadConfig {
        url: args.url,
        connections: args.connections,
        threads: args.threads,
        duration: args.duration,
        rate: args.rate,
        timeout: args.timeout,
        headers: args.headers,
        cpus: args.cpus,
        progress: None,
        client: args.client,
        drain: false,
    };
    let summary = load::run(&config).map_err(to_cli_error)?;
    if args.json {
        let json = serde_json::to_string_pretty(&summary).map_err(|err| {
            CliError::other(format!("cannot write the summary as JSON: {err}"), None)
        })?;
        println!("{json}");
        for warning in &summary.warnings {
            eprintln!("warning: {warning}");
        }
    } else {
        print!("{}", load::render_text(&summary));
    }
    if summary.connections_not_opened > 0 {
        // The figures stand, but for fewer connections than asked: a script must notice.
        let open = u64::from(summary.connections) - summary.connections_not_opened;
        return Err(CliError::other(
            format!(
                "only {open} of the {} connections could be opened (out of files); the \
                 figures above are for {open}",
                summary.connections
            ),
            Some(OUT_OF_FILES_HELP.to_string()),
        ));
    }
    Ok(ExitCode::SUCCESS)
}

const OUT_OF_FILES_HELP: &str =
    "raise the open-files limit (ulimit -n; past the hard limit only as root) or lower -c";

fn to_cli_error(err: LoadError) -> CliError {
    let message = err.to_string();
    match err {
        LoadError::BadUrl { .. } => {
            CliError::usage(message, Some("give a URL like http://127.0.0.1:8080/".to_string()))
        }
        LoadError::BadHeader { .. } | LoadError::BadConfig(_) => CliError::usage(message, None),
        LoadError::Resolve { .. } | LoadError::Connect { .. } => CliError::other(
            message,
            Some("start the server first, or check the host and port in the URL".to_string()),
        ),
        LoadError::Pin { .. } => CliError::usage(
            message,
            Some("list CPUs this machine has (see `nproc`), e.g. --cpus 0".to_string()),
        ),
        LoadError::OutOfFiles { .. } => {
            CliError::other(message, Some(OUT_OF_FILES_HELP.to_string()))
        }
        LoadError::Thread(_) | LoadError::ThreadPanicked | LoadError::SetupTimedOut { .. } => {
            CliError::other(message, None)
        }
    }
}
