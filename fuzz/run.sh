#!/usr/bin/env bash
# Run the atheris fuzz targets for a given time each.
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET ...]     (default 120 s, all targets)
# Needs atheris in the environment's Python (PYTHON, default .venv/bin/python).
# Crash inputs are written to fuzz/findings/<target>/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-$here/../.venv/bin/python}"
seconds="${1:-120}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <("$python" "$here/targets.py" --list)
fi
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
status=0
for t in "${targets[@]}"; do
  mkdir -p "$here/findings/$t" "$here/corpus/$t"
  echo "== $t: ${seconds}s"
  if ! "$python" "$here/targets.py" "$t" "$here/corpus/$t" \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 \
      -artifact_prefix="$here/findings/$t/" -print_final_stats=1; then
    echo "!! $t: finding(s) in $here/findings/$t/"
    status=1
  fi
done
exit $status
