#!/usr/bin/env bash
# Run the libFuzzer harnesses (built by `make fuzz-cpp` in build/fuzz) for a given time each.
#   fuzz/cpp/run.sh [SECONDS_PER_TARGET] [TARGET ...]      (default 600 s, all targets)
# Corpora grow in fuzz/corpus/<target>/ (seeded from fuzz/cpp/seeds/<target>/ when present);
# crash inputs land in fuzz/findings/<target>/; a log per target in fuzz/findings/<target>.log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
bin="${FUZZ_BUILD:-$root/build/fuzz}"
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$bin"/fuzz_*; do [ -x "$f" ] && targets+=("$(basename "$f")"); done
fi
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
status=0
for t in "${targets[@]}"; do
  corpus="$root/fuzz/corpus/$t" findings="$root/fuzz/findings/$t"
  mkdir -p "$corpus" "$findings"
  seeds=()
  [ -d "$here/seeds/$t" ] && seeds=("$here/seeds/$t")
  echo "== $t: ${seconds}s"
  # -len_control=0: full-length inputs from the start (a label volume needs one byte per voxel).
  if ! "$bin/$t" "$corpus" "${seeds[@]}" -max_total_time="$seconds" -timeout=20 -len_control=0 \
      -rss_limit_mb=2048 -artifact_prefix="$findings/" -print_final_stats=1 \
      > "$findings.log" 2>&1; then
    echo "!! $t: finding(s) in $findings/ (log: $findings.log)"
    status=1
  fi
  # One summary line: executions, coverage (edges) and features at the end of the run.
  grep -E "^#[0-9]+.*(DONE|cov:)" "$findings.log" | tail -n1 || true
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$findings.log" || true
done
exit $status
