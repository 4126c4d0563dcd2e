"""Time cpu_work() as /cpu runs it: `python -m common.measure_cpu [ROUNDS]` (PYTHONPATH with
apps/, or in an image: `docker run --rm --cpus 1 IMAGE python -m common.measure_cpu`).
Prints min / p10 / p50 / p90 in ms; retune CPU_ITERATIONS when p50 leaves 90-100 ms on a
quiet machine."""

import platform
import sys
import time

from common import CPU_ITERATIONS, cpu_work


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        cpu_work()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]  # noqa: E731
    print(
        "%s %s, %d iterations, %d rounds: min %.1f p10 %.1f p50 %.1f p90 %.1f ms"
        % (platform.python_implementation(), platform.python_version(), CPU_ITERATIONS, rounds,
           times[0], pick(0.1), pick(0.5), pick(0.9))
    )


if __name__ == "__main__":
    main()
