#!/bin/bash
# Long runs that do not fit the CI budget (tests/run.sh stays under an hour):
# one section per topic, run as root from the source tree, each printing its
# figures. Usage: tests/long.sh [SECTION...]  (default: all)
#   fuzz  every libFuzzer target for $TOOLBOX_LONG_FUZZ_SECONDS (default 3600)
#         each, from the repository's corpus; prints executions, exec/s and
#         coverage; new inputs go to $build-fuzz/long-corpus/<target>, crashes
#         to $build-fuzz/long-crashes/ (copy them to tests/fuzz/corpus/<target>/
#         once fixed: they are then replayed by CI).
#   breaks  tests/faults/check-breaks.sh: each fault test fails on the build
#         broken the way it guards against (a build per patch).
set -euo pipefail
TOOLBOX_SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd)
export TOOLBOX_SOURCE_DIR
. "$TOOLBOX_SOURCE_DIR/tests/lib/setup.sh"
build=${TOOLBOX_BUILD_DIR:-$TOOLBOX_SOURCE_DIR/build}
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(fuzz breaks)
status=0

long_fuzz() {
  local seconds=${TOOLBOX_LONG_FUZZ_SECONDS:-3600} t exe log
  echo "== fuzz build (clang)"
  tbx_build "$build-fuzz" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DTOOLBOX_FUZZ=ON
  mkdir -p "$build-fuzz/long-crashes"
  for t in podman_ps podman_images podman_inspect skopeo cdi config kernel_argv; do
    exe=$build-fuzz/tests/fuzz/fuzz-${t//_/-}
    mkdir -p "$build-fuzz/long-corpus/$t"
    log=$build-fuzz/long-$t.log
    echo "== fuzz $t for ${seconds} s"
    if "$exe" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build-fuzz/long-crashes/$t-" \
        "$build-fuzz/long-corpus/$t" "$TOOLBOX_SOURCE_DIR/tests/fuzz/corpus/$t" >"$log" 2>&1; then
      :
    else
      status=1
      echo "$t: FAILED (see $log)"
    fi
    grep -E '^(#[0-9]+\s+DONE|stat::number_of_executed_units|stat::average_exec_per_sec)' "$log" || true
    grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n1 | sed "s/^/$t: final /"
  done
  # The handler's own target (ELF, paths in a root, ld.so.conf).
  ninja -C "$build-fuzz" fuzz-handler >/dev/null
  echo "== fuzz handler for ${seconds} s"
  "$build-fuzz/handler/fuzz/fuzz-handler" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build-fuzz/long-crashes/handler-" "$build-fuzz/fuzz-corpus" \
    >"$build-fuzz/long-handler.log" 2>&1 || { status=1; echo "handler: FAILED"; }
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$build-fuzz/long-handler.log" || true
}

for s in "${sections[@]}"; do
  case $s in
    fuzz) long_fuzz ;;
    breaks) "$TOOLBOX_SOURCE_DIR/tests/faults/check-breaks.sh" || status=1 ;;
    *) echo "tests/long.sh: unknown section '$s'" >&2; exit 2 ;;
  esac
done
exit $status
