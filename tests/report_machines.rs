//! `bench report` refuses a table whose cells were measured on different machines unless
//! `--allow-mixed` (then the table carries a caveat); `bench compare` warns instead.
//! Synthetic results directories: the `results-mixed` fixture with machines assigned.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use bench::store::{CellResult, Machine, MachineFacts, Store};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-mixed")
}

fn machine(cpu: &str, cores: u32) -> Machine {
    Machine::new(facts(cpu, cores))
}

fn facts(cpu: &str, cores: u32) -> MachineFacts {
    MachineFacts {
        cpu_model: Some(cpu.to_string()),
        online_cpus: cores,
        memory_bytes: Some(8 << 30),
        kernel: Some("6.1.0".into()),
        docker_version: Some("20.10.24".into()),
    }
}

fn xeon() -> Machine {
    machine("Intel Xeon E5-2680 v4", 2)
}

fn epyc() -> Machine {
    machine("AMD EPYC 7763", 4)
}

/// The fixture's results in a new directory, each given the machine `pick` returns
/// (`None`: left as stored, with no machine).
fn results_dir(pick: impl Fn(&CellResult) -> Option<Machine>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    for mut r in Store::open(fixture()).unwrap().load_all().unwrap() {
        if let Some(m) = pick(&r) {
            r.provenance.machine = m;
        }
        store.write(&r).unwrap();
    }
    tmp
}

fn bench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bench")).args(args).output().unwrap()
}

fn report(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["report", "--results", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    bench(&args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `aiohttp/hello` on the EPYC, every other result on the Xeon; `io` all on the Xeon.
fn one_cell_elsewhere(r: &CellResult) -> Option<Machine> {
    Some(if r.id == "aiohttp/hello" { epyc() } else { xeon() })
}

#[test]
fn a_table_from_two_machines_is_refused_in_every_format_naming_machines_and_cells() {
    let dir = results_dir(one_cell_elsewhere);
    for format in ["markdown", "html", "csv", "json"] {
        let out = report(dir.path(), &["--format", format]);
        let err = text(&out.stderr);
        assert!(!out.status.success(), "{format}: {err}");
        assert!(out.stdout.is_empty(), "{format}: nothing is printed");
        assert!(err.contains("table `hello` has cells from 2 machines"), "{err}");
        assert!(err.contains("Intel Xeon E5-2680 v4, 2 cores"), "{err}");
        assert!(err.contains("AMD EPYC 7763, 4 cores"), "{err}");
        assert!(err.contains(": 1 cell (aiohttp/hello"), "{err}");
        assert!(
            err.contains(
                "they differ in CPU model (Intel Xeon E5-2680 v4 / AMD EPYC 7763) and CPUs (2 / 4)"
            ),
            "{err}"
        );
        assert!(err.contains("--allow-mixed"), "{err}");
        assert!(!err.contains("table `io`"), "io is from one machine: {err}");
    }
}

#[test]
fn allow_mixed_ranks_the_table_with_a_caveat_next_to_it() {
    let dir = results_dir(one_cell_elsewhere);
    let md = text(&report(dir.path(), &["--allow-mixed"]).stdout);
    let hello = &md[md.find("## hello").unwrap()..md.find("## io").unwrap()];
    assert!(hello.contains("Caveat: this table ranks cells measured on 2 different machines"));
    assert!(hello.contains("AMD EPYC 7763, 4 cores"), "{hello}");
    let io = &md[md.find("## io").unwrap()..];
    assert!(!io.contains("Caveat"), "io is from one machine: {io}");

    let html = text(&report(dir.path(), &["--allow-mixed", "--format", "html"]).stdout);
    assert_eq!(html.matches("<p class=\"caveat\">").count(), 1, "{html}");

    let json: serde_json::Value =
        serde_json::from_slice(&report(dir.path(), &["--allow-mixed", "--format", "json"]).stdout)
            .unwrap();
    let caveats: Vec<bool> = json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["machine_caveat"].as_str().is_some())
        .collect();
    assert_eq!(caveats, [true, false]);
}

#[test]
fn a_stale_result_from_another_machine_is_not_ranked_so_not_refused() {
    // falcon-gunicorn/hello's 66002fbbabeb is an older hash of the cell: not in the table.
    let dir =
        results_dir(|r| Some(if r.hash.starts_with("66002fbbabeb") { epyc() } else { xeon() }));
    let out = report(dir.path(), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("Caveat"));
}

#[test]
fn an_na_result_from_another_machine_measured_nothing_so_is_not_refused() {
    // aiohttp/hello made N/A on the EPYC (as a table resumed elsewhere stores its N/A cells),
    // every other result on the Xeon.
    let tmp = results_dir(|r| Some(xeon()).filter(|_| r.id != "aiohttp/hello"));
    let store = Store::open(tmp.path()).unwrap();
    for mut r in store.load_all().unwrap().into_iter().filter(|r| r.id == "aiohttp/hello") {
        r.provenance.machine = epyc();
        r.outcome = bench::store::Outcome::Na;
        r.reason = Some("not applicable here".into());
        store.write(&r).unwrap();
    }
    let out = report(tmp.path(), &["--only", "hello"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("Caveat"), "{}", text(&out.stdout));
    // Nor does `bench compare` against the same machine warn of another.
    let xeon_only = results_dir(|_| Some(xeon()));
    let paths = [xeon_only.path().to_str().unwrap(), tmp.path().to_str().unwrap()];
    let compared = bench(&["compare", paths[0], paths[1]]);
    assert!(compared.status.success(), "{}", text(&compared.stderr));
    assert!(!text(&compared.stdout).contains("Warning"), "{}", text(&compared.stdout));
}

#[test]
fn results_without_a_machine_are_one_unknown_machine_said_not_refused() {
    // All old: no caveat at all, as reports of old results always were.
    let old = report(&fixture(), &[]);
    assert!(old.status.success() && !text(&old.stdout).contains("Caveat"));
    // Old and new in one table: shown, with a line saying some cells have no machine.
    let dir = results_dir(|r| (r.name != "flask-bjoern").then(xeon));
    let out = report(dir.path(), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(md.contains("Caveat: some cells of this table were stored without a machine record"));
    assert!(md.contains("unknown machine (results stored before machines were recorded): 1 cell (flask-bjoern/hello)"), "{md}");
}

#[test]
fn compare_across_machines_warns_in_its_output_but_compares() {
    let old = results_dir(|_| Some(xeon()));
    let new = results_dir(|_| Some(epyc()));
    let out = bench(&["compare", old.path().to_str().unwrap(), new.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(md.contains("**Warning: old and new were measured on different machines"), "{md}");
    assert!(md.contains("Intel Xeon E5-2680 v4, 2 cores") && md.contains("AMD EPYC 7763, 4 cores"));
    assert!(text(&out.stderr).contains("warning: old and new were measured on different machines"));
    // The same machine on both sides: no warning.
    let same = bench(&["compare", old.path().to_str().unwrap(), old.path().to_str().unwrap()]);
    assert!(!text(&same.stdout).contains("Warning"), "{}", text(&same.stdout));
}

#[test]
fn compare_warns_by_cpu_model_when_the_old_side_predates_fingerprints() {
    // Results stored before fingerprints record the CPU model alone.
    let before_fingerprints =
        || Machine { cpu_model: Some("Intel Xeon E5-2680 v4".into()), ..Machine::default() };
    let old = results_dir(|_| Some(before_fingerprints()));
    let new = results_dir(|_| Some(epyc()));
    let out = bench(&["compare", old.path().to_str().unwrap(), new.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(
        md.contains("**Warning: old and new were measured on different CPU models (old: Intel Xeon E5-2680 v4; new: AMD EPYC 7763)"),
        "{md}"
    );
    // The same CPU model, one side without a fingerprint: nothing tells them apart.
    let same_model = results_dir(|_| Some(xeon()));
    let out =
        bench(&["compare", old.path().to_str().unwrap(), same_model.path().to_str().unwrap()]);
    assert!(!text(&out.stdout).contains("Warning"), "{}", text(&out.stdout));
}

/// `aiohttp/hello` on a Xeon whose facts `change` altered, every other result on the Xeon.
fn one_cell_on_a_changed_xeon(change: fn(&mut MachineFacts)) -> tempfile::TempDir {
    results_dir(move |r| {
        let mut facts = facts("Intel Xeon E5-2680 v4", 2);
        if r.id == "aiohttp/hello" {
            change(&mut facts);
        }
        Some(Machine::new(facts))
    })
}

#[test]
fn a_refusal_names_only_the_facts_that_differ() {
    let dir = one_cell_on_a_changed_xeon(|f| f.online_cpus = 4);
    let out = report(dir.path(), &[]);
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("table `hello` has cells from 2 machines: they differ in CPUs (2 / 4): "),
        "{err}"
    );
    assert!(!err.contains("CPU model ("), "the model is the same: {err}");
}

#[test]
fn a_kernel_or_docker_update_ranks_together_with_a_caveat_naming_it() {
    let updated: [fn(&mut MachineFacts); 2] = [
        |f| f.kernel = Some("6.1.0-21-amd64".into()),
        |f| f.docker_version = Some("20.10.25".into()),
    ];
    let names = [("differ in kernel (", "6.1.0: "), ("differ in Docker (", "20.10.24: ")];
    for (change, (fact, kept)) in updated.into_iter().zip(names) {
        let dir = one_cell_on_a_changed_xeon(change);
        let out = report(dir.path(), &[]);
        assert!(out.status.success(), "not refused: {}", text(&out.stderr));
        let md = text(&out.stdout);
        let hello = &md[md.find("## hello").unwrap()..md.find("## io").unwrap()];
        assert!(
            hello.contains("Caveat: the cells of this table were measured on machines of one CPU model and count that differ in "),
            "{hello}"
        );
        assert!(hello.contains(fact) && hello.contains(kept), "{hello}");
        assert!(hello.contains(": 1 cell (aiohttp/hello)"), "{hello}");
        let io = &md[md.find("## io").unwrap()..];
        assert!(!io.contains("Caveat"), "io is from one machine: {io}");
    }
}

#[test]
fn megabytes_of_memory_less_say_nothing_and_gibibytes_are_noted() {
    let firmware = one_cell_on_a_changed_xeon(|f| f.memory_bytes = Some((8 << 30) - (40 << 20)));
    let out = report(firmware.path(), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("Caveat"), "{}", text(&out.stdout));

    let smaller = one_cell_on_a_changed_xeon(|f| f.memory_bytes = Some(4 << 30));
    let out = report(smaller.path(), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(md.contains("differ in memory (") && md.contains("8 GiB: "), "{md}");
    assert!(md.contains("4 GiB: 1 cell (aiohttp/hello)"), "{md}");
}
