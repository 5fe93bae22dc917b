#!/bin/bash
# Each fault test must fail on a build broken the way it guards against.
# tests/faults/breaks/*.patch: a "Test: NAME" line (the CTest name), a "Break:"
# line saying what the patch breaks, then a diff against the source tree. For
# each: a copy of the committed tree (git archive HEAD) in $TOOLBOX_BREAKS_DIR,
# the patch applied, toolbox built there, and the test run against that build
# with TOOLBOX_TESTS_MUST_WORK=1; the break is caught when the test FAILS.
# Run as root from the source tree; slow (a build per patch, ccache helps):
# tests/long.sh breaks runs it.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
work=${TOOLBOX_BREAKS_DIR:-$src/build-breaks}
status=0
for p in "$src"/tests/faults/breaks/*.patch; do
  name=$(basename "$p" .patch)
  test=$(sed -n 's/^Test: //p' "$p" | head -n1)
  [ -n "$test" ] || { echo "$name: no 'Test:' line" >&2; status=1; continue; }
  tree=$work/$name
  rm -rf "$tree"
  mkdir -p "$tree"
  git -C "$src" archive HEAD | tar -x -C "$tree"
  # git apply skips the header lines before the diff.
  git -C "$tree" apply "$p" 2>/dev/null || (cd "$tree" && patch -p1 -s <"$p") || {
    echo "$name: the patch no longer applies" >&2; status=1; continue; }
  echo "== $name: $(sed -n 's/^Break: //p' "$p")"
  cmake -S "$tree" -B "$tree/build-dev" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache >/dev/null
  ninja -C "$tree/build-dev" toolbox toolbox-binfmt-handler toolbox-probe toolbox-probe-unmarked \
    toolbox-probe-libelf toolbox-mark toolbox-test-deny-openat2 toolbox-test-userns binfmt.d/toolbox.conf >/dev/null
  if TOOLBOX_TESTS_MUST_WORK=1 ctest --test-dir "$tree/build-dev" -R "^$test\$" --no-tests=error \
      --output-on-failure >"$tree/test.log" 2>&1; then
    echo "$name: NOT CAUGHT: $test passed on the broken build ($tree/test.log)"
    status=1
  else
    echo "$name: caught: $test failed on the broken build:"
    grep -E 'FAIL' "$tree/test.log" | head -n3 | sed 's/^/  /'
  fi
done
exit $status
