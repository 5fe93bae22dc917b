# Shared by the shell tests: results, skips, and the build's file names.
# A test prints what it checks, exits 0 on success, 1 on failure and 77 to skip
# (CTest's SKIP_RETURN_CODE); TOOLBOX_TESTS_MUST_WORK=1 turns skips into failures.
set -euo pipefail

TBX_TEST_NAME=$(basename "$0" .sh)
: "${TOOLBOX_BUILD_DIR:?run through ctest, or set TOOLBOX_BUILD_DIR}"
: "${TOOLBOX_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${TOOLBOX_TEST_CACHE:=/var/cache/toolbox-tests}"
export TOOLBOX_BUILD_DIR TOOLBOX_SOURCE_DIR TOOLBOX_TEST_CACHE

tbx_checks=0
tbx_skipped_parts=0

say() { printf '%s: %s\n' "$TBX_TEST_NAME" "$*"; }

skip() {
  if [ "${TOOLBOX_TESTS_MUST_WORK:-0}" = 1 ]; then
    say "FAIL (a skip, and TOOLBOX_TESTS_MUST_WORK=1): $*"
    exit 1
  fi
  say "SKIP: $*"
  exit 77
}

# skip_part WHY: a part of the test that cannot run here. Said at once and in
# the closing line; under TOOLBOX_TESTS_MUST_WORK=1 a failure, like a skip:
# coverage must never shrink in silence.
skip_part() {
  if [ "${TOOLBOX_TESTS_MUST_WORK:-0}" = 1 ]; then
    say "FAIL (a part skipped, and TOOLBOX_TESTS_MUST_WORK=1): $*"
    exit 1
  fi
  tbx_skipped_parts=$((tbx_skipped_parts + 1))
  say "SKIPPED PART: $*"
}

# tbx_modes DEFAULT...: sets $modes, the modes (rootful, rootless) to run, from
# TOOLBOX_TEST_MODES; leaving one of DEFAULT out is a skipped part.
tbx_modes() {
  local m
  modes=${TOOLBOX_TEST_MODES:-$*}
  for m in "$@"; do
    case " $modes " in *" $m "*) ;; *) skip_part "mode $m not run (TOOLBOX_TEST_MODES=$modes)" ;; esac
  done
}

fail() {
  say "FAIL: $*"
  exit 1
}

ok() {
  tbx_checks=$((tbx_checks + 1))
  say "ok: $*"
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
  [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
  ok "$1"
}

# expect_match WHAT TEXT EXTENDED-REGEX
expect_match() {
  printf '%s\n' "$2" | grep -Eq -- "$3" || fail "$1: '$2' does not match /$3/"
  ok "$1"
}

# expect_text_match WHAT TEXT EXTENDED-REGEX: against the whole text as one
# string (^ and $ are its start and end, not those of any line, so '^$' means
# empty), unlike expect_match.
expect_text_match() {
  [[ $2 =~ $3 ]] || fail "$1: '$2' does not match /$3/ (as a whole)"
  ok "$1"
}

expect_no_match() {
  if printf '%s\n' "$2" | grep -Eq -- "$3"; then fail "$1: '$2' matches /$3/"; fi
  ok "$1"
}

# run_capture VAR_PREFIX CMD...: sets ${P}_out, ${P}_err, ${P}_rc without failing.
run_capture() {
  local p=$1
  shift
  local out err rc
  out=$(mktemp) err=$(mktemp)
  set +e
  "$@" >"$out" 2>"$err"
  rc=$?
  set -e
  printf -v "${p}_out" '%s' "$(cat "$out")"
  printf -v "${p}_err" '%s' "$(cat "$err")"
  printf -v "${p}_rc" '%s' "$rc"
  rm -f "$out" "$err"
}

done_ok() {
  if [ "$tbx_skipped_parts" = 0 ]; then
    say "PASS ($tbx_checks checks)"
  else
    say "PASS ($tbx_checks checks; $tbx_skipped_parts parts SKIPPED, see above)"
  fi
}

need_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }

need_cmd() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || skip "needs $c"; done
}
