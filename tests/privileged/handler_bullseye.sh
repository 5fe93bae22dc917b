#!/bin/bash
# A Debian 11 root (glibc 2.31, older than the build's) with the host's / at
# run/host, entered with chroot: the marked toolbox fails there without the
# entry and runs on the host's libc with it.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/roots.sh"
need_root
need_cmd chroot
# Roots are built outside the user namespace: apt-get and debootstrap need real root.
R=$(tbx_root bullseye) || skip "cannot build a Debian 11 root with debootstrap"
tbx_enter_private_namespace "$@"
tbx_private_binfmt
tbx_container_root "$R" /
host_glibc=$(getconf GNU_LIBC_VERSION | cut -d' ' -f2)
in_root() { chroot "$R" "$@"; }

run_capture r in_root /tmp/toolbox --version
[ "$r_rc" != 0 ] || fail "toolbox ran in Debian 11 without the handler; the test proves nothing"
expect_match "without the entry: the container's glibc is too old" "$r_err" "GLIBC_2\.3[2-9]' not found"

tbx_register toolbox-test-$$
run_capture r in_root /tmp/toolbox --version
expect_eq "with the entry: toolbox runs" "$r_out" "toolbox version 0.3"
expect_eq "with the entry: exit 0" "$r_rc" 0

run_capture r in_root /tmp/toolbox-probe libc self
expect_match "maps show the host's libc" "$r_out" "^libc-path=/run/host/usr/lib/x86_64-linux-gnu/libc\.so\.6$"
expect_match "glibc is the host's ($host_glibc)" "$r_out" "^libc-version=$host_glibc$"
expect_match "own path inside the container" "$r_out" "^self=/tmp/toolbox-probe$"
expect_match "comm" "$r_out" "^comm=toolbox-probe$"

container_lib=/lib/x86_64-linux-gnu/libz.so.1
[ -e "$R$container_lib" ] || fail "the Debian 11 root lacks $container_lib"
run_capture r in_root /usr/bin/env LD_PRELOAD=$container_lib LD_AUDIT=/nonexistent.so \
  LD_LIBRARY_PATH=/lib/x86_64-linux-gnu /tmp/toolbox-probe env LD_PRELOAD env LD_AUDIT env LD_LIBRARY_PATH maps
expect_eq "LD_* from the container: exit 0" "$r_rc" 0
expect_no_match "no container library is mapped" "$r_out" "^map /(usr/)?lib/"
expect_match "LD_PRELOAD is given back to toolbox's children" "$r_out" "^LD_PRELOAD=$container_lib$"
expect_match "LD_AUDIT is given back" "$r_out" "^LD_AUDIT=/nonexistent.so$"
expect_match "LD_LIBRARY_PATH unchanged" "$r_out" "^LD_LIBRARY_PATH=/lib/x86_64-linux-gnu$"
expect_no_match "no saved variable is left over" "$r_out" "TOOLBOX_HANDLER_SAVED"
run_capture r in_root /tmp/toolbox-probe env LD_PRELOAD
expect_eq "an unset LD_PRELOAD stays unset" "$r_out" "LD_PRELOAD unset"

run_capture r in_root /tmp/toolbox-probe exit 5
expect_eq "exit status" "$r_rc" 5
expect_eq "stdin and stdout" "$(echo piped | in_root /tmp/toolbox-probe cat 2>/dev/null)" "piped"

# The loader of the host is reached through Debian's absolute symlink
# /usr/lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/... inside the root.
run_capture r in_root "/run/host$TOOLBOX_HANDLER" --explain /tmp/toolbox
expect_match "explain: container" "$r_out" "^where: container$"
expect_match "explain: the host's loader" "$r_out" "^loader: /run/host/(usr/)?lib/x86_64-linux-gnu/ld-linux-x86-64\.so\.2$"
expect_match "explain: libc resolved under /run/host" "$r_out" "^library: libc\.so\.6 => /run/host/usr/lib/x86_64-linux-gnu/libc\.so\.6"

# Seccomp filters that refuse openat2: the userspace walk takes over.
for err in EPERM ENOSYS; do
  run_capture r "$TOOLBOX_DENY_OPENAT2" "$err" chroot "$R" /tmp/toolbox-probe libc
  expect_match "openat2 refused with $err: still the host's libc" "$r_out" "^libc-path=/run/host/usr/lib/x86_64-linux-gnu/libc\.so\.6$"
  run_capture r "$TOOLBOX_DENY_OPENAT2" "$err" chroot "$R" "/run/host$TOOLBOX_HANDLER" --explain /tmp/toolbox
  expect_match "openat2 refused with $err: explained" "$r_out" "^note: openat2 refused"
done

tbx_unregister toolbox-test-$$
run_capture r in_root /tmp/toolbox --version
[ "$r_rc" != 0 ] || fail "toolbox still runs after the entry was removed"
ok "after unregistering it fails again"
done_ok
