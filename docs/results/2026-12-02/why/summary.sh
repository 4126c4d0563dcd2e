#!/usr/bin/env bash
# Per execution of a results directory's SCENARIO: row, execution, outcome, req/s, server CPU %,
# generator CPU % of its core, other processes' cores and the hypervisor's steal while
# measuring (from the host-quiet check), reconnects. Usage: summary.sh RESULTS [SCENARIO]
set -euo pipefail
dir=$1 scenario=${2:-hello}
for f in "$dir/$scenario"/*/*.json; do
  jq -r '((.checks[]? | select(.name == "host-quiet") | .detail
           | capture("used (?<o>[0-9.]+) cores.*stole (?<s>[0-9.]+)")) // {o: "-", s: "-"}) as $q
         | [.name, .repetition, .outcome, (.load.rps // 0 | floor),
            (.usage.cpu_percent_mean // 0 | floor),
            ((.load.generator_cpu_us // 0) / (.load.duration_us // 1) * 100 | floor),
            $q.o, $q.s, (.load.reconnects // 0)] | @tsv' "$f"
done | sort -k1,1 -k2,2n
