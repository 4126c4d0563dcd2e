//! The container registry (`Containers`, `until_interrupted`) and the `FakeEngine` scripts,
//! without Docker.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use bench::engine::fake::{FakeCall, FakeEngine, FakeOutcome};
use bench::engine::{
    BuildRequest, ContainerSpec, Containers, Engine, EngineError, EngineFacts, MAKEABLE_BASE_IMAGE,
    until_interrupted,
};
use bench::image::BuildContext;

fn spec(image: &str, name: &str) -> ContainerSpec {
    ContainerSpec {
        image: image.to_string(),
        name: name.to_string(),
        env: vec![("PORT".to_string(), "8000".to_string())],
        nano_cpus: 1_000_000_000,
        cpuset: None,
        memory_bytes: 512 << 20,
        labels: BTreeMap::new(),
        cap_add: Vec::new(),
    }
}

fn build_request(tag: &str, dir: &tempfile::TempDir) -> BuildRequest {
    BuildRequest {
        tag: tag.to_string(),
        base_image: "base".to_string(),
        context: BuildContext::new("FROM base\n", Vec::new()),
        labels: BTreeMap::new(),
        log_path: dir.path().join("logs").join(format!("{tag}.log")),
    }
}

#[tokio::test]
async fn scoped_removes_the_container_whatever_the_body_returns() {
    let engine = FakeEngine::new().with_image("img");
    let containers = Containers::new();
    let ok: Result<Result<u32, String>, EngineError> = containers
        .scoped(&engine, &spec("img", "a"), |id| {
            let live = engine.live();
            async move {
                assert_eq!(live, vec![id]);
                Ok(7)
            }
        })
        .await;
    assert_eq!(ok.unwrap(), Ok(7));
    let failed: Result<Result<u32, String>, EngineError> = containers
        .scoped(&engine, &spec("img", "b"), |_| async { Err("load failed".to_string()) })
        .await;
    assert_eq!(failed.unwrap(), Err("load failed".to_string()));
    assert!(engine.live().is_empty(), "left: {:?}", engine.live());
    assert!(containers.live().is_empty());
    let removes = engine.calls().into_iter().filter(|c| matches!(c, FakeCall::Remove(_))).count();
    assert_eq!(removes, 2);
}

#[tokio::test]
async fn a_failed_start_leaves_nothing_tracked() {
    let engine = FakeEngine::new()
        .with_image("bad")
        .with_outcome("bad", FakeOutcome::StartFails { message: "invalid cpuset".to_string() });
    let containers = Containers::new();
    let err = containers.start(&engine, &spec("bad", "c")).await.unwrap_err();
    assert!(err.to_string().contains("invalid cpuset"), "{err}");
    let missing = containers.start(&engine, &spec("no-such-image", "d")).await.unwrap_err();
    assert!(missing.to_string().contains("No such image"), "{missing}");
    assert!(containers.live().is_empty());
    assert!(engine.live().is_empty());
}

#[tokio::test]
async fn an_interrupt_drops_the_work_and_removes_every_tracked_container() {
    let engine = FakeEngine::new().with_image("img");
    let containers = Containers::new();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let work = async {
        containers.start(&engine, &spec("img", "one")).await.unwrap();
        containers.start(&engine, &spec("img", "two")).await.unwrap();
        started_tx.send(()).unwrap();
        std::future::pending::<()>().await; // a load that would run forever
    };
    let interrupt = async {
        started_rx.await.unwrap();
    };
    let result = tokio::time::timeout(
        Duration::from_secs(5),
        until_interrupted(&engine, &containers, work, interrupt),
    )
    .await
    .expect("until_interrupted must return once interrupted");
    match result {
        Err(EngineError::Interrupted { removed, failed }) => {
            assert_eq!(removed, 2);
            assert!(failed.is_empty());
        }
        other => panic!("expected Interrupted, got {other:?}"),
    }
    assert!(engine.live().is_empty(), "left: {:?}", engine.live());
    assert!(containers.live().is_empty());
}

#[tokio::test]
async fn without_an_interrupt_the_work_result_comes_back() {
    let engine = FakeEngine::new();
    let containers = Containers::new();
    let result =
        until_interrupted(&engine, &containers, async { 42 }, std::future::pending()).await;
    assert_eq!(result.unwrap(), 42);
    assert!(engine.calls().is_empty());
}

#[tokio::test]
async fn build_outcomes_follow_the_script_and_write_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let tail = vec![
        "Step 2/3 : RUN pip install nope".to_string(),
        "ERROR: No matching distribution".to_string(),
    ];
    let engine = FakeEngine::new().with_outcome(
        "broken",
        FakeOutcome::BuildFails {
            message: "returned a non-zero code: 1".to_string(),
            log_tail: tail.clone(),
        },
    );
    let no_base = engine.build(build_request("good", &dir)).await.unwrap_err();
    assert!(
        matches!(&no_base, EngineError::BaseImageMissing { name } if name == "base"),
        "{no_base:?}"
    );
    let engine = engine.with_image("base");
    assert_eq!(engine.image_id("good").await.unwrap(), None);
    let built = engine.build(build_request("good", &dir)).await.unwrap();
    assert_eq!(engine.image_id("good").await.unwrap(), Some(built.id));
    assert!(std::fs::read_to_string(dir.path().join("logs/good.log")).unwrap().contains("good"));
    match engine.build(build_request("broken", &dir)).await {
        Err(EngineError::BuildFailed { message, log_tail, log_path, .. }) => {
            assert_eq!(message, "returned a non-zero code: 1");
            assert_eq!(log_tail, tail);
            assert_eq!(log_path, dir.path().join("logs/broken.log"));
        }
        other => panic!("expected BuildFailed, got {other:?}"),
    }
    assert_eq!(engine.image_id("broken").await.unwrap(), None);
}

#[tokio::test]
async fn readiness_outcomes_follow_the_script() {
    let engine = FakeEngine::new()
        .with_image("exits")
        .with_image("silent")
        .with_image("hog")
        .with_outcome(
            "exits",
            FakeOutcome::ExitsBeforeReady {
                exit_code: 2,
                log_tail: vec!["usage: app".to_string()],
            },
        )
        .with_outcome("silent", FakeOutcome::NeverReady)
        .with_outcome("hog", FakeOutcome::OomKilled);
    let timeout = Duration::from_secs(30);

    let id = engine.start(&spec("exits", "e")).await.unwrap();
    let err = engine.wait_ready(&id, 8000, timeout).await.unwrap_err();
    assert_eq!(err.log_tail(), ["usage: app".to_string()]);
    assert!(
        matches!(err, EngineError::ContainerExited { exit_code: 2, oom_killed: false, .. }),
        "{err:?}"
    );
    assert_eq!(engine.state(&id).await.unwrap().exit_code, Some(2));

    let id = engine.start(&spec("silent", "s")).await.unwrap();
    let err = engine.wait_ready(&id, 8001, timeout).await.unwrap_err();
    assert!(matches!(err, EngineError::NotReady { port: 8001, .. }), "{err:?}");
    assert!(engine.state(&id).await.unwrap().running);

    let id = engine.start(&spec("hog", "h")).await.unwrap();
    engine.wait_ready(&id, 8002, timeout).await.unwrap();
    let state = engine.state(&id).await.unwrap();
    assert!(state.oom_killed && !state.running, "{state:?}");

    assert_eq!(engine.live().len(), 3);
}

#[tokio::test]
async fn names_are_unique_among_live_containers_and_remove_accepts_names() {
    let engine = FakeEngine::new().with_image("img").with_file(
        "img",
        "/bench/versions.txt",
        b"flask==3.1.0\n",
    );
    let id = engine.start(&spec("img", "same")).await.unwrap();
    assert!(
        engine
            .start(&spec("img", "same"))
            .await
            .unwrap_err()
            .to_string()
            .contains("already in use")
    );
    assert_eq!(engine.read_file(&id, "/bench/versions.txt").await.unwrap(), b"flask==3.1.0\n");
    assert!(matches!(engine.read_file(&id, "/nope").await, Err(EngineError::FileNotFound { .. })));
    engine.remove(&bench::engine::ContainerId("same".to_string())).await.unwrap();
    assert!(engine.live().is_empty());
    // Removing what is gone is fine, as with Docker.
    engine.remove(&id).await.unwrap();
}

#[tokio::test]
async fn a_failing_base_image_script_is_reported_with_its_output() {
    let script = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/engine/failing-base-image.sh"
    ));
    let err =
        bench::engine::run_base_image_script(&script, "debian:bookworm-slim").await.unwrap_err();
    match &err {
        EngineError::BaseImageScript { name, detail, output_tail, .. } => {
            assert_eq!(name, "debian:bookworm-slim");
            assert!(detail.contains("exit status: 2"), "{detail}");
            assert_eq!(
                output_tail[0],
                "debootstrapping bookworm (minbase) for debian:bookworm-slim ..."
            );
            assert!(output_tail[1].contains("Failed getting release file"), "{output_tail:?}");
        }
        other => panic!("expected BaseImageScript, got {other:?}"),
    }
    assert!(err.help().unwrap().contains("debootstrap"));

    let missing = bench::engine::run_base_image_script(&PathBuf::from("/nonexistent/make.sh"), "x")
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("the script is not there"), "{missing}");
}

#[tokio::test]
async fn engine_facts_probe_the_cpus_once_and_ask_the_version_again_after_a_hiccup() {
    // A Docker-in-Docker engine with CPUs of its own, unreachable for one call.
    let engine = FakeEngine::new().with_cpus(&[6, 7]).with_version_failures(1);
    let containers = Containers::new();
    let facts = EngineFacts::read(&engine, &containers, &["debian:bookworm-slim"]).await;
    assert_eq!(facts.version.as_deref(), Some("fake-1.0"));
    assert_eq!(facts.cpus, Some(vec![6, 7]));
    assert!(facts.warnings.is_empty(), "{:?}", facts.warnings);
    let calls = engine.calls();
    assert_eq!(calls[..2], [FakeCall::Version, FakeCall::Version]);
    let probes: Vec<_> = calls.iter().filter(|c| matches!(c, FakeCall::Cpus(_))).collect();
    assert_eq!(probes, [&FakeCall::Cpus("debian:bookworm-slim".into())], "{calls:?}");
    assert!(containers.live().is_empty(), "the probe is not left tracked");

    // Gone for longer: the version stays unknown after one more try, and says why; a probe
    // that finds no CPUs leaves the placement to bench's own.
    let engine = FakeEngine::new().with_cpus(&[]).with_version_failures(2);
    let facts = EngineFacts::read(&engine, &containers, &["base"]).await;
    assert_eq!((facts.version, facts.cpus), (None, None));
    assert_eq!(facts.warnings.len(), 2, "{:?}", facts.warnings);
    assert!(facts.warnings[0].contains("cannot reach the Docker engine"), "{:?}", facts.warnings);
    assert!(facts.warnings[1].contains("as if they were the CPUs bench runs on"));
    let versions = engine.calls().iter().filter(|c| **c == FakeCall::Version).count();
    assert_eq!(versions, 2, "asked once more, not more");
}

#[tokio::test]
async fn the_cpu_probe_uses_a_base_image_the_engine_has_else_the_makeable_one_and_none_without_cells()
 {
    let probed = |engine: &FakeEngine| -> Vec<FakeCall> {
        engine.calls().into_iter().filter(|c| matches!(c, FakeCall::Cpus(_))).collect()
    };
    let containers = Containers::new();
    // The first cell's base is missing (it could not be made here); the second's is present.
    let engine = FakeEngine::new().with_image("python:3.12-slim");
    EngineFacts::read(&engine, &containers, &["mine:missing", "python:3.12-slim"]).await;
    assert_eq!(probed(&engine), [FakeCall::Cpus("python:3.12-slim".into())]);
    // None present: the base image bench can make.
    let engine = FakeEngine::new();
    EngineFacts::read(&engine, &containers, &["mine:missing"]).await;
    assert_eq!(probed(&engine), [FakeCall::Cpus(MAKEABLE_BASE_IMAGE.into())]);
    // Nothing to run: no probe, no warning, the version still read.
    let engine = FakeEngine::new();
    let facts = EngineFacts::read(&engine, &containers, &[]).await;
    assert!(probed(&engine).is_empty() && facts.warnings.is_empty(), "{:?}", facts.warnings);
    assert_eq!((facts.version.as_deref(), facts.cpus), (Some("fake-1.0"), None));
}
