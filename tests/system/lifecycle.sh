#!/bin/bash
# End to end through the handler, with real podman: `toolbox create` then
# `toolbox run` in a Debian 11 container (glibc older than the host's) and a
# Debian 13 one, rootless (the primary case) and rootful; the same Debian 11
# container fails to initialise when the global entry is absent, showing the
# entry point's error, which proves the handler is what makes it work.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/podman.sh"
need_root
tbx_podman_setup "$@"
tbx_rootless_setup
user=$(tbx_rootless_user)
tbx_modes rootless rootful
for mode in $modes; do
  for v in 11:bullseye 13:trixie; do
    if [ "$mode" = rootless ]; then tbx_toolbox_image "${v#*:}" "${v%%:*}" "$user" >/dev/null; else tbx_toolbox_image "${v#*:}" "${v%%:*}" >/dev/null; fi ||
      skip "cannot make the Debian ${v%%:*} image"
  done
done
tbx_global_binfmt_ready

# The binary every container bind-mounts: a copy the rootless user can read.
tbx_toolbox_for_user
tb=$TBX_USER_TOOLBOX
entry=toolbox-test-$$

as() {
  local mode=$1
  shift
  if [ "$mode" = rootless ]; then tbx_as_user "$@"; else (cd /root && env HOME=/root "$@"); fi
}
cleanup_container() { as "$1" podman rm --force --time 0 --ignore "$2" >/dev/null 2>&1 || true; }

for mode in $modes; do
  c11=tbx-$$-11-$mode c13=tbx-$$-13-$mode
  tbx_on_exit cleanup_container "$mode" "$c11"
  tbx_on_exit cleanup_container "$mode" "$c13"
  # The entry point logs go to podman logs; create needs no handler.
  run_capture r as "$mode" "$tb" create --distro debian --release 11 "$c11"
  expect_eq "$mode: create Debian 11: exit 0" "$r_rc" 0
  expect_eq "$mode: create Debian 11: output" "$r_out" $'Created container: '"$c11"$'\nEnter with: toolbox enter '"$c11"
  run_capture r as "$mode" "$tb" create --distro debian --release 11 "$c11"
  expect_eq "$mode: create an existing container: exit 1" "$r_rc" 1
  expect_match "$mode: create an existing container: message" "$r_err" "^Error: container $c11 already exists$"

  # Without the entry the host's toolbox cannot start in Debian 11.
  run_capture r as "$mode" "$tb" run --container "$c11" true
  # The loader's own message, relayed from the entry point's log at once: not
  # the readiness time-out ("failed to initialize container"), which any other
  # failure to start would also end in.
  expect_eq "$mode: without the entry: run exits 1" "$r_rc" 1
  expect_match "$mode: without the entry: the entry point's error is shown" "$r_err" \
    "^Error: .*version .GLIBC_2\.3[0-9]+' not found \(required by [^)]*toolbox\)"
  expect_no_match "$mode: without the entry: not a time-out" "$r_err" "failed to initialize container"
  as "$mode" podman stop --time 0 "$c11" >/dev/null 2>&1 || true

  tbx_global_binfmt_register "$entry" 2>/dev/null || [ -e "/proc/sys/fs/binfmt_misc/$entry" ]
  run_capture r as "$mode" "$tb" run --container "$c11" cat /etc/debian_version
  expect_eq "$mode: run in Debian 11 through the handler: exit 0" "$r_rc" 0
  expect_match "$mode: run in Debian 11: it is Debian 11" "$r_out" "^11\."
  run_capture r as "$mode" "$tb" run --container "$c11" sh -c 'exit 3'
  expect_eq "$mode: run exit status" "$r_rc" 3
  run_capture r as "$mode" "$tb" run --container "$c11" false
  expect_eq "$mode: run false" "$r_rc" 1
  run_capture r as "$mode" "$tb" run --container "$c11" no-such-command
  expect_eq "$mode: missing command: 127" "$r_rc" 127
  expect_match "$mode: missing command: message" "$r_err" "^Error: command no-such-command not found in container $c11$"
  run_capture r as "$mode" "$tb" run --container "$c11" sh -c 'exit 127'
  expect_eq "$mode: a command exiting 127 gives 127 (upstream's quirk gave 0)" "$r_rc" 127
  run_capture r as "$mode" "$tb" run --container "$c11" id -un
  expect_eq "$mode: the user inside" "$r_out" "$(as "$mode" id -un)"
  run_capture r as "$mode" "$tb" run --container "$c11" readlink /etc/resolv.conf
  expect_eq "$mode: /etc/resolv.conf redirected" "$r_out" "/run/host/etc/resolv.conf"
  run_capture r as "$mode" "$tb" run --container "$c11" sh -c 'test -e /run/.toolboxenv && test -e /run/.toolbxenv && echo marks'
  expect_eq "$mode: Toolbx marks" "$r_out" "marks"
  run_capture r as "$mode" "$tb" run --container "$c11" sudo id -u
  expect_eq "$mode: sudo without a password" "$r_out" "0"
  if [ "$mode" = rootless ]; then
    run_capture r as "$mode" "$tb" run --container "$c11" sh -c 'grep "^$(id -un):" /etc/passwd | cut -d: -f2'
    expect_eq "$mode: empty password field in passwd(5)" "$r_out" ""
  fi
  run_capture r as "$mode" "$tb" run --container "$c11" sudo grep -c '^root::' /etc/shadow
  expect_eq "$mode: root has no password in shadow(5)" "$r_out" "1"
  marker=/tmp/tbx-shared-$$-$mode
  as "$mode" touch "$marker"
  run_capture r as "$mode" "$tb" run --container "$c11" test -e "$marker"
  expect_eq "$mode: /tmp shared with the host" "$r_rc" 0
  rm -f "$marker"
  pid=$(as "$mode" podman inspect --format '{{.State.Pid}}' "$c11")
  expect_eq "$mode: the entry point shows up as toolbox" "$(cat /proc/$pid/comm)" "toolbox"
  expect_match "$mode: its command line is toolbox's" "$(tr '\0' ' ' </proc/$pid/cmdline)" "^toolbox --log-level debug init-container "
  expect_match "$mode: it runs on the host's libc" "$(grep -m1 'libc.so.6' /proc/$pid/maps)" "/run/host/usr/lib/x86_64-linux-gnu/libc\.so\.6$"

  run_capture r as "$mode" "$tb" create --distro debian --release 13 "$c13"
  expect_eq "$mode: create Debian 13" "$r_rc" 0
  run_capture r as "$mode" "$tb" run --container "$c13" cat /etc/debian_version
  expect_match "$mode: run in Debian 13" "$r_out" "^(13|trixie)"

  # A stopped container is started again, and its entry point reruns.
  as "$mode" podman stop --time 0 "$c11" >/dev/null
  run_capture r as "$mode" "$tb" run --container "$c11" true
  expect_eq "$mode: a stopped container is restarted" "$r_rc" 0
  tbx_unregister "$entry"
done
done_ok
