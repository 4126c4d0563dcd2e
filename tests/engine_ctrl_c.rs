//! A real SIGINT during a run removes the containers the run started. Its own test binary:
//! signals are process-wide. Skipped without a Docker engine (see
//! `common::docker::available`).

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use bench::engine::{
    BuildRequest, ContainerSpec, Containers, DockerEngine, Engine, EngineError, SCOPE_LABEL,
    ctrl_c, until_interrupted,
};
use bench::image::BuildContext;

#[tokio::test]
async fn ctrl_c_removes_every_started_container() {
    if !common::docker::available() {
        return;
    }
    // Installed before anything can raise SIGINT, so the signal never kills the test process.
    let _sigint =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).unwrap();
    let scope = format!("enginetest-{}-ctrlc", std::process::id());
    let engine = DockerEngine::connect().await.unwrap().with_scope(&scope);
    // A container that runs until removed, as a server under load does.
    let image = "bench-enginetest-sleep:1";
    let logs = tempfile::tempdir().unwrap();
    engine
        .build(BuildRequest {
            tag: image.to_string(),
            base_image: "debian:bookworm-slim".to_string(),
            context: BuildContext::new(
                "FROM debian:bookworm-slim\nCMD [\"sleep\", \"infinity\"]\n",
                Vec::new(),
            ),
            labels: BTreeMap::new(),
            log_path: logs.path().join("build.log"),
        })
        .await
        .unwrap();
    let containers = Containers::new();
    let spec = |n: u32| ContainerSpec {
        image: image.to_string(),
        name: format!("{scope}-{n}"),
        env: Vec::new(),
        nano_cpus: 500_000_000,
        cpuset: None,
        memory_bytes: 64 << 20,
        labels: BTreeMap::new(),
        cap_add: Vec::new(),
    };
    let work = async {
        for n in 0..2 {
            containers.start(&engine, &spec(n)).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        // SAFETY: sends SIGINT to this process, whose handler tokio installed above.
        unsafe { libc::kill(libc::getpid(), libc::SIGINT) };
        std::future::pending::<()>().await;
    };
    let result = tokio::time::timeout(
        Duration::from_secs(60),
        until_interrupted(&engine, &containers, work, ctrl_c()),
    )
    .await
    .expect("the interrupt ends the run");
    assert!(
        matches!(result, Err(EngineError::Interrupted { removed: 2, ref failed }) if failed.is_empty()),
        "{result:?}"
    );
    assert!(containers.live().is_empty());
    let left = std::process::Command::new("docker")
        .args([
            "ps",
            "-aq",
            "--filter",
            "label=bench=1",
            "--filter",
            &format!("label={SCOPE_LABEL}={scope}"),
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&left.stdout).trim(), "", "containers left");
}
