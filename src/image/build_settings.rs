use std::path::PathBuf;

/// How this host builds images, independent of any cell: where pip finds its packages and
/// which CA it trusts. `Default` is a build with no CA bundle and PyPI's default index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildSettings {
    /// A PEM bundle (e.g. the host's `/etc/ssl/certs/ca-certificates.crt`) copied into the
    /// build context as `bench/ca.pem`; the pip steps trust it (`PIP_CERT`). Needed where
    /// outbound TLS goes through an intercepting proxy: pip fails there with
    /// CERTIFICATE_VERIFY_FAILED without it.
    pub ca_bundle: Option<PathBuf>,
    /// `PIP_INDEX_URL` for the pip steps (a mirror); `None` keeps pip's default.
    pub pip_index_url: Option<String>,
    /// `PIP_EXTRA_INDEX_URL` for the pip steps; `None` for none.
    pub pip_extra_index_url: Option<String>,
}
