use bollard::Docker;

use super::engine_error::EngineError;

/// Where the Docker engine is: `DOCKER_HOST` in the forms this build of bollard speaks
/// (`unix://PATH`, `tcp://HOST:PORT`, `http://HOST:PORT`), else the default socket. Forms it
/// cannot speak are refused rather than silently replaced by the default socket: TLS
/// (`https://`, `DOCKER_TLS_VERIFY`) needs bollard's `ssl` feature, which this build leaves
/// out, and `ssh://` its `ssh` feature. Also gives where it connects, for messages.
pub(super) fn connect_from_env() -> Result<(Docker, String), EngineError> {
    let host = std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty());
    let tls = std::env::var("DOCKER_TLS_VERIFY").is_ok_and(|v| !v.is_empty() && v != "0");
    let Some(host) = host else {
        let docker = Docker::connect_with_local_defaults()
            .map_err(|e| EngineError::Unreachable { detail: e.to_string() })?;
        return Ok((docker, "the default socket".to_string()));
    };
    let unsupported = |reason: &str| EngineError::UnsupportedHost {
        host: host.clone(),
        reason: reason.to_string(),
    };
    if host.starts_with("https://") || (tls && host.starts_with("tcp://")) {
        return Err(unsupported("TLS connections (https://, DOCKER_TLS_VERIFY) are not built in"));
    }
    if !["unix://", "tcp://", "http://"].iter().any(|scheme| host.starts_with(scheme)) {
        return Err(unsupported("only unix://, tcp:// and http:// are supported"));
    }
    let docker = Docker::connect_with_host(&host)
        .map_err(|e| EngineError::Unreachable { detail: format!("DOCKER_HOST={host}: {e}") })?;
    Ok((docker, format!("DOCKER_HOST={host}")))
}
