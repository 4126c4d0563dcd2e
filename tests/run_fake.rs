//! The orchestrator through the engine and HTTP traits, without Docker or servers:
//! images built once per hash, a fresh container per measurement and always removed,
//! and every kind of failure recorded while the others are measured. The executions'
//! order, resume, precision rounds and the warm-up are in `run_fake/executions.rs`.

use std::time::Duration;

use bench::engine::Containers;
use bench::engine::fake::{FakeCall, FakeEngine, FakeOutcome};
use bench::load::HttpClient;
use bench::matrix::Cell;
use bench::run::{Smoke, SmokeCheck, image_tag};
use bench::store::{Outcome, Store};

mod run_fake {
    pub mod eta;
    pub mod executions;
    pub mod fakes;
}

use run_fake::fakes::{FakeHttp, Setup, cells, context, plan, runner, setup};

fn tag_of(cells: &[Cell], name: &str) -> String {
    image_tag(cells.iter().find(|c| c.name == name).unwrap())
}

#[tokio::test]
async fn measures_builds_once_per_image_and_isolates_failures() {
    let cells = cells();
    let mut s = setup();
    s.options.client = HttpClient::Hyper;
    let engine = FakeEngine::new()
        .with_image("debian:bookworm-slim")
        .with_outcome(
            &tag_of(&cells, "flask-bjoern"),
            FakeOutcome::BuildFails {
                message: "pip failed".into(),
                log_tail: vec!["ERROR: No matching distribution".into()],
            },
        )
        .with_outcome(&tag_of(&cells, "gunicorn"), FakeOutcome::NeverReady)
        .with_file(
            &tag_of(&cells, "bjoern"),
            "/bench/versions.txt",
            b"bjoern==3.2.2\nfalcon==4.4.0\n",
        );
    let http = FakeHttp::default();
    let store = Store::open(s.dir.path().join("results")).unwrap();
    let containers = Containers::new();
    let mut plan = plan(&cells, &store, 7, None);
    assert_eq!(plan.skipped(), 0);
    let mut runner = runner(&engine, &http, &containers, &store, &s);
    let summary = runner.run(&mut plan).await.unwrap();
    assert_eq!((summary.ok, summary.failed, summary.invalid, summary.na), (3, 4, 0, 1));

    let results = store.load_all().unwrap();
    let by_id =
        |id: &str| results.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no result {id}"));
    let ok = by_id("bjoern/hello");
    assert_eq!(ok.outcome, Outcome::Ok);
    assert_eq!(ok.provenance.packages.get("bjoern").map(String::as_str), Some("3.2.2"));
    assert_eq!(ok.provenance.machine.docker_version.as_deref(), Some("fake-1.0"));
    assert_eq!(ok.provenance.machine.online_cpus, Some(2));
    // One run, one machine: every result carries the same fingerprint.
    let fingerprint = ok.provenance.machine.fingerprint.clone();
    assert!(fingerprint.is_some());
    assert!(results.iter().all(|r| r.provenance.machine.fingerprint == fingerprint));
    assert!(ok.checks.iter().any(|c| c.name == "littles-law" && c.passed), "{:?}", ok.checks);
    assert!(ok.usage.as_ref().is_some_and(|u| u.samples >= 1));
    // Calibrated on the server's core (the last of 2) before the container started.
    assert_eq!(ok.calibration.as_ref().map(|c| c.cpus.clone()), Some(vec![1]));
    assert_eq!(ok.schedule.as_ref().map(|s| (s.seed, s.round)), Some((7, 1)));
    let phases: Vec<&str> = ok.provenance.phases_ms.keys().map(String::as_str).collect();
    assert_eq!(
        phases,
        ["measure", "ready", "settle", "start", "teardown", "verify"],
        "primer and warmup are off here"
    );
    for id in ["flask-bjoern/hello", "flask-bjoern/io"] {
        let r = by_id(id);
        assert_eq!(r.outcome, Outcome::Failed);
        assert!(r.reason.as_deref().unwrap().contains("pip failed"), "{:?}", r.reason);
        assert_eq!(r.log_tail, ["ERROR: No matching distribution"]);
    }
    for id in ["gunicorn/hello", "gunicorn/io"] {
        assert!(by_id(id).reason.as_deref().unwrap().contains("never became ready"));
    }
    let na = by_id("flask-gunicorn/io");
    assert_eq!((na.outcome, na.reason.as_deref()), (Outcome::Na, Some("not applicable here")));
    assert_eq!(by_id("flask-gunicorn/hello").outcome, Outcome::Ok);

    let calls = engine.calls();
    let builds: Vec<&FakeCall> = calls.iter().filter(|c| matches!(c, FakeCall::Build(_))).collect();
    assert_eq!(builds.len(), 4, "one build per image, not per scenario: {builds:?}");
    let starts = calls.iter().filter(|c| matches!(c, FakeCall::Start(_))).count();
    let removes = calls.iter().filter(|c| matches!(c, FakeCall::Remove(_))).count();
    assert_eq!(starts, 5, "a fresh container per measurement (3 ok + 2 never ready)");
    assert_eq!(removes, starts, "every container removed");
    assert!(engine.live().is_empty());
    // Measured cells ran the generator at their settings, pinned off the server's core.
    let loads = http.loads.lock().unwrap();
    assert_eq!(loads.len(), 3);
    assert!(loads.iter().all(|l| l.duration == Duration::from_secs(1) && l.cpus == Some(vec![0])));
    // ... with the HTTP client asked for, which each result's generator line names.
    assert!(loads.iter().all(|l| l.client == HttpClient::Hyper), "{loads:?}");
    let generator = &by_id("flask-gunicorn/hello").provenance.generator;
    assert!(generator.contains("closed loop, hyper client"), "{generator}");
}

#[tokio::test]
async fn a_wrong_answer_is_invalid_and_not_measured() {
    let cells: Vec<Cell> = cells().into_iter().filter(|c| c.name == "bjoern").collect();
    let s = setup();
    let engine = FakeEngine::new().with_image("debian:bookworm-slim");
    let http = FakeHttp { wrong_body_on: Some("/io".into()), ..Default::default() };
    let store = Store::open(s.dir.path().join("results")).unwrap();
    let containers = Containers::new();
    let mut plan = plan(&cells, &store, 7, None);
    let mut runner = runner(&engine, &http, &containers, &store, &s);
    runner.run(&mut plan).await.unwrap();
    let results = store.load_all().unwrap();
    let io = results.iter().find(|r| r.id == "bjoern/io").unwrap();
    assert_eq!(io.outcome, Outcome::Invalid);
    assert_eq!(io.reason.as_deref(), Some("GET /io: body `Hello there` (expected `Hello World`)"));
    assert!(io.load.is_none());
    assert_eq!(http.loads.lock().unwrap().len(), 1, "only hello was measured");
    assert!(engine.live().is_empty());
}

/// Runs every cell once and gives the stored results.
async fn run_all(
    cells: &[Cell],
    engine: &FakeEngine,
    http: &FakeHttp,
    s: &Setup,
) -> Vec<bench::store::CellResult> {
    let store = Store::open(s.dir.path().join("results")).unwrap();
    let containers = Containers::new();
    let mut plan = plan(cells, &store, 7, None);
    let mut runner = runner(engine, http, &containers, &store, s);
    runner.run(&mut plan).await.unwrap();
    store.load_all().unwrap()
}

#[tokio::test]
async fn an_oom_kill_during_the_run_is_a_failure_that_keeps_the_measurement() {
    let cells: Vec<Cell> = cells().into_iter().filter(|c| c.id == "bjoern/hello").collect();
    let s = setup();
    let engine = FakeEngine::new()
        .with_image("debian:bookworm-slim")
        .with_outcome(&image_tag(&cells[0]), FakeOutcome::OomKilled);
    let http = FakeHttp::default();
    let r = &run_all(&cells, &engine, &http, &s).await[0];
    assert_eq!(r.outcome, Outcome::Failed);
    assert!(r.reason.as_deref().unwrap().contains("killed for lack of memory"), "{:?}", r.reason);
    assert!(r.load.is_some(), "what was measured is kept");
    assert!(r.usage.as_ref().unwrap().oom_killed);
    assert!(r.checks.iter().any(|c| c.name == "server-stable" && !c.passed));
}

#[tokio::test]
async fn a_server_killed_during_the_warmup_is_reported_as_such_and_not_measured() {
    let mut cells: Vec<Cell> = cells().into_iter().filter(|c| c.id == "bjoern/hello").collect();
    cells[0].load.warmup_ms = 1000;
    let s = setup();
    let engine = FakeEngine::new()
        .with_image("debian:bookworm-slim")
        .with_outcome(&image_tag(&cells[0]), FakeOutcome::OomKilled);
    let http = FakeHttp::default();
    let r = &run_all(&cells, &engine, &http, &s).await[0];
    assert_eq!(r.outcome, Outcome::Failed);
    assert_eq!(
        r.reason.as_deref(),
        Some(
            "the server was killed for lack of memory during the warmup (exit code 137): it needs more than its memory limit under this load"
        )
    );
    assert!(r.load.is_none());
    assert_eq!(http.loads.lock().unwrap().len(), 1, "the warmup ran, the measurement did not");
    assert!(engine.live().is_empty());
}

#[tokio::test]
async fn smoke_probes_every_scenario_of_a_row_in_one_container() {
    let cells = cells();
    let s = setup();
    let engine = FakeEngine::new()
        .with_image("debian:bookworm-slim")
        .with_outcome(&tag_of(&cells, "gunicorn"), FakeOutcome::NeverReady)
        .with_logs(&tag_of(&cells, "bjoern"), "serving\nwrong body on /io\n");
    let http = FakeHttp { wrong_body_on: Some("/io".into()), ..Default::default() };
    let store = Store::open(s.dir.path().join("results")).unwrap();
    let containers = Containers::new();
    let row = |name: &str| cells.iter().filter(|c| c.name == name).cloned().collect::<Vec<Cell>>();
    let mut smoke = Smoke::new(context(&engine, &http, &containers, &store, &s));

    let bjoern = smoke.row(&row("bjoern")).await;
    assert_eq!(bjoern.checks[0], ("hello".to_string(), SmokeCheck::Pass));
    assert_eq!(
        bjoern.checks[1],
        (
            "io".to_string(),
            SmokeCheck::Fail("GET /io: body `Hello there` (expected `Hello World`)".into())
        )
    );
    assert_eq!(bjoern.error, None);
    assert_eq!(bjoern.log_tail, ["serving", "wrong body on /io"], "the log after a failure");
    assert!(!bjoern.passed());
    assert!(bjoern.build_seconds.is_some(), "built now");

    let na = smoke.row(&row("flask-gunicorn")).await;
    assert!(na.passed(), "{na:?}");
    let scenarios: Vec<&str> = na.checks.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(scenarios, ["io", "hello"], "N/A first");
    assert!(matches!(&na.checks[0].1, SmokeCheck::Na(why) if why == "not applicable here"));

    let unready = smoke.row(&row("gunicorn")).await;
    let error = unready.error.as_deref().unwrap();
    assert!(error.starts_with("the server never became ready"), "{unready:?}");
    assert!(unready.checks.is_empty());

    let starts = engine.calls().iter().filter(|c| matches!(c, FakeCall::Start(_))).count();
    assert_eq!(starts, 3, "one container per row");
    assert!(engine.live().is_empty());
    assert!(!s.dir.path().join("results").exists(), "smoke stores nothing");
}

#[tokio::test]
async fn an_engine_with_cpus_of_its_own_gets_the_server_and_bench_keeps_its_cpus() {
    let cells: Vec<Cell> = cells().into_iter().filter(|c| c.id == "bjoern/hello").collect();
    let mut s = setup();
    // Docker-in-Docker in a pod: the CPU manager gave bench 2-3 and the sidecar 6-7.
    s.host.cpus = vec![2, 3];
    s.host.engine_cpus = Some(vec![6, 7]);
    let engine = FakeEngine::new().with_image("debian:bookworm-slim");
    let http = FakeHttp::default();
    let store = Store::open(s.dir.path().join("results")).unwrap();
    let containers = Containers::new();
    let mut plan = plan(&cells, &store, 7, None);
    runner(&engine, &http, &containers, &store, &s).run(&mut plan).await.unwrap();
    let results = store.load_all().unwrap();
    assert!(!results.is_empty());
    for r in &results {
        assert_eq!(r.outcome, Outcome::Ok, "{:?}", r.reason);
        assert_eq!(r.provenance.server_cpuset.as_deref(), Some("7"));
        let machine = &r.provenance.machine;
        assert_eq!(machine.bench_cpus.as_deref(), Some("2-3"));
        assert_eq!(machine.engine_cpus.as_deref(), Some("6-7"));
        assert!(r.provenance.generator.contains("pinned to cpu 2,3"), "{}", r.provenance.generator);
    }
    let loads = http.loads.lock().unwrap();
    assert!(!loads.is_empty() && loads.iter().all(|l| l.cpus == Some(vec![2, 3])), "{loads:?}");
    // The sidecar's CPU is out of bench's reach: the calibration runs on bench's own.
    let calibrated = s.calibration.cpus.lock().unwrap();
    assert!(calibrated.iter().all(|cpus| *cpus == [2, 3]), "{calibrated:?}");
}
