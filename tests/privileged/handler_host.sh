#!/bin/bash
# On the host (no /run/host), with the entry registered in a private binfmt_misc
# instance: the marked binary runs natively through the handler, and exit
# status, signals, argv[0], stdin/stdout/stderr and descriptors pass through;
# unmarked files never reach the handler and unverified ones pass through.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
need_root
tbx_enter_private_namespace "$@"
tbx_private_binfmt

probe=$TOOLBOX_PROBE
entry=toolbox-test-$$

# Before registration the marked probe runs natively: the marker is harmless.
run_capture r "$probe" argv
expect_eq "marked binary runs without the entry" "$r_rc" 0
native_fds=$("$TOOLBOX_PROBE_UNMARKED" fds)

tbx_register "$entry"
ok "systemd-binfmt registered binfmt.d/toolbox.conf as $entry"
expect_match "entry flags" "$(cat /proc/sys/fs/binfmt_misc/$entry)" "flags: POF"

run_capture r env TOOLBOX_HANDLER_DEBUG=1 "$probe" argv
expect_match "the handler ran (debug line)" "$r_err" "^where: host$"
expect_match "argv[0] preserved" "$r_out" "^argv\[0\]=$probe$"

run_capture r env TOOLBOX_HANDLER_DEBUG=1 bash -c "exec -a custom-name $probe argv one 'two words' ''"
expect_match "custom argv[0] preserved" "$r_out" "^argv\[0\]=custom-name$"
expect_match "argument with a space" "$r_out" "^argv\[3\]=two words$"
expect_match "empty argument kept" "$r_out" "^argv\[4\]=$"

for code in 0 1 2 42 125 126 127 255; do
  run_capture r "$probe" exit "$code"
  [ "$r_rc" = "$code" ] || fail "exit status $code came back as $r_rc"
done
ok "exit statuses 0 1 2 42 125 126 127 255 pass through"

run_capture r "$probe" signal 15
expect_eq "death by SIGTERM" "$r_rc" 143
run_capture r "$probe" signal 9
expect_eq "death by SIGKILL" "$r_rc" 137

out=$(printf 'line one\nline two\n' | "$probe" cat 2>/tmp/err.$$)
expect_eq "stdin to stdout" "$out" $'line one\nline two'
expect_eq "stderr" "$(cat /tmp/err.$$)" "stderr-ok"
rm -f /tmp/err.$$

expect_eq "no descriptor leaks into the program" "$("$probe" fds)" "$native_fds"

run_capture r "$probe" self
expect_match "comm is the program, not the loader" "$r_out" "^comm=toolbox-probe$"
expect_match "own path, not the loader's" "$r_out" "^self=$probe$"
expect_match "command line without loader options" "$r_out" "^cmdline=$probe self$"
expect_match "started through the loader" "$r_out" "^through-loader=1$"
run_capture r "$probe" libc
expect_match "the host's own libc" "$r_out" "^libc-path=/(usr/)?lib/x86_64-linux-gnu/libc.so.6$"

run_capture r env TOOLBOX_HANDLER_DEBUG=1 LD_PRELOAD=/lib/x86_64-linux-gnu/libz.so.1 "$probe" env LD_PRELOAD maps
expect_match "host: LD_PRELOAD is the user's business" "$r_out" "^map .*/libz.so"
expect_match "host: LD_PRELOAD visible" "$r_out" "^LD_PRELOAD=/lib/x86_64-linux-gnu/libz.so.1$"

# The real toolbox, too.
expect_eq "toolbox --version through the handler" "$("$TOOLBOX_BIN" --version)" "toolbox version 0.3"

# Unmarked: the kernel never hands it over (no debug output from the handler).
run_capture r env TOOLBOX_HANDLER_DEBUG=1 "$TOOLBOX_PROBE_UNMARKED" self
expect_eq "unmarked: exit" "$r_rc" 0
expect_eq "unmarked: the handler is not involved" "$r_err" ""
expect_match "unmarked: runs through PT_INTERP" "$r_out" "^through-loader=0$"

# Marked but not verifiable: passed through untouched, like without the handler.
for v in "$TOOLBOX_PROBE_FLAGS_ONLY:e_flags only, no note" "$TOOLBOX_PROBE_NOTE_V2:note of another format version"; do
  bin=${v%%:*} state=${v#*:}
  run_capture r env TOOLBOX_HANDLER_DEBUG=1 "$bin" argv exit 7
  expect_eq "$(basename "$bin"): exit status" "$r_rc" 7
  expect_match "$(basename "$bin"): seen as '$state'" "$r_err" "^marker: $state$"
  expect_match "$(basename "$bin"): argv[0]" "$r_out" "^argv\[0\]=$bin$"
done

# A marked file that is corrupt: one clear line, exit 126.
bad=$(mktemp)
head -c 2000 "$probe" >"$bad"
chmod +x "$bad"
run_capture r "$bad"
expect_eq "truncated marked file: exit 126" "$r_rc" 126
expect_match "truncated marked file: message names handler and file" "$r_err" "^toolbox-binfmt-handler: $bad: "
rm -f "$bad"

tbx_unregister "$entry"
run_capture r env TOOLBOX_HANDLER_DEBUG=1 "$probe" self
expect_match "after unregistering it runs natively" "$r_out" "^through-loader=0$"
done_ok
