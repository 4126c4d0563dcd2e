//! A cell's estimates: what they hold, how they serialise, what they refuse.

use bench::statistics::{CellEstimates, CellFigures, Estimate, Figure, StatisticsError};

#[test]
fn the_point_is_the_median_and_the_interval_is_symmetric_in_logarithms() {
    let estimate = Estimate::from_executions(&[100.0, 400.0, 200.0, 300.0]).unwrap();
    assert_eq!(estimate.point, 250.0);
    assert_eq!(estimate.executions, 4);
    let (low, high) = (estimate.low.unwrap(), estimate.high.unwrap());
    let geometric_mean = (100.0f64 * 400.0 * 200.0 * 300.0).powf(0.25);
    assert!((low * high - geometric_mean * geometric_mean).abs() < 1e-6 * low * high);
    assert!((estimate.relative_half_width.unwrap() - (high / geometric_mean - 1.0)).abs() < 1e-12);
}

#[test]
fn a_constant_cell_has_a_zero_width_interval_and_one_execution_has_none() {
    let constant = Estimate::from_executions(&[42.0; 3]).unwrap();
    assert_eq!(constant.low, constant.high);
    assert!((constant.low.unwrap() - 42.0).abs() < 1e-9);
    assert_eq!(constant.relative_half_width, Some(0.0));
    // exp(ln 902.655) is 902.6550000000004: the printed point must not fall outside.
    let identical = Estimate::from_executions(&[902.655; 3]).unwrap();
    assert_eq!((identical.low, identical.high), (Some(902.655), Some(902.655)));
    let single = Estimate::from_executions(&[42.0]).unwrap();
    assert_eq!((single.point, single.low, single.high), (42.0, None, None));
    assert_eq!(single.bounds(), (0.0, f64::INFINITY));
}

#[test]
fn executions_in_two_groups_can_put_the_median_outside_the_interval() {
    // Six executions at one speed, four at another: the median is one group's figure, the
    // interval is about the geometric mean. docs/statistics.md says how to read this.
    let values = [100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 150.0, 150.0, 150.0, 150.0];
    let estimate = Estimate::from_executions(&values).unwrap();
    assert_eq!(estimate.point, 100.0);
    assert!(estimate.low.unwrap() > 100.0, "{estimate:?}");
}

#[test]
fn bad_figures_are_refused_with_the_figure_named() {
    assert_eq!(Estimate::from_executions(&[]), Err(StatisticsError::Empty));
    for bad in [0.0, -3.0, f64::INFINITY] {
        let error = Estimate::from_executions(&[1.0, bad]).unwrap_err();
        assert_eq!(error, StatisticsError::NotPositive { index: 1, value: bad });
    }
    assert!(Estimate::from_executions(&[f64::NAN]).is_err());
    let figures = CellFigures {
        requests_per_second: vec![1000.0, 1100.0],
        latency_mean: vec![1.0, 1.1],
        latency_p50: vec![0.9, 1.0],
        latency_p99: vec![5.0, 0.0],
    };
    let error = CellEstimates::from_figures(&figures).unwrap_err();
    assert_eq!(
        error.to_string(),
        "latency p99: execution 1 has the figure 0, which is not a positive finite number: \
         leave failed executions out instead of recording them as 0"
    );
}

#[test]
fn cell_estimates_serialise_with_plain_field_names() {
    let figures = CellFigures {
        requests_per_second: vec![1000.0, 1100.0, 1050.0],
        latency_mean: vec![1.0, 1.1, 1.05],
        latency_p50: vec![0.9, 1.0, 0.95],
        latency_p99: vec![5.0, 6.0, 5.5],
    };
    let estimates = CellEstimates::from_figures(&figures).unwrap();
    assert_eq!(estimates.of(Figure::LatencyP99).point, 5.5);
    let json = serde_json::to_value(&estimates).unwrap();
    assert_eq!(json["requests_per_second"]["point"], 1050.0);
    assert_eq!(json["latency_p50"]["executions"], 3);
    assert!(json["latency_mean"]["low"].as_f64().unwrap() < 1.05);
    let back: CellEstimates = serde_json::from_value(json).unwrap();
    assert_eq!(back, estimates);
}
