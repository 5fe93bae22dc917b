#!/bin/bash
# What the handler costs per exec, measured side by side in one run, inside a
# private user and mount namespace with the entry in a private binfmt_misc
# instance:
#  1. host: the marked toolbox --version through the handler, against an
#     unmarked copy that the kernel runs natively;
#  2. container (a Debian 11 root with the host at run/host, entered with
#     chroot): the marked toolbox through the handler, against the very loader
#     command line the handler execs there. toolbox-bench-exec runs inside the
#     chroot (it is static), so chroot(1)'s own start-up is on neither side.
# A benchmark prints figures and never fails on timing; it fails only when it
# cannot set up or a command does not run.
#
# Usage, as root: bash tests/bench/handler_latency.sh [ROUNDS]   (default 200)
# TOOLBOX_BUILD_DIR defaults to the build/ next to tests/; ctest's other
# variables are derived from it.
: "${TOOLBOX_BUILD_DIR:=$(cd "$(dirname "$0")/../.." && pwd)/build}"
: "${TOOLBOX_HANDLER:=$TOOLBOX_BUILD_DIR/handler/toolbox-binfmt-handler}"
: "${TOOLBOX_BIN:=$TOOLBOX_BUILD_DIR/toolbox/toolbox}"
: "${TOOLBOX_PROBE:=$TOOLBOX_BUILD_DIR/tests/toolbox-probe}"
: "${TOOLBOX_PROBE_UNMARKED:=$TOOLBOX_BUILD_DIR/tests/toolbox-probe-unmarked}"
: "${TOOLBOX_PROBE_LIBELF:=$TOOLBOX_BUILD_DIR/tests/toolbox-probe-libelf}"
: "${TOOLBOX_BINFMT_CONF:=$TOOLBOX_BUILD_DIR/binfmt.d/toolbox.conf}"
: "${TOOLBOX_BENCH_EXEC:=$TOOLBOX_BUILD_DIR/tests/toolbox-bench-exec}"
: "${TOOLBOX_SET_FLAGS:=$TOOLBOX_BUILD_DIR/tests/toolbox-test-set-flags}"
export TOOLBOX_BUILD_DIR TOOLBOX_HANDLER TOOLBOX_BIN TOOLBOX_PROBE TOOLBOX_PROBE_UNMARKED \
  TOOLBOX_PROBE_LIBELF TOOLBOX_BINFMT_CONF TOOLBOX_BENCH_EXEC TOOLBOX_SET_FLAGS
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/roots.sh"

rounds=${1:-200}
target_ms=0.3
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || fail "ROUNDS must be a positive number, not '$rounds'"
for f in "$TOOLBOX_HANDLER" "$TOOLBOX_BIN" "$TOOLBOX_BENCH_EXEC" "$TOOLBOX_SET_FLAGS" "$TOOLBOX_BINFMT_CONF"; do
  [ -e "$f" ] || fail "$f is missing: build first (ninja -C $TOOLBOX_BUILD_DIR)"
done
need_root
need_cmd chroot strip
# Roots are built outside the user namespace: debootstrap needs real root.
R=$(tbx_root bullseye) || skip "cannot build a Debian 11 root with debootstrap"
tbx_enter_private_namespace "$@"
tbx_private_binfmt
entry=toolbox-bench-$$
tbx_register "$entry"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; tbx_unregister "$entry"' EXIT

# toolbox-bench-exec's comparison line: "LABEL vs BASE: ratio R, median difference D ms".
ratio_of() { sed -n 's/^.* vs .*: ratio \([0-9.]*\), .*$/\1/p' <<<"$1"; }
diff_of() { sed -n 's/^.*median difference \([-+0-9.]*\) ms$/\1/p' <<<"$1"; }
median_of() { awk -v l="$2" '$1 == l && $2 ~ /^[0-9.]+$/ { print $2 }' <<<"$1"; }
verdict() { awk -v d="$1" -v t="$target_ms" 'BEGIN { print (d <= t ? "within the target" : "ABOVE the target") }'; }

# 0. The handler's size: what every exec of toolbox maps and relocates.
strip -o "$tmp/handler.stripped" "$TOOLBOX_HANDLER"
size=$(stat -c %s "$TOOLBOX_HANDLER")
stripped=$(stat -c %s "$tmp/handler.stripped")
say "handler: $TOOLBOX_HANDLER"
say "handler size: $size bytes, stripped: $stripped bytes"
say "target: the handler adds at most $target_ms ms per exec"
say "machine: $(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. Host: both copies on the same file system; the unmarked one has e_flags 0,
#    so the binfmt_misc entry does not match it.
cp "$TOOLBOX_BIN" "$tmp/toolbox"
cp "$TOOLBOX_BIN" "$tmp/toolbox-unmarked"
"$TOOLBOX_SET_FLAGS" "$tmp/toolbox-unmarked" 0 || fail "cannot clear e_flags of the unmarked copy"
run_capture r env TOOLBOX_HANDLER_DEBUG=1 "$tmp/toolbox" --version
[ "$r_rc" = 0 ] || fail "the marked toolbox failed on the host: $r_err"
grep -q '^where: host$' <<<"$r_err" || fail "the marked toolbox did not run through the handler on the host"
run_capture r env TOOLBOX_HANDLER_DEBUG=1 "$tmp/toolbox-unmarked" --version
[ "$r_rc" = 0 ] || fail "the unmarked copy failed on the host: $r_err"
if grep -q '^where:' <<<"$r_err"; then fail "the unmarked copy ran through the handler"; fi
say "host: marked toolbox through the handler vs. an unmarked copy, $rounds rounds"
host=$("$TOOLBOX_BENCH_EXEC" -n "$rounds" -- native "$tmp/toolbox-unmarked" --version \
  -- handler "$tmp/toolbox" --version) || fail "toolbox-bench-exec failed on the host"
printf '%s\n' "$host"

# 2. Container: the root as tbx_container_root sets it up, plus the unmarked
#    copy and the benchmark driver in its /tmp.
tbx_container_root "$R" /
cp "$TOOLBOX_BENCH_EXEC" "$R/tmp/toolbox-bench-exec"
cp "$tmp/toolbox-unmarked" "$R/tmp/toolbox-unmarked"
run_capture r chroot "$R" "/run/host$TOOLBOX_HANDLER" --explain /tmp/toolbox
[ "$r_rc" = 0 ] || fail "--explain failed in the Debian 11 root: $r_err"
grep -q '^where: container$' <<<"$r_out" || fail "--explain does not see a container: $r_out"
loader=$(sed -n 's/^loader: //p' <<<"$r_out")
dirs=$(sed -n 's/^library directory: //p' <<<"$r_out" | paste -sd:)
[ -n "$loader" ] || fail "no loader in --explain: $r_out"
[ -n "$dirs" ] || fail "no library directories in --explain: $r_out"
# The handler's own argument vector (exec_plan.cpp), with the unmarked copy as the program.
loader_cmd=("$loader" --inhibit-cache --library-path "$dirs")
if grep -q '^loader supports --argv0: yes$' <<<"$r_out"; then loader_cmd+=(--argv0 /tmp/toolbox); fi
loader_cmd+=(/tmp/toolbox-unmarked --version)
run_capture r chroot "$R" "${loader_cmd[@]}"
[ "$r_rc" = 0 ] || fail "the loader command line does not run toolbox: $r_err"
run_capture r chroot "$R" /usr/bin/env TOOLBOX_HANDLER_DEBUG=1 /tmp/toolbox --version
[ "$r_rc" = 0 ] || fail "the marked toolbox failed in the root: $r_err"
grep -q '^where: container$' <<<"$r_err" || fail "the marked toolbox did not run through the handler in the root"
say "container: marked toolbox through the handler vs. the loader command line, $rounds rounds"
say "loader command: ${loader_cmd[*]}"
container=$(chroot "$R" /tmp/toolbox-bench-exec -n "$rounds" -- loader "${loader_cmd[@]}" \
  -- handler /tmp/toolbox --version) || fail "toolbox-bench-exec failed in the Debian 11 root"
printf '%s\n' "$container"

# 3. Where the time goes: an extra exec is inherent to binfmt_misc, so the
#    floor is the handler's own start (--version, no work); --explain adds the
#    decision (probe, root detection, library resolution) without the exec.
say "reference: the handler alone in the root, $rounds rounds"
reference=$(chroot "$R" /tmp/toolbox-bench-exec -n "$rounds" -- start "/run/host$TOOLBOX_HANDLER" --version \
  -- decision "/run/host$TOOLBOX_HANDLER" --explain /tmp/toolbox) || fail "toolbox-bench-exec failed for the reference"
printf '%s\n' "$reference"

# 4. The summary.
host_diff=$(diff_of "$host")
container_diff=$(diff_of "$container")
say "summary ($rounds rounds each; medians in microseconds):"
say "  handler size          $size bytes ($stripped stripped)"
say "  host       native $(median_of "$host" native), handler $(median_of "$host" handler):" \
  "${host_diff} ms per exec (ratio $(ratio_of "$host")), $(verdict "$host_diff")"
say "  container  loader $(median_of "$container" loader), handler $(median_of "$container" handler):" \
  "${container_diff} ms per exec (ratio $(ratio_of "$container")), $(verdict "$container_diff")"
say "  reference  the handler's bare start $(median_of "$reference" start), with its decision" \
  "$(median_of "$reference" decision) ($(diff_of "$reference") ms for the decision)"
say "  target     the handler adds at most $target_ms ms per exec"
