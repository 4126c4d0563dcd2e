//! `DOCKER_HOST` is honoured in the forms bollard speaks here and refused clearly in the
//! others, never silently replaced by the default socket. Runs `bench sweep`, the smallest
//! command that connects.

mod common;

fn sweep_with(docker_host: &str, tls_verify: Option<&str>) -> (i32, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_bench"));
    command.arg("sweep").env("DOCKER_HOST", docker_host).env("NO_COLOR", "1");
    match tls_verify {
        Some(v) => command.env("DOCKER_TLS_VERIFY", v),
        None => command.env_remove("DOCKER_TLS_VERIFY"),
    };
    let out = command.output().expect("run bench sweep");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn an_unreachable_tcp_host_is_tried_not_ignored() {
    // Nothing listens on port 1: the error names the host it tried.
    let (status, stderr) = sweep_with("tcp://127.0.0.1:1", None);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("cannot reach the Docker engine"), "{stderr}");
    assert!(stderr.contains("127.0.0.1:1"), "{stderr}");
}

#[test]
fn tls_and_ssh_hosts_are_refused_with_what_to_do() {
    for (host, tls) in [
        ("https://127.0.0.1:2376", None),
        ("tcp://127.0.0.1:2376", Some("1")),
        ("ssh://user@host", None),
    ] {
        let (status, stderr) = sweep_with(host, tls);
        assert_eq!(status, 1, "{host}: {stderr}");
        assert!(stderr.contains(&format!("DOCKER_HOST={host} is not supported")), "{stderr}");
        assert!(stderr.contains("help:"), "{stderr}");
    }
}

#[test]
fn a_unix_socket_host_is_used() {
    if !common::docker::available() {
        return;
    }
    let (status, stderr) = sweep_with("unix:///var/run/docker.sock", None);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.starts_with("bench sweep: "), "{stderr}");
    let (status, stderr) = sweep_with("unix:///nonexistent/docker.sock", None);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("/nonexistent/docker.sock"), "{stderr}");
}
