//! `DockerEngine` against the real Docker engine. Every test runs in its own scope
//! (`bench.scope` label), checks at its end that none of its containers is left, and
//! force-removes leftovers on the way out even when it fails. The server image is built once
//! per content hash and kept, as the engine's callers do. Without a Docker engine each test
//! is skipped with one line saying why (or fails, in CI: see `common::docker::available`).
//! Images, the version and the CPU probe are here; containers in `engine_docker/containers.rs`.

mod common;

mod engine_docker {
    pub mod containers;
}

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use bench::engine::{
    BuildRequest, ContainerId, ContainerSpec, Containers, DockerEngine, Engine, EngineError,
    SCOPE_LABEL, until_interrupted,
};
use bench::image::BuildContext;
use sha2::Digest;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/engine/server");
const BASE_IMAGE: &str = "debian:bookworm-slim";

/// One test's containers: a unique scope and name prefix; leftovers are removed on drop.
struct Scope {
    name: String,
    counter: AtomicU32,
    /// Image tags this test makes, removed on drop.
    images: std::sync::Mutex<Vec<String>>,
}

impl Scope {
    fn new(test: &str) -> Self {
        Scope {
            name: format!("enginetest-{}-{}-{test}", std::process::id(), unique()),
            counter: AtomicU32::new(0),
            images: Default::default(),
        }
    }

    async fn engine(&self) -> DockerEngine {
        DockerEngine::connect()
            .await
            .expect("the Docker engine must be running for these tests")
            .with_scope(&self.name)
    }

    fn spec(&self, image: &str, env: &[(&str, String)], memory_bytes: i64) -> ContainerSpec {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        ContainerSpec {
            image: image.to_string(),
            name: format!("{}-{n}", self.name),
            env: env.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
            nano_cpus: 1_000_000_000,
            cpuset: None,
            memory_bytes,
            labels: BTreeMap::from([("bench.test".to_string(), "engine".to_string())]),
            cap_add: Vec::new(),
        }
    }

    /// The containers of this scope, as `docker ps -a` lists them (an oracle independent of bollard).
    fn leftovers(&self) -> Vec<String> {
        docker(&[
            "ps",
            "-aq",
            "--filter",
            "label=bench=1",
            "--filter",
            &format!("label={SCOPE_LABEL}={}", self.name),
        ])
        .lines()
        .map(str::to_string)
        .collect()
    }

    /// A tag for an image of this test, removed when the test ends.
    fn image_tag(&self, repository: &str) -> String {
        let tag = format!("{repository}:{}", self.name);
        self.images.lock().unwrap().push(tag.clone());
        tag
    }

    fn assert_clean(&self) {
        assert_eq!(
            self.leftovers(),
            Vec::<String>::new(),
            "containers left in scope {}",
            self.name
        );
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        for id in self.leftovers() {
            let _ = Command::new("docker").args(["rm", "-f", &id]).output();
        }
        for tag in self.images.lock().unwrap().iter() {
            let _ = Command::new("docker").args(["rmi", tag]).output();
        }
    }
}

fn unique() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn docker(args: &[&str]) -> String {
    let out = Command::new("docker").args(args).output().expect("docker CLI");
    assert!(out.status.success(), "docker {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn inspect(id: &ContainerId, format: &str) -> String {
    docker(&["inspect", "-f", format, id.as_str()])
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn http_get(port: u16) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// A context of just a Dockerfile.
fn dockerfile_only(dockerfile: String) -> BuildContext {
    BuildContext::new(dockerfile, Vec::new())
}

fn server_context() -> BuildContext {
    let read = |f: &str| std::fs::read(Path::new(FIXTURES).join(f)).unwrap();
    let files = ["server.py", "versions.txt"].map(|f| (f.to_string(), read(f))).to_vec();
    BuildContext::new(String::from_utf8(read("Dockerfile")).unwrap(), files)
}

fn request(tag: &str, context: BuildContext, log_dir: &Path) -> BuildRequest {
    BuildRequest {
        tag: tag.to_string(),
        base_image: BASE_IMAGE.to_string(),
        context,
        labels: BTreeMap::from([("bench.test".to_string(), "engine".to_string())]),
        log_path: log_dir.join("build.log"),
    }
}

/// The server image, tagged by the hash of its context and built only if that tag is missing.
async fn server_image(engine: &DockerEngine) -> String {
    static IMAGE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    IMAGE
        .get_or_init(|| async {
            let context = server_context();
            let digest = sha2::Sha256::digest(format!("{context:?}"));
            let tag = format!("bench-enginetest-server:{}", &hex::encode(digest)[..16]);
            if engine.image_id(&tag).await.unwrap().is_none() {
                let logs = tempfile::tempdir().unwrap();
                let built = engine.build(request(&tag, context, logs.path())).await;
                if let Err(e) = &built {
                    panic!("{e}\n{}", e.help().unwrap_or_default());
                }
            }
            tag
        })
        .await
        .clone()
}

#[tokio::test]
async fn build_streams_its_log_and_the_tag_finds_the_image_afterwards() {
    if !common::docker::available() {
        return;
    }
    let scope = Scope::new("build");
    let engine = scope.engine().await;
    let server = server_image(&engine).await; // the apt layer is cached from here on
    let tag = scope.image_tag("bench-enginetest-build");
    let logs = tempfile::tempdir().unwrap();
    assert_eq!(engine.image_id(&tag).await.unwrap(), None);

    let built = engine.build(request(&tag, server_context(), logs.path())).await.unwrap();
    let log = std::fs::read_to_string(logs.path().join("build.log")).unwrap();
    // The labels become a last LABEL step of the classic builder: 5 Dockerfile steps + 1.
    assert!(log.contains("Step 1/6 : FROM debian:bookworm-slim"), "{log}");
    assert!(log.contains("Successfully tagged"), "{log}");
    assert!(built.id.starts_with("sha256:") && built.seconds > 0.0, "{built:?}");
    // Same context, same layers: the image is the server image under another tag.
    assert_eq!(engine.image_id(&tag).await.unwrap().as_deref(), Some(built.id.as_str()));
    assert_eq!(engine.image_id(&server).await.unwrap().as_deref(), Some(built.id.as_str()));
    assert_eq!(
        docker(&["image", "inspect", "-f", "{{index .Config.Labels \"bench.test\"}}", &tag]),
        "engine"
    );
    docker(&["rmi", &tag]);
    assert_eq!(engine.image_id(&tag).await.unwrap(), None);
    scope.assert_clean();
}

#[tokio::test]
async fn a_failing_build_reports_the_daemon_message_and_the_log_tail() {
    if !common::docker::available() {
        return;
    }
    let scope = Scope::new("badbuild");
    let engine = scope.engine().await;
    let dockerfile =
        format!("FROM {BASE_IMAGE}\nRUN echo about-to-fail-{0} && exit 3\n", scope.name);
    let logs = tempfile::tempdir().unwrap();
    let tag = scope.image_tag("bench-enginetest-bad");
    let err =
        engine.build(request(&tag, dockerfile_only(dockerfile), logs.path())).await.unwrap_err();
    match &err {
        EngineError::BuildFailed { message, log_tail, log_path, .. } => {
            assert!(message.contains("returned a non-zero code: 3"), "{message}");
            assert!(
                log_tail.iter().any(|l| l == &format!("about-to-fail-{}", scope.name)),
                "{log_tail:?}"
            );
            let log = std::fs::read_to_string(log_path).unwrap();
            assert!(log.contains("about-to-fail") && log.contains("ERROR: "), "{log}");
        }
        other => panic!("expected BuildFailed, got {other:?}"),
    }
    assert!(err.help().unwrap().contains("about-to-fail"));
    assert_eq!(engine.image_id(&tag).await.unwrap(), None);

    let empty = request(&tag, dockerfile_only(String::new()), logs.path());
    let empty = engine.build(empty).await.unwrap_err();
    let EngineError::BuildFailed { message, .. } = &empty else { panic!("{empty:?}") };
    assert!(message.contains("Dockerfile"), "{message}");
    let base = "bench-enginetest-no-such-base:1";
    let mut no_base = request(&tag, dockerfile_only(format!("FROM {base}\n")), logs.path());
    no_base.base_image = base.to_string();
    let no_base = engine.build(no_base).await.unwrap_err();
    assert!(matches!(&no_base, EngineError::BaseImageMissing { .. }), "{no_base:?}");
    scope.assert_clean();
}

#[tokio::test]
async fn version_and_base_image() {
    if !common::docker::available() {
        return;
    }
    let scope = Scope::new("version");
    let engine = scope.engine().await;
    let version = engine.version().await.unwrap();
    assert_eq!(version, docker(&["version", "-f", "{{.Server.Version}}"]));
    let base = engine.ensure_base_image(BASE_IMAGE).await.unwrap();
    assert_eq!(
        base,
        bench::engine::BaseImage::Present {
            id: docker(&["image", "inspect", "-f", "{{.Id}}", BASE_IMAGE])
        }
    );
    let missing = engine.ensure_base_image("bench-enginetest-no-such-base:1").await.unwrap_err();
    assert!(matches!(missing, EngineError::BaseImageMissing { .. }), "{missing:?}");
    assert!(missing.help().unwrap().contains("docker"));
}

#[tokio::test]
async fn the_cpu_probe_reads_the_cpus_containers_get_here_and_leaves_nothing() {
    if !common::docker::available() {
        return;
    }
    let scope = Scope::new("cpus");
    let engine = scope.engine().await;
    let containers = Containers::new();
    let cpus = containers.cpus(&engine, BASE_IMAGE).await.unwrap();
    assert!(!cpus.is_empty());
    assert!(containers.live().is_empty(), "the probe is not left tracked");
    // An engine on this host gives a container with no cpuset online CPUs (all of them, on
    // this machine); a remote one (DOCKER_HOST) has CPUs of its own, not comparable.
    if std::env::var_os("DOCKER_HOST").is_none() {
        let online = std::fs::read_to_string("/sys/devices/system/cpu/online").unwrap();
        let online = bench::engine::parse_cpu_list(&online).unwrap();
        assert!(cpus.iter().all(|c| online.contains(c)), "{cpus:?} within online {online:?}");
    }
    // The probe carries the scope's label like every container of this engine.
    scope.assert_clean();
}

#[tokio::test]
async fn an_interrupt_during_the_cpu_probe_removes_its_container() {
    if !common::docker::available() {
        return;
    }
    let scope = Scope::new("cpus-interrupted");
    let engine = scope.engine().await;
    // A base image whose `cat` never ends keeps the probe running until it is interrupted.
    let hanging = scope.image_tag("bench-enginetest-hanging-cat");
    let dockerfile = format!(
        "FROM {BASE_IMAGE}\nRUN printf '#!/bin/sh\\nexec sleep 600\\n' > /usr/local/bin/cat \
         && chmod +x /usr/local/bin/cat\nCMD [\"true\"]\n"
    );
    let logs = tempfile::tempdir().unwrap();
    engine.build(request(&hanging, dockerfile_only(dockerfile), logs.path())).await.unwrap();
    let containers = Containers::new();
    let probe_exists = async {
        while scope.leftovers().is_empty() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let outcome =
        until_interrupted(&engine, &containers, containers.cpus(&engine, &hanging), probe_exists)
            .await;
    assert!(matches!(outcome, Err(EngineError::Interrupted { removed: 1, .. })), "{outcome:?}");
    scope.assert_clean();
}
