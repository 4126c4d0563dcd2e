use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The interleaved order of executions (Randomized Multiple Interleaved Trials, Abedi &
/// Brecht 2017): rounds, each a random permutation of the cells that still need an execution,
/// so that a slow period of the machine spreads over all cells instead of hitting one.
///
/// Replaying a seed gives the same order: ChaCha8's stream is fixed by its specification
/// (`rand_chacha` guarantees it across versions, `StdRng` does not), and the shuffle is the
/// one of the locked `rand` version.
#[derive(Debug, Clone)]
pub struct Schedule<T> {
    rng: ChaCha8Rng,
    last: Option<T>,
}

impl<T: Clone + PartialEq> Schedule<T> {
    pub fn new(seed: u64) -> Self {
        Schedule { rng: ChaCha8Rng::seed_from_u64(seed), last: None }
    }

    /// The next round: the distinct cells in `due` in a random order that does not start with
    /// the cell the previous round ended with. That is possible whenever `due` has two cells
    /// or more; with one left, it may have to follow itself.
    pub fn next_round(&mut self, due: &[T]) -> Vec<T> {
        let mut round = due.to_vec();
        round.shuffle(&mut self.rng);
        if round.len() > 1 && self.last.as_ref() == round.first() {
            // Swapping the repeat to a uniform later position keeps the order uniform over
            // the permutations that do not start with it: each is reached by exactly one swap.
            let later = self.rng.random_range(1..round.len());
            round.swap(0, later);
        }
        if let Some(end) = round.last() {
            self.last = Some(end.clone());
        }
        round
    }

    /// The whole order for cells that each need the given number of executions: rounds until
    /// every cell has its count. With equal counts and two cells or more, no cell ever runs
    /// twice in a row; with unequal counts the last rounds may hold a single cell.
    pub fn interleave(cells: &[(T, usize)], seed: u64) -> Vec<T> {
        let mut schedule = Schedule::new(seed);
        let mut remaining: Vec<usize> = cells.iter().map(|(_, count)| *count).collect();
        let mut order = Vec::with_capacity(remaining.iter().sum());
        loop {
            let due: Vec<T> = cells
                .iter()
                .zip(&remaining)
                .filter(|(_, left)| **left > 0)
                .map(|((id, _), _)| id.clone())
                .collect();
            if due.is_empty() {
                return order;
            }
            remaining.iter_mut().filter(|left| **left > 0).for_each(|left| *left -= 1);
            order.extend(schedule.next_round(&due));
        }
    }
}
