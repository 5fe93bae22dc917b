#!/bin/bash
# toolbox binfmt register/status/unregister in a private binfmt_misc instance:
# healthy, then stale after the handler file is replaced, then missing after
# unregister; register twice in a row; refusals. After each registration a
# marked binary runs in a Debian 11 root, to show the entry works.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/roots.sh"
need_root
need_cmd chroot setpriv
tbx_in_each_binfmt_state "$@"
# Roots are built outside the user namespace: apt-get and debootstrap need real root.
R=$(tbx_root bullseye) || skip "cannot build a Debian 11 root"
# As a real non-root user (before the namespace, where only root is mapped):
# refused before anything is touched.
if [ -z "${TBX_IN_PRIVATE_NS:-}" ]; then
  run_capture r setpriv --reuid=65534 --regid=65534 --clear-groups "$TOOLBOX_BIN" binfmt register --name toolbox-test-x --handler "$TOOLBOX_HANDLER"
  expect_eq "register as non-root: exit 1" "$r_rc" 1
  expect_match "register as non-root: message" "$r_err" "^Error: registering a binfmt_misc entry needs root"
fi
tbx_enter_private_namespace "$@"
# Our own instance, but not yet mounted: register must mount it.
tbx_container_root "$R" /
tb=$TOOLBOX_BIN
name=toolbox-test-$$
h=$(mktemp -d)/toolbox-binfmt-handler
cp "$TOOLBOX_HANDLER" "$h"

works_in_debian11() {
  run_capture w chroot "$R" /tmp/toolbox-probe libc
  expect_match "$1: a marked binary runs on the host's libc in Debian 11" "$w_out" "^libc-path=/run/host/"
}

run_capture r "$tb" binfmt register --name "$name" --handler /nonexistent/handler
expect_eq "register a missing handler: exit 1" "$r_rc" 1
expect_match "register a missing handler: message" "$r_err" "^Error: the handler /nonexistent/handler does not exist"
run_capture r "$tb" binfmt register --name=register --handler "$h"
expect_eq "reserved entry name: exit 1" "$r_rc" 1
expect_match "reserved entry name: message" "$r_err" "reserved by binfmt_misc"
run_capture r "$tb" binfmt register --name a/b --handler "$h"
expect_eq "entry name with a slash: exit 1" "$r_rc" 1
expect_match "entry name with a slash: message" "$r_err" "^Error: building the registration: the entry name 'a/b' may only contain letters, digits and '-_.+'$"

# The machine's own instance, if mounted here (systemd's automount does it on
# first access), came with the namespace: it is locked to this user namespace
# and cannot be unmounted (umount says "not mounted", EINVAL), so it is hidden
# under an empty tmpfs instead. toolbox looks at the file system type.
say "the host's binfmt_misc was ${TBX_HOST_BINFMT:?} when this namespace was made"
if mountpoint -q /proc/sys/fs/binfmt_misc; then mount -t tmpfs tmpfs /proc/sys/fs/binfmt_misc; fi
run_capture r "$tb" binfmt status --name "$name" --handler "$h"
expect_eq "status before anything: unhealthy" "$r_rc" 1
expect_match "status before anything: says not mounted" "$r_out" "^Problem: binfmt_misc is not mounted"

run_capture r "$tb" binfmt register --name "$name" --handler "$h"
expect_eq "register mounts binfmt_misc and registers" "$r_rc" 0
[ -e /proc/sys/fs/binfmt_misc/"$name" ] || fail "entry missing after register"
run_capture r "$tb" binfmt register --name "$name" --handler "$h"
expect_eq "register twice in a row" "$r_rc" 0
expect_eq "one entry after two registrations" "$(ls /proc/sys/fs/binfmt_misc | grep -c "^$name\$")" 1
run_capture r "$tb" binfmt status --name "$name" --handler "$h"
expect_eq "status: healthy" "$r_rc" 0
expect_match "status: current handler" "$r_out" "^handler: +$h \(installed, current\)$"
run_capture r "$tb" binfmt status --name "$name" --handler "$h" --json
expect_eq "status --json: healthy" "$(printf '%s' "$r_out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["healthy"], d["entry"]["flags"], d["handler"]["freshness"], d["toolbox"]["marked"])')" "True POF current True"
works_in_debian11 "after register"

# An upgrade replaces the handler file: the kernel keeps the old one (F).
cp "$h" "$h.new"
mv "$h.new" "$h"
run_capture r "$tb" binfmt status --name "$name" --handler "$h"
expect_eq "status after the handler was replaced: unhealthy" "$r_rc" 1
expect_match "status: stale" "$r_out" "^handler: +$h \(installed, stale\)$"
expect_match "status: says what to do" "$r_out" "run 'toolbox binfmt register'"
"$tb" binfmt register --name "$name" --handler "$h" >/dev/null
run_capture r "$tb" binfmt status --name "$name" --handler "$h"
expect_eq "register again: healthy" "$r_rc" 0
works_in_debian11 "after re-register"

# Someone else's entry stays.
printf ':other-%s:E::zzz::/bin/true:\n' "$$" >/proc/sys/fs/binfmt_misc/register
run_capture r "$tb" binfmt unregister --name "$name"
expect_eq "unregister: exit 0" "$r_rc" 0
[ ! -e /proc/sys/fs/binfmt_misc/"$name" ] || fail "entry still there after unregister"
[ -e /proc/sys/fs/binfmt_misc/other-$$ ] || fail "unregister removed another entry"
ok "unregister removes our entry only"
run_capture r "$tb" binfmt status --name "$name" --handler "$h"
expect_eq "status after unregister: unhealthy" "$r_rc" 1
expect_match "status: not registered" "$r_out" "not registered"
run_capture r "$tb" binfmt unregister --name "$name"
expect_eq "unregister twice: still exit 0" "$r_rc" 0

# A registration without F: status flags it.
conf=$(mktemp)
tbx_test_conf "$name" "$conf"
grep "^:$name:" "$conf" | sed 's/:POF$/:PO/' >/proc/sys/fs/binfmt_misc/register
run_capture r "$tb" binfmt status --name "$name" --handler "$h"
expect_eq "entry without F: unhealthy" "$r_rc" 1
expect_match "entry without F: named" "$r_out" "lacks the F flag"
echo -1 >/proc/sys/fs/binfmt_misc/"$name"
done_ok
