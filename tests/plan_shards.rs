//! `bench plan --shards N` and `bench run --shard K/N` split the article matrix the same way:
//! whole comparison groups, every cell on exactly one shard, balanced by estimated time.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use bench::image::ImageInputs;
use bench::matrix::Cell;
use bench::run::{Shard, ShardPlan};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn article() -> Vec<Cell> {
    let model = bench::model::load(&Path::new(ROOT).join("matrix.kdl")).unwrap();
    bench::matrix::expand(&model, &ImageInputs::new(ROOT))
}

#[test]
fn each_group_is_on_one_shard_and_every_cell_on_exactly_one() {
    let cells = article();
    let plan = ShardPlan::new(&cells, 4, &[]);
    assert_eq!(plan.shards.len(), 4);
    let mut seen = HashSet::new();
    let mut groups = HashSet::new();
    for shard in &plan.shards {
        for group in &shard.groups {
            assert!(groups.insert(group.name.clone()), "group {} on two shards", group.name);
            for id in &group.cells {
                let cell = cells.iter().find(|c| &c.id == id).unwrap();
                assert_eq!(cell.group, group.name, "{id}");
                assert!(seen.insert(id.clone()), "{id} planned twice");
            }
        }
    }
    assert_eq!(seen.len(), cells.len(), "every cell is planned");
    // Default groups: the scenarios.
    let scenarios: HashSet<String> = cells.iter().map(|c| c.scenario.clone()).collect();
    assert_eq!(groups, scenarios);
}

#[test]
fn shard_k_selects_exactly_the_cells_the_plan_gives_it() {
    let cells = article();
    for n in [1, 2, 3, 4] {
        let plan = ShardPlan::new(&cells, n, &[]);
        let mut total = 0;
        for k in 1..=n {
            let selected = Shard::parse(&format!("{k}/{n}")).unwrap().select(cells.clone());
            let ids: Vec<&str> = selected.iter().map(|c| c.id.as_str()).collect();
            let mut planned: Vec<&str> = plan.cells_of(k).collect();
            let mut sorted = ids.clone();
            sorted.sort();
            planned.sort();
            assert_eq!(sorted, planned, "shard {k}/{n}");
            total += ids.len();
        }
        assert_eq!(total, cells.len(), "{n} shards cover the matrix once");
    }
}

#[test]
fn the_split_is_balanced_within_the_longest_group() {
    // Longest-processing-time greedy: the busiest shard is at most one group's time above
    // the idlest (on the split's own estimates, the settings, which stored timings leave alone).
    let cells = article();
    let plan = ShardPlan::new(&cells, 2, &[]);
    let times: Vec<u64> = plan.shards.iter().map(|s| s.estimate_seconds).collect();
    let longest = plan.shards.iter().flat_map(|s| &s.groups).map(|g| g.estimate_seconds).max();
    let spread = times.iter().max().unwrap() - times.iter().min().unwrap();
    assert!(spread <= longest.unwrap(), "{times:?} longest group {longest:?}");
    assert!(times.iter().all(|&t| t > 0), "{times:?}");
}

fn bench_plan(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["plan", "matrix.kdl"])
        .args(args)
        .current_dir(ROOT)
        .output()
        .unwrap()
}

#[test]
fn the_rendered_plan() {
    let out =
        bench_plan(&["--shards", "2", "--only", "falcon*", "--results", "tests/fixtures/none"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn json_plan_matches_the_library_plan_and_shard_selection() {
    let out =
        bench_plan(&["--shards", "3", "--format", "json", "--results", "tests/fixtures/none"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cells = article();
    for k in 1..=3u32 {
        let mut from_json: Vec<String> = json["shards"][(k - 1) as usize]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["cells"].as_array().unwrap().iter())
            .map(|id| id.as_str().unwrap().to_string())
            .collect();
        let mut selected: Vec<String> = Shard::parse(&format!("{k}/3"))
            .unwrap()
            .select(cells.clone())
            .into_iter()
            .map(|c| c.id)
            .collect();
        from_json.sort();
        selected.sort();
        assert_eq!(from_json, selected, "shard {k}/3");
    }
}
