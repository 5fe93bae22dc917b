#!/bin/bash
# toolbox init-container against a scratch root, through the handler, without
# podman: a writable overlay of a Debian 11 Toolbx root in a private user and
# mount namespace, /run/.containerenv, the host at /run/host. Checks the steps
# of the recipe, the logfmt log, the readiness stamp, a second start (the
# recipe is idempotent), the failure hook, and the refusal outside containers.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/podman.sh"
. "$(dirname "$0")/../lib/init.sh"
tbx_init_test "$@"
mkdir -p "$X/etc/krb5.conf.d" "$X/usr/lib/rpm/macros.d"
rm -f "$X/etc/resolv.conf" "$X/etc/localtime"
echo stale >"$X/etc/timezone"
host_marker=$(mktemp /tmp/tbx-init-XXXXXX)
# A stand-in for the image's optional updatedb (plocate is not in the root):
# init-container starts it once listening for events, and reports a failure.
printf '#!/bin/sh\necho scanning\ntouch /var/tmp/tbx-updatedb-ran\nexit "${TBX_UPDATEDB_EXIT:-0}"\n' >"$X/usr/bin/updatedb"
chmod 755 "$X/usr/bin/updatedb"

tbx_init_start
tbx_init_wait_stamp
ok "the readiness stamp appears"
expect_match "logfmt log lines" "$(cat "$log")" '^level=debug msg="Finished initializing container"$'
expect_match "it then waits for events" "$(cat "$log")" '^level=debug msg="Listening to file system and ticker events"$'
expect_eq "the stamp belongs to the user" "$(stat -c %u:%g "$X/run/user/1000/toolbox/container-initialized-$pid")" "1000:1000"
[ -e "$X/run/.toolbxenv" ] && [ -e "$X/run/.toolboxenv" ] || fail "no /run/.toolbxenv or /run/.toolboxenv"
ok "Toolbx marks"
expect_eq "/etc/resolv.conf redirected" "$(readlink "$X/etc/resolv.conf")" "/run/host/etc/resolv.conf"
expect_eq "/etc/hosts redirected" "$(readlink "$X/etc/hosts")" "/run/host/etc/hosts"
if [ -e /etc/localtime ]; then
  expect_eq "/etc/localtime redirected" "$(readlink "$X/etc/localtime")" "/run/host/etc/localtime"
  zone=$(readlink -f /etc/localtime | sed 's|^/usr/share/zoneinfo/||')
  expect_eq "/etc/timezone follows the host" "$(cat "$X/etc/timezone")" "$zone"
else
  skip_part "the host has no /etc/localtime: its redirect and /etc/timezone are not checked"
fi
expect_match "the user, with the home and shell given" "$(grep '^tester:' "$X/etc/passwd")" '^tester:x?:1000:[0-9]+::/home/tester:/bin/bash$'
expect_match "the user has an empty password" "$(grep '^tester:' "$X/etc/shadow")" '^tester::'
expect_match "the user is in the sudo group" "$(grep '^sudo:' "$X/etc/group")" '^sudo:x:[0-9]+:tester$'
expect_match "root has no password" "$(grep '^root:' "$X/etc/shadow")" '^root::'
expect_eq "Kerberos KCM snippet" "$(tail -n1 "$X/etc/krb5.conf.d/kcm_default_ccache")" "    default_ccache_name = KCM:"
expect_match "RPM macros" "$(cat "$X/usr/lib/rpm/macros.d/macros.toolbox")" '^%_netsharedpath /dev:/media:/mnt:/proc:/sys:/tmp:/var/lib/flatpak:/var/lib/libvirt$'
[ -e "$X$host_marker" ] || fail "/tmp is not the host's /tmp"
ok "/tmp bound to the host's"
expect_eq "/etc/machine-id bound to the host's" "$(cat "$X/etc/machine-id" 2>/dev/null)" "$(cat /etc/machine-id 2>/dev/null)"
for i in $(seq 1 50); do grep -q 'msg="Finished updatedb"' "$log" && break; sleep 0.1; done
[ -e "$X/var/tmp/tbx-updatedb-ran" ] || fail "updatedb was not run"
expect_match "updatedb runs in the background and is reaped" "$(cat "$log")" '^level=debug msg="Finished updatedb"$'
expect_eq "the entry point runs on the host's libc" "$(grep -m1 -o '/run/host/[^ ]*libc\.so\.6' /proc/$pid/maps)" "/run/host/usr/lib/x86_64-linux-gnu/libc.so.6"
tbx_init_stop
umount -R "$X/tmp" 2>/dev/null || true
mount -t tmpfs tmpfs "$X/tmp"

# A second start (container restart): same result, usermod instead of useradd.
tbx_init_start TBX_UPDATEDB_EXIT=3
tbx_init_wait_stamp
ok "a second start is fine"
expect_eq "still one user line" "$(grep -c '^tester:' "$X/etc/passwd")" 1
for i in $(seq 1 50); do grep -q 'updatedb' "$log" && break; sleep 0.1; done
expect_match "a failing updatedb: a warning, and the entry point carries on" "$(cat "$log")" '^level=warning msg="Failed to run updatedb: it exited with 3"$'
kill -0 "$pid" || fail "init-container ended after updatedb failed"
tbx_init_stop

# The failure hook: the plain "Error:" line that enter and run relay.
run_capture r chroot "$X" env -i PATH=/usr/bin:/bin TOOLBX_FAIL_ENTRY_POINT=1 TOOLBOX_PATH=/usr/bin/toolbox \
  /usr/bin/toolbox --log-level debug init-container --home /home/tester --shell /bin/bash --uid 1000 --user tester
expect_eq "TOOLBX_FAIL_ENTRY_POINT: exit 1" "$r_rc" 1
expect_eq "TOOLBX_FAIL_ENTRY_POINT: message" "$(printf '%s\n' "$r_err" | grep -v '^level=')" "Error: TOOLBX_FAIL_ENTRY_POINT is set"

# Outside a container.
rm -f "$X/run/.containerenv"
run_capture r chroot "$X" /usr/bin/toolbox init-container --home /h --shell /bin/sh --uid 1 --user x
expect_eq "outside a container: exit 1" "$r_rc" 1
expect_match "outside a container: message" "$r_err" "^Error: the 'init-container' command can only be used inside containers$"
rm -f "$host_marker"
done_ok
