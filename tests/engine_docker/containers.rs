//! Containers on the real engine: limits, readiness, OOM, removal by scope and the failures
//! of a start; each test in its own `Scope` (see `engine_docker.rs`).

use std::path::Path;
use std::time::{Duration, Instant};

use bench::engine::{Containers, Engine, EngineError, RunIdentity, cpu_percent};

use crate::{
    BASE_IMAGE, FIXTURES, Scope, common, dockerfile_only, free_port, http_get, inspect, request,
    server_image,
};
#[tokio::test]
async fn a_started_container_has_the_limits_serves_and_is_removed() {
    if !common::docker::available() {
        return;
    }
    let scope = Scope::new("serve");
    let engine = scope.engine().await;
    let image = server_image(&engine).await;
    let containers = Containers::new();
    let port = free_port();
    let mut spec = scope.spec(&image, &[("PORT", port.to_string())], 256 << 20);
    spec.cpuset = Some("0".to_string());
    spec.nano_cpus = 500_000_000;

    let id = containers.start(&engine, &spec).await.unwrap();
    assert_eq!(inspect(&id, "{{.HostConfig.NanoCpus}}"), "500000000");
    assert_eq!(inspect(&id, "{{.HostConfig.Memory}}"), (256u64 << 20).to_string());
    assert_eq!(inspect(&id, "{{.HostConfig.MemorySwap}}"), (256u64 << 20).to_string());
    assert_eq!(inspect(&id, "{{.HostConfig.CpusetCpus}}"), "0");
    assert_eq!(inspect(&id, "{{.HostConfig.NetworkMode}}"), "host");
    assert_eq!(inspect(&id, "{{.HostConfig.AutoRemove}}"), "false");
    assert_eq!(inspect(&id, "{{index .Config.Labels \"bench\"}}"), "1");
    assert_eq!(inspect(&id, "{{index .Config.Labels \"bench.test\"}}"), "engine");
    // Containers names it after the spec and this run, and labels it with the run's identity.
    let me = RunIdentity::current();
    assert_eq!(inspect(&id, "{{.Name}}"), format!("/{}", me.container_name(&spec.name)));
    assert_eq!(inspect(&id, "{{index .Config.Labels \"bench.pid\"}}"), me.pid.to_string());
    assert_eq!(inspect(&id, "{{index .Config.Labels \"bench.run\"}}"), me.run_id);

    engine.wait_ready(&id, port, Duration::from_secs(30)).await.unwrap();
    let response = http_get(port);
    assert!(response.starts_with("HTTP/1.1 200 OK") && response.ends_with("ok"), "{response}");
    assert!(engine.logs(&id).await.unwrap().contains(&format!("listening on 127.0.0.1:{port}")));

    let state = engine.state(&id).await.unwrap();
    assert!(state.running && state.exit_code.is_none() && !state.oom_killed, "{state:?}");
    let before = engine.stats_sample(&id).await.unwrap();
    for _ in 0..50 {
        http_get(port);
    }
    let after = engine.stats_sample(&id).await.unwrap();
    assert!(after.cpu_total_ns > before.cpu_total_ns, "{before:?} {after:?}");
    assert!(after.memory_bytes > 1 << 20 && after.memory_bytes < 256 << 20, "{after:?}");
    let cpu = cpu_percent(&before, &after).expect("host CPU time passed");
    assert!(cpu > 0.0 && cpu <= 100.0 * f64::from(after.online_cpus), "{cpu}");

    let versions = engine.read_file(&id, "/bench/versions.txt").await.unwrap();
    assert_eq!(versions, std::fs::read(Path::new(FIXTURES).join("versions.txt")).unwrap());
    let missing = engine.read_file(&id, "/bench/nope.txt").await.unwrap_err();
    assert!(matches!(missing, EngineError::FileNotFound { .. }), "{missing:?}");

    containers.remove(&engine, &id).await.unwrap();
    assert!(containers.live().is_empty());
    engine.remove(&id).await.expect("removing a removed container is fine");
    scope.assert_clean();
}

/// Runs a server container with `env` in a `Containers::scoped` block, waits for `port`,
/// and gives the outcome and how long the wait took; the container is removed after.
async fn timed_wait_ready(
    scope: &Scope,
    env: &[(&str, String)],
    port: u16,
    timeout: Duration,
) -> (Result<(), EngineError>, Duration) {
    let engine = scope.engine().await;
    let image = server_image(&engine).await;
    let containers = Containers::new();
    let spec = scope.spec(&image, env, 128 << 20);
    let outcome = containers
        .scoped(&engine, &spec, |id| {
            let engine = &engine;
            async move {
                let started = Instant::now();
                (engine.wait_ready(&id, port, timeout).await, started.elapsed())
            }
        })
        .await
        .unwrap();
    assert!(containers.live().is_empty());
    scope.assert_clean();
    outcome
}

#[tokio::test]
async fn wait_ready_fails_fast_with_the_log_tail_when_the_command_exits() {
    if !common::docker::available() {
        return;
    }
    let scope = Scope::new("exits");
    let env = [("PORT", "not-a-port".to_string())];
    let (result, waited) =
        timed_wait_ready(&scope, &env, free_port(), Duration::from_secs(60)).await;
    assert!(waited < Duration::from_secs(15), "took {waited:?}");
    match result {
        Err(EngineError::ContainerExited { exit_code, oom_killed, log_tail, .. }) => {
            assert_eq!(exit_code, 1);
            assert!(!oom_killed);
            assert!(
                log_tail.iter().any(|l| l.contains("ValueError") && l.contains("not-a-port")),
                "{log_tail:?}"
            );
        }
        other => panic!("expected ContainerExited, got {other:?}"),
    }
}

#[tokio::test]
async fn wait_ready_times_out_when_nothing_listens() {
    if !common::docker::available() {
        return;
    }
    let scope = Scope::new("silent");
    let port = free_port();
    let env = [("PORT", port.to_string()), ("DELAY", "60".to_string())];
    let (result, waited) = timed_wait_ready(&scope, &env, port, Duration::from_millis(1500)).await;
    assert!(
        matches!(result, Err(EngineError::NotReady { port: p, .. }) if p == port),
        "{result:?}"
    );
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_secs(10),
        "took {waited:?}"
    );
}

#[tokio::test]
async fn a_container_over_its_memory_limit_is_reported_oom_killed() {
    if !common::docker::available() {
        return;
    }
    let scope = Scope::new("oom");
    let engine = scope.engine().await;
    let image = server_image(&engine).await;
    let containers = Containers::new();
    let port = free_port();
    let spec = scope.spec(
        &image,
        &[("PORT", port.to_string()), ("ALLOC_MB", "200".to_string())],
        32 << 20,
    );
    let id = containers.start(&engine, &spec).await.unwrap();
    let err = engine.wait_ready(&id, port, Duration::from_secs(30)).await.unwrap_err();
    assert!(
        matches!(err, EngineError::ContainerExited { oom_killed: true, exit_code: 137, .. }),
        "{err:?}"
    );
    assert!(err.help().unwrap().contains("memory"));
    let state = engine.state(&id).await.unwrap();
    assert!(state.oom_killed && !state.running && state.exit_code == Some(137), "{state:?}");
    containers.remove_all(&engine).await;
    scope.assert_clean();
}

#[tokio::test]
async fn remove_all_labelled_removes_running_and_stopped_containers_of_its_scope() {
    if !common::docker::available() {
        return;
    }
    let scope = Scope::new("sweep");
    let engine = scope.engine().await;
    let image = server_image(&engine).await;
    let other = Scope::new("sweep-other");
    let other_engine = other.engine().await;
    let running = engine
        .start(&scope.spec(&image, &[("PORT", free_port().to_string())], 128 << 20))
        .await
        .unwrap();
    let stopped =
        engine.start(&scope.spec(&image, &[("PORT", "x".to_string())], 128 << 20)).await.unwrap();
    let bystander = other_engine
        .start(&other.spec(&image, &[("PORT", "x".to_string())], 128 << 20))
        .await
        .unwrap();
    assert_eq!(scope.leftovers().len(), 2);

    assert_eq!(engine.remove_all_labelled().await.unwrap(), 2);
    scope.assert_clean();
    // Another scope's container is untouched.
    assert_eq!(other.leftovers().len(), 1);
    for id in [&running, &stopped] {
        assert!(matches!(engine.state(id).await, Err(EngineError::Gone { .. })));
    }
    other_engine.remove(&bystander).await.unwrap();
    other.assert_clean();
}

#[tokio::test]
async fn start_failures_leave_no_container() {
    if !common::docker::available() {
        return;
    }
    let scope = Scope::new("badstart");
    let engine = scope.engine().await;
    let image = server_image(&engine).await;
    let containers = Containers::new();

    // Refused at create.
    let mut spec = scope.spec(&image, &[("PORT", free_port().to_string())], 128 << 20);
    spec.cpuset = Some("999".to_string());
    let err = containers.start(&engine, &spec).await.unwrap_err();
    assert!(
        matches!(&err, EngineError::Rejected { detail, status: 400, .. } if detail.contains("999")),
        "{err:?}"
    );
    let missing = containers
        .start(&engine, &scope.spec("bench-enginetest-no-such-image:x", &[], 128 << 20))
        .await;
    assert!(missing.unwrap_err().to_string().contains("no-such-image"));

    // Created, then refused at start: the command cannot run, and the created container is
    // removed too.
    let broken = scope.image_tag("bench-enginetest-nobinary");
    let dockerfile = format!("FROM {BASE_IMAGE}\nCMD [\"/no/such/binary\"]\n");
    let logs = tempfile::tempdir().unwrap();
    engine.build(request(&broken, dockerfile_only(dockerfile), logs.path())).await.unwrap();
    let spec = scope.spec(&broken, &[], 128 << 20);
    let err = containers.start(&engine, &spec).await.unwrap_err();
    assert!(
        matches!(&err, EngineError::NotRunnable { action, detail, .. } if action.starts_with("start") && detail.contains("/no/such/binary")),
        "{err:?}"
    );
    assert!(containers.live().is_empty());
    scope.assert_clean();
}
