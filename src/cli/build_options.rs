use std::path::{Path, PathBuf};

use super::CliError;
use crate::image::BuildSettings;
use crate::model::BuildConfig;

/// Build settings for corporate proxies and mirrors: from the command line, else the
/// environment (`BENCH_CA_BUNDLE`, `BENCH_PIP_INDEX_URL`, `BENCH_PIP_EXTRA_INDEX_URL`),
/// else the matrix's `build { }` block, else the host's CA bundle when the host trusts extra
/// CAs (`SSL_CERT_FILE`, `PIP_CERT`, `REQUESTS_CA_BUNDLE`).
#[derive(clap::Args, Debug, Default)]
pub struct BuildOptions {
    /// PEM CA bundle given to pip inside builds (TLS-intercepting proxies).
    #[arg(long, value_name = "FILE", env = "BENCH_CA_BUNDLE")]
    pub ca_bundle: Option<PathBuf>,
    /// pip index URL used inside builds (a mirror).
    #[arg(long, value_name = "URL", env = "BENCH_PIP_INDEX_URL")]
    pub pip_index_url: Option<String>,
    /// Extra pip index URL used inside builds.
    #[arg(long, value_name = "URL", env = "BENCH_PIP_EXTRA_INDEX_URL")]
    pub pip_extra_index_url: Option<String>,
}

impl BuildOptions {
    pub fn settings(
        &self,
        matrix: &BuildConfig,
        matrix_dir: &Path,
    ) -> Result<BuildSettings, CliError> {
        let from_matrix = matrix.ca_bundle.as_ref().map(|p| matrix_dir.join(p));
        let ca_bundle = self.ca_bundle.clone().or(from_matrix).or_else(|| {
            ["PIP_CERT", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"]
                .iter()
                .filter_map(std::env::var_os)
                .map(PathBuf::from)
                .find(|p| p.is_file())
        });
        if let Some(path) = &ca_bundle
            && !path.is_file()
        {
            return Err(CliError::usage(
                format!("CA bundle {} does not exist", path.display()),
                Some(
                    "give a PEM file, e.g. --ca-bundle /etc/ssl/certs/ca-certificates.crt"
                        .to_string(),
                ),
            ));
        }
        Ok(BuildSettings {
            ca_bundle,
            pip_index_url: self.pip_index_url.clone().or_else(|| matrix.pip_index_url.clone()),
            pip_extra_index_url: self
                .pip_extra_index_url
                .clone()
                .or_else(|| matrix.pip_extra_index_url.clone()),
        })
    }
}
