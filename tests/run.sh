#!/bin/bash
# The whole test suite, from a fresh Debian 12 machine, as root: installs the
# dependencies, builds (and a clang build for the fuzz target, and a sanitizer
# build for the unit tests), runs every tier with CTest, and builds and tests
# the tree again in a Debian 13 root. See docs/testing.md. Each phase is timed.
set -euo pipefail
TOOLBOX_SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd)
export TOOLBOX_SOURCE_DIR
. "$TOOLBOX_SOURCE_DIR/tests/lib/setup.sh"
[ "$(id -u)" = 0 ] || { echo "tests/run.sh: run as root (the tests use namespaces, binfmt_misc and podman)" >&2; exit 1; }
: "${TOOLBOX_TEST_CACHE:=/var/cache/toolbox-tests}"
export TOOLBOX_TEST_CACHE

status=0
tbx_phase install-deps tbx_install_deps "${TBX_TEST_PACKAGES[@]}"
# The Debian roots (debootstrap and apt, network-bound) are made in the
# background while the Debian 12 trees compile (CPU-bound).
tbx_background roots tbx_prepare_roots
build=${TOOLBOX_BUILD_DIR:-$TOOLBOX_SOURCE_DIR/build}
tbx_phase build tbx_build "$build" -DCMAKE_BUILD_TYPE=Release
# Debug: -O0 compiles the header-only libraries far faster under the
# sanitizers, and adds _GLIBCXX_ASSERTIONS.
tbx_phase sanitizer-build tbx_build "$build-asan" -DCMAKE_BUILD_TYPE=Debug -DTOOLBOX_SANITIZE=ON -- toolbox-unit-tests \
  toolbox toolbox-binfmt-handler toolbox-probe toolbox-probe-unmarked toolbox-probe-flags-only toolbox-probe-note-v2
tbx_phase fuzz-build tbx_build "$build-fuzz" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DTOOLBOX_FUZZ=ON -- fuzz-handler \
  fuzz-podman-ps fuzz-podman-images fuzz-podman-inspect fuzz-skopeo fuzz-cdi fuzz-config fuzz-kernel-argv

# --no-tests=error: a tier that registered nothing must not pass.
tbx_phase unit-asan ctest --test-dir "$build-asan" -L unit --no-tests=error --output-on-failure || status=1
# Each tests/fuzz target: its stored corpus replayed, then 1 M executions.
tbx_phase fuzz ctest --test-dir "$build-fuzz" -L fuzz -j2 --no-tests=error --output-on-failure || status=1
tbx_wait_background roots && tbx_phase debian-13 tbx_trixie_build_and_test || status=1
# Last, so that its summary line (and the timings) close the run.
# The privileged tests that touch binfmt_misc run themselves twice, with the
# machine's instance mounted at /proc/sys/fs/binfmt_misc and without
# (tbx_in_each_binfmt_state), whatever this machine's state.
tbx_phase all-tiers ctest --test-dir "$build" -j2 --no-tests=error --output-on-failure "$@" || status=1
tbx_phase_summary
exit $status
