#!/bin/bash
# Marking: reproducible (two marks of one link are byte-identical), idempotent,
# survives strip(1), and refuses a file without the note.
. "$(dirname "$0")/../lib/common.sh"
need_cmd strip cmp readelf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp "$TOOLBOX_PROBE" "$tmp/a"
"$TOOLBOX_MARK" "$tmp/a"
cmp -s "$TOOLBOX_PROBE" "$tmp/a" || fail "marking a marked file changed it"
ok "idempotent"
expect_match "e_flags carries the marker" "$(readelf -h "$tmp/a")" "Flags: +0x31786274"
expect_match "the note is in a PT_NOTE segment" "$(readelf -n "$tmp/a")" "Toolbox +0x00000004"

strip -o "$tmp/stripped" "$TOOLBOX_PROBE"
run_capture r "$TOOLBOX_MARK" --check "$tmp/stripped"
expect_eq "strip keeps the marker" "$r_rc" 0
strip --strip-all --remove-section=.comment -o "$tmp/stripped2" "$TOOLBOX_BIN"
run_capture r "$TOOLBOX_MARK" --check "$tmp/stripped2"
expect_eq "strip --strip-all keeps toolbox's marker" "$r_rc" 0

cp "$TOOLBOX_PROBE_UNMARKED" "$tmp/u1"
cp "$TOOLBOX_PROBE_UNMARKED" "$tmp/u2"
run_capture r "$TOOLBOX_MARK" "$tmp/u1"
expect_eq "a file without the note is refused" "$r_rc" 1
expect_match "refusal names the note" "$r_err" "has no marker note"
cmp -s "$tmp/u1" "$tmp/u2" || fail "a refused file was modified"
ok "a refused file is untouched"

# Reproducible: clear e_flags on two copies, mark both, compare with the build's.
for n in 1 2; do
  cp "$TOOLBOX_PROBE" "$tmp/r$n"
  "$TOOLBOX_BUILD_DIR/tests/toolbox-test-set-flags" "$tmp/r$n" 0
  "$TOOLBOX_MARK" "$tmp/r$n"
done
cmp -s "$tmp/r1" "$tmp/r2" && cmp -s "$tmp/r1" "$TOOLBOX_PROBE" || fail "marking is not reproducible"
ok "reproducible: re-marking gives the same bytes"
run_capture r "$TOOLBOX_MARK" --check "$TOOLBOX_PROBE_FLAGS_ONLY"
expect_eq "--check: flags without note is not verified" "$r_rc" 1
done_ok
