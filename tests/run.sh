#!/bin/bash
# The whole test suite, from a fresh Debian 12 machine, as root: installs the
# dependencies, builds (and a clang build for the fuzz target, and a sanitizer
# build for the unit tests), and runs every tier with CTest. See docs/testing.md.
set -euo pipefail
TOOLBOX_SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd)
export TOOLBOX_SOURCE_DIR
. "$TOOLBOX_SOURCE_DIR/tests/lib/setup.sh"
[ "$(id -u)" = 0 ] || { echo "tests/run.sh: run as root (the tests use namespaces, binfmt_misc and podman)" >&2; exit 1; }

tbx_install_deps
build=${TOOLBOX_BUILD_DIR:-$TOOLBOX_SOURCE_DIR/build}
echo "== build ($build)"
tbx_build "$build" -DCMAKE_BUILD_TYPE=Release
echo "== sanitizer build (unit tests)"
# Debug: -O0 compiles the header-only libraries far faster under the
# sanitizers, and adds _GLIBCXX_ASSERTIONS.
tbx_build "$build-asan" -DCMAKE_BUILD_TYPE=Debug -DTOOLBOX_SANITIZE=ON -- toolbox-unit-tests toolbox toolbox-binfmt-handler \
  toolbox-probe toolbox-probe-unmarked toolbox-probe-flags-only toolbox-probe-note-v2
echo "== fuzz build (clang)"
tbx_build "$build-fuzz" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DTOOLBOX_FUZZ=ON -- fuzz-handler \
  fuzz-podman-ps fuzz-podman-images fuzz-podman-inspect fuzz-skopeo fuzz-cdi fuzz-config fuzz-kernel-argv

status=0
echo "== unit tests with AddressSanitizer and UBSan"
# --no-tests=error: a tier that registered nothing must not pass.
ctest --test-dir "$build-asan" -L unit --no-tests=error --output-on-failure || status=1
echo "== fuzzing (bounded)"
# Each tests/fuzz target: its stored corpus replayed, then 1 M executions.
ctest --test-dir "$build-fuzz" -L fuzz -j2 --no-tests=error --output-on-failure || status=1
echo "== all tiers"
# Last, so its summary line is the run's closing line.
# The privileged tests that touch binfmt_misc run themselves twice, with the
# machine's instance mounted at /proc/sys/fs/binfmt_misc and without
# (tbx_in_each_binfmt_state), whatever this machine's state.
ctest --test-dir "$build" -j2 --no-tests=error --output-on-failure "$@" || status=1
exit $status
