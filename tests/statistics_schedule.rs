//! The interleaved order of executions: rounds, no cell twice in a row, replayable.

use bench::statistics::Schedule;

fn cells(count: usize, executions: usize) -> Vec<(String, usize)> {
    (0..count).map(|i| (format!("cell-{i}"), executions)).collect()
}

fn back_to_back(order: &[String]) -> usize {
    order.windows(2).filter(|pair| pair[0] == pair[1]).count()
}

#[test]
fn every_round_is_a_permutation_and_no_cell_runs_twice_in_a_row() {
    for (count, executions) in [(2, 10), (3, 5), (7, 3), (20, 10)] {
        for seed in 0..50 {
            let order = Schedule::interleave(&cells(count, executions), seed);
            assert_eq!(order.len(), count * executions);
            assert_eq!(back_to_back(&order), 0, "{count} cells, seed {seed}: {order:?}");
            for round in order.chunks(count) {
                let mut sorted = round.to_vec();
                sorted.sort();
                sorted.dedup();
                assert_eq!(sorted.len(), count, "a round repeats a cell: {round:?}");
            }
        }
    }
}

#[test]
fn replaying_a_seed_gives_the_same_order_and_another_seed_another() {
    let cells = cells(10, 5);
    let first = Schedule::interleave(&cells, 42);
    assert_eq!(first, Schedule::interleave(&cells, 42));
    assert_ne!(first, Schedule::interleave(&cells, 43));
}

#[test]
fn the_order_is_random_not_rotated() {
    // Over many seeds, every cell opens the run, and each one about as often as the others.
    let mut opens = [0usize; 4];
    for seed in 0..4_000 {
        let order = Schedule::interleave(&[(0, 3), (1, 3), (2, 3), (3, 3)], seed);
        opens[order[0]] += 1;
    }
    // 1,000 expected each, standard deviation 27: 5 deviations either side.
    assert!(opens.iter().all(|n| (865..=1_135).contains(n)), "{opens:?}");
}

#[test]
fn a_round_never_starts_with_the_cell_that_ended_the_previous_one() {
    let mut schedule = Schedule::new(7);
    let due = ["a", "b"];
    let mut previous = schedule.next_round(&due);
    for _ in 0..200 {
        let round = schedule.next_round(&due);
        assert_ne!(round[0], *previous.last().unwrap(), "{previous:?} then {round:?}");
        previous = round;
    }
}

#[test]
fn adaptive_rounds_over_shrinking_sets_still_avoid_repeats_while_two_cells_remain() {
    let mut schedule = Schedule::new(3);
    let mut order = Vec::new();
    for due in [&["a", "b", "c"][..], &["a", "b", "c"], &["a", "c"], &["a", "c"], &["c", "b"]] {
        order.extend(schedule.next_round(due));
    }
    assert_eq!(order.windows(2).filter(|pair| pair[0] == pair[1]).count(), 0, "{order:?}");
}

#[test]
fn a_single_cell_or_uneven_counts_repeat_only_where_unavoidable() {
    assert_eq!(Schedule::interleave(&[("only", 3)], 1), ["only"; 3]);
    // "a" needs 3 and "b" 1: after the first round only "a" is left.
    let order = Schedule::interleave(&[("a", 3), ("b", 1)], 9);
    assert_eq!(order.len(), 4);
    assert_eq!(order[2..], ["a", "a"]);
    assert!(Schedule::<&str>::interleave(&[], 1).is_empty());
}
