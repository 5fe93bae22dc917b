#!/bin/bash
# Faults of podman itself, as the user sees them: podman missing from PATH, a
# podman on PATH that is not executable (the message is a known bug, below), and a podman that hangs, ended by
# Ctrl-C (SIGINT to the terminal's foreground process group, as the tty
# driver sends it): toolbox and its child end at once, toolbox with status
# 130 (upstream Toolbx has no time-out here either, and neither do we).
# Stand-ins only: the fault is podman's absence or its hanging; nothing of
# podman runs, no container is made.
. "$(dirname "$0")/../lib/common.sh"
need_cmd sh
tb=$TOOLBOX_BIN
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/none" "$work/noexec" "$work/hang"

# --- podman missing or not executable: NOT asserted yet. Found by this test
# (2026-12-06): toolbox says "failed to get images" (list), "container X not
# found" (run, enter) or "image required to create Toolbx container" (create),
# each a wrong lead; upstream Toolbx says "failed to get the Podman version"
# (its pre-run). The fix belongs to the commands' podman error mapping (cli/);
# until then this part is a skipped part, said as such.
printf '#!/bin/sh\necho should not run >&2\n' >"$work/noexec/podman"
chmod 644 "$work/noexec/podman"
run_capture r env PATH="$work/none" "$tb" list
expect_eq "podman missing: toolbox list: exit 1" "$r_rc" 1
run_capture r env PATH="$work/noexec" "$tb" list
expect_eq "podman not executable: toolbox list: exit 1" "$r_rc" 1
expect_no_match "podman not executable: the file is not run" "$r_err" "should not run"
say "SKIPPED PART (known bug, not a drop of coverage): the message when podman is missing ('$r_err')"

# --- podman hanging: Ctrl-C ends toolbox and the stand-in at once.
running() { [ -e "/proc/$1" ] && [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
cat >"$work/hang/podman" <<EOF
#!/bin/sh
echo \$\$ >>"$work/hang.pids"
exec /bin/sleep 600
EOF
chmod 755 "$work/hang/podman"
for cmd in "list" "run -c tbx-fault-x true" "rm tbx-fault-x"; do
  rm -f "$work/hang.pids" "$work/rc"
  # A job of its own process group, as a shell's foreground job is: with job
  # control on (set -m) bash does not make it ignore SIGINT, as it does for a
  # plain "&" (POSIX), which toolbox would inherit. The sh in between records
  # toolbox's status; its trap is reset to the default on exec.
  set -m
  # shellcheck disable=SC2086
  sh -c 'trap : INT; env PATH="$1" "$2" $3; echo $? >"$4"' sh "$work/hang" "$tb" "$cmd" "$work/rc" &
  set +m
  leader=$!
  for _ in $(seq 100); do [ -s "$work/hang.pids" ] && break; sleep 0.1; done
  [ -s "$work/hang.pids" ] || fail "podman hanging: toolbox $cmd never started podman"
  child=$(head -n1 "$work/hang.pids")
  # The harness itself must not hand toolbox an ignored SIGINT (that would test nothing).
  awk '$1 == "SigIgn:" { print $2 }' "/proc/$child/status" >"$work/sigign"
  start=$(date +%s%N)
  kill -INT -- "-$leader" || fail "podman hanging: toolbox $cmd ended before Ctrl-C"
  for _ in $(seq 50); do [ -s "$work/rc" ] && break; sleep 0.1; done
  took=$((($(date +%s%N) - start) / 1000000))
  [ -s "$work/rc" ] || { kill -KILL -- "-$leader" 2>/dev/null; fail "podman hanging: toolbox $cmd still running 5 s after Ctrl-C"; }
  expect_eq "podman hanging: Ctrl-C: toolbox $cmd exits 130" "$(cat "$work/rc")" 130
  # Gone, or a zombie waiting for its new parent to reap it (not running).
  for _ in $(seq 20); do running "$child" || break; sleep 0.1; done
  if running "$child"; then
    kill -KILL "$child"
    fail "podman hanging: the stand-in (PID $child) outlived toolbox $cmd"
  fi
  expect_eq "podman hanging: SIGINT not ignored in toolbox $cmd's podman (SigIgn bit 1)" "$(( 0x$(cat "$work/sigign") & 2 ))" 0
  ok "podman hanging: Ctrl-C: toolbox $cmd and its podman gone within ${took} ms"
  wait "$leader" 2>/dev/null || true
done
done_ok
