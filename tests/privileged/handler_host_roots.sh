#!/bin/bash
# What counts as the host's root: a /run/host holding only os-release (systemd's
# container interface, nspawn guests) is none, and the binary runs natively, as
# the kernel would run it; Podman's /run/.containerenv beside it is an error; a
# pre-0.0.97 Toolbx layout (the host's /usr and /etc mounted one by one under
# /run/host, no /run/host/lib64) is one, its loader found in merged /usr.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/roots.sh"
need_root
need_cmd chroot
R=$(tbx_root bullseye) || skip "cannot build a Debian 11 root"
tbx_enter_private_namespace "$@"
tbx_private_binfmt
tbx_register toolbox-test-$$

# 1. An nspawn guest: /run/host/os-release and nothing else. (The host's own /
#    stands in for the guest's, which has the binary's loader.)
mount -t tmpfs tmpfs /run
mkdir /run/host
cp /etc/os-release /run/host/os-release
run_capture r env TOOLBOX_HANDLER_DEBUG=1 "$TOOLBOX_PROBE" exit 4
expect_eq "nspawn-like /run/host: the binary runs natively" "$r_rc" 4
expect_match "nspawn-like /run/host: decided 'host'" "$r_err" "^where: host$"
run_capture r "$TOOLBOX_HANDLER" --explain "$TOOLBOX_PROBE"
expect_match "nspawn-like /run/host: --explain agrees" "$r_out" "^where: host$"

# ... but in a Podman container the missing loader is an error, not a native run.
touch /run/.containerenv
run_capture r "$TOOLBOX_PROBE" exit 4
expect_eq "Podman container, /run/host without a loader: exit 127" "$r_rc" 127
expect_match "Podman container, /run/host without a loader: message" "$r_err" \
  "^toolbox-binfmt-handler: $TOOLBOX_PROBE: the host's loader '/lib64/ld-linux-x86-64.so.2' is not under /run/host"
umount /run

# 2. Toolbx before 0.0.97: the host's /usr and /etc under /run/host, no root-level links.
tbx_container_root "$R" none
cp "$TOOLBOX_HANDLER" "$R/tmp/handler"
mkdir -p "$R/run/host/usr" "$R/run/host/etc"
mount --rbind /usr "$R/run/host/usr"
mount --rbind /etc "$R/run/host/etc"
[ ! -e "$R/run/host/lib64" ] || fail "the layout has a /run/host/lib64; the test proves nothing"
run_capture r chroot "$R" /tmp/toolbox-probe libc
expect_eq "pre-0.0.97 layout: runs" "$r_rc" 0
expect_match "pre-0.0.97 layout: the host's libc" "$r_out" "^libc-path=/run/host/usr/lib/x86_64-linux-gnu/libc\.so\.6$"
run_capture r chroot "$R" /tmp/handler --explain /tmp/toolbox-probe
expect_match "pre-0.0.97 layout: container" "$r_out" "^where: container$"
expect_match "pre-0.0.97 layout: loader through merged /usr" "$r_out" "^loader: /run/host/usr/lib(64)?/"
done_ok
