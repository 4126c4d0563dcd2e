//! `DockerEngine::sweep` in real Docker: of the `bench=1` containers, only those whose owning
//! run is provably gone are removed; a live run's, another host's and unlabelled ones stay.
//! Skipped without a Docker engine (see `common::docker::available`).

mod common;

use std::collections::BTreeMap;

use bench::engine::{
    BuildRequest, ContainerId, ContainerSpec, DockerEngine, Engine, RunIdentity, process_start,
};
use bench::image::BuildContext;

const SLEEP_IMAGE: &str = "bench-enginetest-sleep:1";

async fn sleep_image(engine: &DockerEngine) {
    let logs = tempfile::tempdir().unwrap();
    let context =
        BuildContext::new("FROM debian:bookworm-slim\nCMD [\"sleep\", \"infinity\"]\n", Vec::new());
    let request = BuildRequest {
        tag: SLEEP_IMAGE.to_string(),
        base_image: "debian:bookworm-slim".to_string(),
        context,
        labels: BTreeMap::new(),
        log_path: logs.path().join("build.log"),
    };
    engine.build(request).await.unwrap();
}

fn spec(name: String, owner: Option<RunIdentity>) -> ContainerSpec {
    ContainerSpec {
        image: SLEEP_IMAGE.to_string(),
        name,
        env: Vec::new(),
        nano_cpus: 100_000_000,
        cpuset: None,
        memory_bytes: 32 << 20,
        labels: owner.map(|o| o.labels()).unwrap_or_default(),
        cap_add: Vec::new(),
    }
}

#[tokio::test]
async fn sweep_removes_only_containers_of_runs_that_are_gone() {
    if !common::docker::available() {
        return;
    }
    let scope = format!("enginetest-{}-sweep", std::process::id());
    let engine = DockerEngine::connect().await.unwrap().with_scope(&scope);
    sleep_image(&engine).await;
    // Removes this test's containers even when an assertion fails (only its scope's).
    let _cleanup = Cleanup(scope.clone());
    let me = RunIdentity::current();
    let parent = std::os::unix::process::parent_id();
    let owner = |run: &str, host: &str, pid: u32, pid_start: Option<u64>| RunIdentity {
        run_id: run.into(),
        host: host.into(),
        pid,
        pid_start,
    };
    let cases = [
        ("gone", Some(owner("gone", &me.host, u32::MAX - 1, Some(1)))),
        ("reused", Some(owner("reused", &me.host, parent, process_start(parent).map(|s| s + 1)))),
        ("live", Some(owner("live", &me.host, parent, process_start(parent)))),
        ("elsewhere", Some(owner("elsewhere", "another-host", u32::MAX - 1, Some(1)))),
        ("unlabelled", None),
    ];
    let mut ids = Vec::new();
    for (what, owner) in cases {
        ids.push(engine.start(&spec(format!("{scope}-{what}"), owner)).await.unwrap());
    }

    let sweep = engine.sweep().await.unwrap();
    let mut removed: Vec<String> =
        sweep.removed.iter().map(|r| r.split(' ').next().unwrap().to_string()).collect();
    removed.sort();
    assert_eq!(removed, [format!("{scope}-gone"), format!("{scope}-reused")], "{sweep:?}");
    assert_eq!(sweep.live, 1);
    let mut unknown = sweep.unknown.clone();
    unknown.sort();
    assert_eq!(unknown, [format!("{scope}-elsewhere"), format!("{scope}-unlabelled")]);
    assert!(
        sweep.message().unwrap().starts_with("removed 2 container(s) left by runs that are gone")
    );
    let exists = |id: &ContainerId| {
        let out = std::process::Command::new("docker").args(["inspect", id.as_str()]).output();
        out.unwrap().status.success()
    };
    let still: Vec<bool> = ids.iter().map(exists).collect();
    assert_eq!(still, [false, false, true, true, true]);
}

struct Cleanup(String);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let filter = format!("label=bench.scope={}", self.0);
        let listed =
            std::process::Command::new("docker").args(["ps", "-aq", "--filter", &filter]).output();
        let ids = String::from_utf8_lossy(&listed.unwrap().stdout).into_owned();
        let ids: Vec<&str> = ids.split_whitespace().collect();
        if !ids.is_empty() {
            let _ = std::process::Command::new("docker").args(["rm", "-f"]).args(&ids).output();
        }
    }
}
