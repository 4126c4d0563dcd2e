/// Every way the statistics can refuse their input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatisticsError {
    /// No executions at all: there is nothing to estimate.
    #[error(
        "no executions to summarise: a figure needs 1 execution, an interval 2 (3 for a useful one)"
    )]
    Empty,
    /// A figure that is zero, negative, infinite or NaN; the method works on logarithms.
    #[error(
        "execution {index} has the figure {value}, which is not a positive finite number: \
         leave failed executions out instead of recording them as 0"
    )]
    NotPositive { index: usize, value: f64 },
    /// A comparison needs a spread on both sides.
    #[error(
        "a comparison needs at least 2 executions on each side (baseline has {baseline}, \
         candidate has {candidate}): run more executions of the cell"
    )]
    TooFewToCompare { baseline: usize, candidate: usize },
    /// One of a cell's figures was refused; says which.
    #[error("{figure}: {source}")]
    InFigure {
        figure: super::Figure,
        #[source]
        source: Box<StatisticsError>,
    },
}
