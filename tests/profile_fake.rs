//! `profile::Profiler` through the engine and HTTP fakes: py-spy copied into a warmed
//! container and run beside the cell's load, what it wrote stored beside the results, the
//! container removed; PyPy cells N/A without a container.

use std::time::Duration;

use bench::engine::Containers;
use bench::engine::fake::{FakeCall, FakeEngine};
use bench::profile::{OUTPUT_IN_CONTAINER, ProfileSettings, ProfileStore, Profiler, PySpy};
use bench::run::image_tag;
use bench::store::Store;

// The run tests' fakes; this file uses only some of them.
#[allow(dead_code)]
#[path = "run_fake/fakes.rs"]
mod fakes;

use fakes::{FakeHttp, cells, context, setup};

fn py_spy() -> PySpy {
    // Any file stands for the binary: the fake engine only stores what is copied in.
    PySpy { path: std::env::current_exe().unwrap(), version: "0.4.3".into() }
}

#[tokio::test]
async fn a_cell_is_sampled_beside_its_load_and_stored() {
    let cells = cells();
    let cell = cells.iter().find(|c| c.id == "flask-gunicorn/hello").unwrap();
    let stacks = "process 1:\"gunicorn\";handle (sync.py:1);cpu_work (cpu.py:9) 40\nprocess 1:\"gunicorn\";select 10\n";
    let engine = FakeEngine::new().with_image(&image_tag(cell)).with_file(
        &image_tag(cell),
        OUTPUT_IN_CONTAINER,
        stacks.as_bytes(),
    );
    let (http, containers, s) = (FakeHttp::default(), Containers::new(), setup());
    let store = Store::open(s.dir.path()).unwrap();
    let settings = ProfileSettings { rate_hz: 25, duration: Duration::from_secs(3), native: true };
    let spy = py_spy();
    let profiler =
        Profiler { ctx: context(&engine, &http, &containers, &store, &s), py_spy: &spy, settings };
    let profiled = profiler.profile(cell).await.unwrap();
    let record = &profiled.record;
    assert_eq!((record.samples, record.rate_hz, record.duration_ms), (50, 25, 3000));
    assert_eq!(record.profiled_rps, Some(1000.0), "the fake load's req/s");
    assert_eq!((record.measured_rps, record.overhead), (None, None), "nothing measured yet");
    let exec = engine.calls().into_iter().find_map(|c| match c {
        FakeCall::Exec(_, argv) => Some(argv.join(" ")),
        _ => None,
    });
    let exec = exec.expect("py-spy was run");
    assert!(exec.contains("record --pid 1 --subprocesses --native"), "{exec}");
    assert!(exec.contains("--rate 25 --duration 3"), "{exec}");
    assert!(
        engine
            .calls()
            .iter()
            .any(|c| matches!(c, FakeCall::PutFile(_, p) if p == "/tmp/bench-py-spy"))
    );
    // The load of the profiled window is the cell's, for the window.
    let loads = http.loads.lock().unwrap();
    let window = loads.last().unwrap();
    assert_eq!(
        (window.duration, window.connections),
        (Duration::from_secs(3), cell.load.connections)
    );
    assert!(engine.live().is_empty(), "the profiled container is removed");
    let (stored, collapsed) =
        ProfileStore::new(&store).read("hello", "flask-gunicorn", &cell.hash).unwrap().unwrap();
    assert_eq!(&stored, record);
    assert_eq!(collapsed.unwrap().share_in("cpu_work"), 0.8);
    let svg = std::fs::read_to_string(ProfileStore::new(&store).path(record, "svg")).unwrap();
    assert!(svg.contains("cpu_work (cpu.py:9)"));
}

#[tokio::test]
async fn a_pypy_cell_is_not_applicable_and_starts_nothing() {
    let mut cell = cells().into_iter().find(|c| c.id == "flask-gunicorn/hello").unwrap();
    cell.image.python = "pypy3".into();
    let engine = FakeEngine::new();
    let (http, containers, s) = (FakeHttp::default(), Containers::new(), setup());
    let store = Store::open(s.dir.path()).unwrap();
    let spy = py_spy();
    let settings = ProfileSettings::default();
    let profiler =
        Profiler { ctx: context(&engine, &http, &containers, &store, &s), py_spy: &spy, settings };
    let profiled = profiler.profile(&cell).await.unwrap();
    assert!(profiled.record.na.as_deref().unwrap().contains("does not support PyPy"));
    assert!(profiled.stacks.is_none());
    assert!(engine.calls().iter().all(|c| !matches!(c, FakeCall::Start(_))), "no container");
    let (stored, _) =
        ProfileStore::new(&store).read("hello", "flask-gunicorn", &cell.hash).unwrap().unwrap();
    assert_eq!(stored.na, profiled.record.na, "the reason is stored");
}
