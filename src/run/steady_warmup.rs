use std::sync::Arc;
use std::time::Duration;

use super::http::Http;
use crate::load::{LoadConfig, LoadSummary, LoadWatch};
use crate::statistics::{WarmupEnd, WarmupRule};

/// How often the warm-up's windows are looked at: the stop comes this long at most after the
/// window that made throughput steady closed.
const LOOK_EVERY: Duration = Duration::from_millis(100);

/// The warm-up load, watched window by window (the generator's windows are one second, so a
/// window's requests are its requests/s) and stopped as soon as `rule` finds throughput
/// steady; the configured warm-up (`config.duration`) is the bound, and a load that reaches
/// it ends on its own. Gives the load's outcome and how the warm-up ended.
pub(super) async fn steady_warmup<H: Http>(
    http: &H,
    config: LoadConfig,
    rule: WarmupRule,
) -> (Result<LoadSummary, String>, WarmupEnd) {
    let bound = config.duration.as_millis().div_ceil(1000).max(1) as usize;
    let watch = Arc::new(LoadWatch::default());
    let load = http.load_watched(config, watch.clone());
    tokio::pin!(load);
    let (mut judged, mut steady) = (0, None);
    let loaded = loop {
        tokio::select! {
            loaded = &mut load => break loaded,
            _ = tokio::time::sleep(LOOK_EVERY), if steady.is_none() => {
                let rates: Vec<f64> = watch.windows().into_iter().map(|r| r as f64).collect();
                // Every window count not judged yet, so that the end does not depend on when
                // this loop happened to look.
                steady = (judged + 1..=rates.len()).find_map(|seen| {
                    rule.decide(&rates[..seen], bound)
                        .filter(|end| matches!(end, WarmupEnd::Steady { .. }))
                });
                judged = rates.len();
                if steady.is_some() {
                    watch.stop();
                }
            }
        }
    };
    (loaded, steady.unwrap_or(WarmupEnd::Bound { windows: bound }))
}
