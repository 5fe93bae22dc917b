#!/bin/bash
# A Debian 13 root mounted as the "host" inside a Debian 11 root: the binary runs
# on *that* root's glibc (2.41), proving the handler uses /run/host and not the
# real host by accident; and a library missing there is named, exit 127.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/roots.sh"
need_root
need_cmd chroot
# Roots are built outside the user namespace: apt-get and debootstrap need real root.
R=$(tbx_root bullseye) || skip "cannot build a Debian 11 root"
H=$(tbx_root trixie) || skip "cannot build a Debian 13 root"
tbx_enter_private_namespace "$@"
tbx_private_binfmt
tbx_container_root "$R" "$H"
trixie_glibc=$(chroot "$H" getconf GNU_LIBC_VERSION | cut -d' ' -f2)
[ "$trixie_glibc" != "$(getconf GNU_LIBC_VERSION | cut -d' ' -f2)" ] || fail "Debian 13's glibc equals the host's"
# Debian 13's /usr/lib64/ld-linux-x86-64.so.2 is an absolute symlink: followed
# naively it would lead to Debian 11's own loader.
[ -L "$H/usr/lib64/ld-linux-x86-64.so.2" ] || [ -L "$H/lib64/ld-linux-x86-64.so.2" ] || fail "no loader symlink"

tbx_register toolbox-test-$$
run_capture r chroot "$R" /tmp/toolbox-probe libc
expect_match "glibc of the Debian 13 root ($trixie_glibc)" "$r_out" "^libc-version=$trixie_glibc$"
expect_match "libc under /run/host" "$r_out" "^libc-path=/run/host/usr/lib/x86_64-linux-gnu/libc\.so\.6$"
expect_eq "toolbox runs on it" "$(chroot "$R" /tmp/toolbox --version)" "toolbox version 0.3"

[ ! -e "$H/usr/lib/x86_64-linux-gnu/libelf.so.1" ] || fail "Debian 13 root has libelf.so.1"
run_capture r chroot "$R" /tmp/toolbox-probe-libelf libc
expect_eq "missing host library: exit 127" "$r_rc" 127
expect_match "missing host library: named, with the handler and the file" "$r_err" \
  "^toolbox-binfmt-handler: /tmp/toolbox-probe-libelf: the library 'libelf\.so\.1' \(needed by the binary\) is not in the host run-time under /run/host"
expect_eq "missing host library: one line" "$(printf '%s\n' "$r_err" | wc -l)" 1
done_ok
