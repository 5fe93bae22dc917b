#!/bin/bash
# A root with no glibc at all (Debian's musl and busybox-static): the marked
# toolbox's loader does not exist there, so it fails without the entry and
# runs on the host's glibc with it.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/roots.sh"
need_root
need_cmd chroot apt-get dpkg
# Roots are built outside the user namespace: apt-get and debootstrap need real root.
R=$(tbx_musl_root) || skip "cannot build a musl root from Debian's musl and busybox-static packages"
tbx_enter_private_namespace "$@"
tbx_private_binfmt
tbx_container_root "$R" /
[ ! -e "$R/lib64/ld-linux-x86-64.so.2" ] || fail "the musl root has a glibc loader"
[ -e "$R/lib/ld-musl-x86_64.so.1" ] || fail "the musl root has no musl loader"

run_capture r chroot "$R" /bin/sh -c '/tmp/toolbox --version'
expect_eq "without the entry: the shell cannot find the loader" "$r_rc" 127

tbx_register toolbox-test-$$
run_capture r chroot "$R" /bin/sh -c '/tmp/toolbox --version'
expect_eq "with the entry: toolbox runs" "$r_out" "toolbox version 0.3"
run_capture r chroot "$R" /tmp/toolbox-probe libc exit 3
expect_eq "exit status" "$r_rc" 3
expect_match "the host's libc" "$r_out" "^libc-path=/run/host/usr/lib/x86_64-linux-gnu/libc\.so\.6$"
# The musl programs of the root are untouched by the entry.
expect_eq "busybox still runs" "$(chroot "$R" /bin/echo musl-ok)" "musl-ok"
done_ok
