//! Each place a cell can fail records its `FailureKind` at the source, through the fakes: a
//! build, a server that never listens, exits or runs out of memory, a wrong answer, a name
//! held by another container, the load generator, the engine gone mid-measurement, a start
//! the engine refuses (4xx) or fails on its side (5xx), a cpuset outside the engine's CPUs.
//! A resumed run reads that kind; it no longer guesses from the message.

use std::sync::Arc;
use std::time::Duration;

use bench::engine::fake::{FakeCall, FakeEngine, FakeOutcome};
use bench::engine::{ContainerSpec, Containers, Engine, RunIdentity};
use bench::load::{LoadConfig, LoadSummary, LoadWatch};
use bench::matrix::Cell;
use bench::run::{Http, Probed, Quiet, RunContext, Runner, SystemClock, image_tag};
use bench::store::{CellResult, FailureKind, Outcome, Resume, Store};

#[allow(dead_code)] // shared with run_fake, which uses all of it
#[path = "run_fake/fakes.rs"]
mod fakes;

use fakes::{FakeHttp, Setup, cells, plan, runner, setup};

fn hello() -> Vec<Cell> {
    cells().into_iter().filter(|c| c.id == "bjoern/hello").collect()
}

/// Runs `cells` once over `engine` and `http` and gives the one stored result.
async fn run_one<H: Http>(cells: &[Cell], engine: &FakeEngine, http: &H, s: &Setup) -> CellResult {
    let store = Store::open(s.dir.path().join("results")).unwrap();
    let containers = Containers::new();
    let mut plan = plan(cells, &store, 7, None);
    let ctx = RunContext {
        engine,
        http,
        clock: &SystemClock,
        containers: &containers,
        store: &store,
        progress: &Quiet,
        options: &s.options,
        host: &s.host,
        engine_version: None,
    };
    Runner::new(ctx, &s.calibration).run(&mut plan).await.unwrap();
    let mut results = store.load_all().unwrap();
    assert_eq!(results.len(), 1);
    assert!(engine.live().is_empty(), "no container left: {:?}", engine.live());
    results.remove(0)
}

fn kind(r: &CellResult) -> (Outcome, Option<FailureKind>) {
    (r.outcome, r.failure_kind)
}

async fn with_outcome(outcome: FakeOutcome) -> CellResult {
    let cells = hello();
    let s = setup();
    let engine = FakeEngine::new()
        .with_image("debian:bookworm-slim")
        .with_outcome(&image_tag(&cells[0]), outcome);
    run_one(&cells, &engine, &FakeHttp::default(), &s).await
}

#[tokio::test]
async fn a_failed_build_is_of_kind_build() {
    let failed = FakeOutcome::BuildFails { message: "pip failed".into(), log_tail: Vec::new() };
    let r = with_outcome(failed).await;
    assert_eq!(kind(&r), (Outcome::Failed, Some(FailureKind::Build)), "{:?}", r.reason);
}

#[tokio::test]
async fn a_server_that_never_serves_or_dies_is_of_kind_server() {
    let exits = FakeOutcome::ExitsBeforeReady { exit_code: 3, log_tail: vec!["boom".into()] };
    for outcome in [FakeOutcome::NeverReady, exits, FakeOutcome::OomKilled] {
        let r = with_outcome(outcome.clone()).await;
        assert_eq!(kind(&r), (Outcome::Failed, Some(FailureKind::Server)), "{outcome:?}: {r:?}");
    }
}

#[tokio::test]
async fn the_engine_gone_mid_measurement_is_of_kind_engine() {
    let r = with_outcome(FakeOutcome::EngineGone).await;
    assert_eq!(kind(&r), (Outcome::Failed, Some(FailureKind::Engine)), "{:?}", r.reason);
    assert!(r.reason.as_deref().unwrap().contains("cannot reach the Docker engine"));
}

#[tokio::test]
async fn a_wrong_answer_is_of_kind_invalid() {
    let cells = hello();
    let s = setup();
    let engine = FakeEngine::new().with_image("debian:bookworm-slim");
    let http = FakeHttp { wrong_body_on: Some("/hello".into()), ..Default::default() };
    let r = run_one(&cells, &engine, &http, &s).await;
    assert_eq!(kind(&r), (Outcome::Invalid, Some(FailureKind::Invalid)));
}

#[tokio::test]
async fn a_name_held_by_another_container_is_of_kind_conflict() {
    let cells = hello();
    let cell = &cells[0];
    let s = setup();
    let tag = image_tag(cell);
    let engine = FakeEngine::new().with_image("debian:bookworm-slim").with_image(&tag);
    // The name this run gives the cell's first execution, already taken.
    let name = format!("bench-{}-{}-r1", cell.name, &cell.hash[..12]);
    let squatter = ContainerSpec {
        image: tag,
        name: RunIdentity::current().container_name(&name),
        env: Vec::new(),
        nano_cpus: 0,
        cpuset: None,
        memory_bytes: 0,
        labels: Default::default(),
        cap_add: Vec::new(),
    };
    let held = engine.start(&squatter).await.unwrap();
    let store = Store::open(s.dir.path().join("results")).unwrap();
    let containers = Containers::new();
    let mut plan = plan(&cells, &store, 7, None);
    runner(&engine, &FakeHttp::default(), &containers, &store, &s).run(&mut plan).await.unwrap();
    let r = &store.load_all().unwrap()[0];
    assert_eq!(kind(r), (Outcome::Failed, Some(FailureKind::Conflict)), "{:?}", r.reason);
    assert_eq!(engine.live(), [held], "the other container is left alone");
}

/// `FakeHttp`, except that every load fails as a generator does.
struct BrokenGenerator(FakeHttp);

impl Http for BrokenGenerator {
    async fn get(&self, url: &str, timeout: Duration) -> Result<Probed, String> {
        self.0.get(url, timeout).await
    }

    async fn load(&self, _config: LoadConfig) -> Result<LoadSummary, String> {
        Err("cannot open connections: too many open files".into())
    }

    async fn load_watched(
        &self,
        config: LoadConfig,
        _watch: Arc<LoadWatch>,
    ) -> Result<LoadSummary, String> {
        self.load(config).await
    }
}

#[tokio::test]
async fn a_generator_failure_while_the_server_runs_is_of_kind_generator() {
    let cells = hello();
    let s = setup();
    let engine = FakeEngine::new().with_image("debian:bookworm-slim");
    let r = run_one(&cells, &engine, &BrokenGenerator(FakeHttp::default()), &s).await;
    assert_eq!(kind(&r), (Outcome::Failed, Some(FailureKind::Generator)), "{:?}", r.reason);
}

#[tokio::test]
async fn the_engines_answer_decides_a_refused_request_from_a_daemon_error_that_may_pass() {
    let refused = FakeOutcome::CreateAnswered {
        status: 400,
        message: "Requested CPUs are not available - requested 7, available: 0-1".into(),
    };
    let r = with_outcome(refused).await;
    assert_eq!(kind(&r), (Outcome::Failed, Some(FailureKind::Request)), "{:?}", r.reason);
    let reason = r.reason.as_deref().unwrap();
    assert!(reason.contains("docker refused to create container"), "{reason}");
    assert!(reason.contains("check the value it names"), "{reason}");
    assert_eq!(Resume::of(&r, false), Resume::KeepFailed(FailureKind::Request));

    // Refused at start: the container was made, its command cannot run.
    let not_runnable = FakeOutcome::StartAnswered {
        status: 400,
        message: "OCI runtime create failed: exec: \"/no/such/binary\": no such file".into(),
    };
    let r = with_outcome(not_runnable).await;
    assert_eq!(kind(&r), (Outcome::Failed, Some(FailureKind::Server)), "{:?}", r.reason);
    let reason = r.reason.as_deref().unwrap();
    assert!(reason.contains("check that the server's command exists"), "{reason}");
    assert!(!reason.contains("cpuset"), "the help matches the cause: {reason}");

    let daemon =
        FakeOutcome::StartAnswered { status: 500, message: "containerd: deadline exceeded".into() };
    let r = with_outcome(daemon).await;
    assert_eq!(kind(&r), (Outcome::Failed, Some(FailureKind::Engine)), "{:?}", r.reason);
    assert_eq!(Resume::of(&r, false), Resume::Retry(FailureKind::Engine), "measured again");
}

#[tokio::test]
async fn a_cpuset_outside_the_engines_cpus_fails_before_any_container_naming_both() {
    let mut cells = hello();
    cells[0].resources.cpuset = Some("3".into());
    let mut s = setup();
    s.host.engine_cpus = Some(vec![0, 1]);
    let engine = FakeEngine::new().with_image("debian:bookworm-slim");
    let r = run_one(&cells, &engine, &FakeHttp::default(), &s).await;
    assert_eq!(kind(&r), (Outcome::Failed, Some(FailureKind::Request)), "{:?}", r.reason);
    let reason = r.reason.as_deref().unwrap();
    assert!(reason.contains("cpuset `3` asks for CPU 3"), "{reason}");
    assert!(reason.contains("can only run on CPU 0-1"), "{reason}");
    let started = engine.calls().into_iter().filter(|c| matches!(c, FakeCall::Start(_))).count();
    assert_eq!(started, 0, "no container was asked for");
}

#[tokio::test]
async fn a_cpuset_goes_to_the_engine_when_its_cpus_are_unknown() {
    // The probe failed: bench runs on 0-1 and the cell asks for CPU 3, which the engine
    // may have. The engine, not bench, decides.
    let mut cells = hello();
    cells[0].resources.cpuset = Some("3".into());
    let mut s = setup();
    s.host.engine_cpus = None;
    s.host.cpus = vec![0, 1];
    let engine = FakeEngine::new().with_image("debian:bookworm-slim");
    let r = run_one(&cells, &engine, &FakeHttp::default(), &s).await;
    let started = engine.calls().into_iter().filter(|c| matches!(c, FakeCall::Start(_))).count();
    assert_eq!(started, 1, "the container was asked for: {:?}", r.reason);
    assert_ne!(r.failure_kind, Some(FailureKind::Request), "{:?}", r.reason);
    assert_eq!(r.provenance.server_cpuset.as_deref(), Some("3"));
}
