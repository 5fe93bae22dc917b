#!/bin/bash
# Failures: a Podman container without /run/host, an unreadable (execute-only)
# binary, a host root without a loader. One line each, documented exit codes.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/roots.sh"
need_root
need_cmd chroot setpriv
# Roots are built outside the user namespace: apt-get and debootstrap need real root.
R=$(tbx_root bullseye) || skip "cannot build a Debian 11 root"
tbx_enter_private_namespace "$@"
tbx_private_binfmt
tbx_register toolbox-test-$$

# 1. A Podman container (/run/.containerenv) without the host at /run/host.
tbx_container_root "$R" none
touch "$R/run/.containerenv"
run_capture r chroot "$R" /tmp/toolbox --version
expect_eq "no /run/host: exit 127" "$r_rc" 127
expect_match "no /run/host: message" "$r_err" "^toolbox-binfmt-handler: /tmp/toolbox: this is a container without the host's file system at /run/host"

# 2. A host root without a loader.
empty=$(mktemp -d)
mkdir "$R/run/host"
mount --bind "$empty" "$R/run/host"
run_capture r chroot "$R" /tmp/toolbox --version
expect_eq "host root without a loader: exit 127" "$r_rc" 127
expect_match "host root without a loader: message" "$r_err" "the host's loader '/lib64/ld-linux-x86-64.so.2' is not under /run/host"

# 3. Execute-only binary: the kernel may run it, but ld.so must read it by name.
umount "$R/run/host"
mount --rbind / "$R/run/host"
xonly=/tmp/toolbox-xonly-$$
cp "$TOOLBOX_PROBE" "$xonly"
chmod 0111 "$xonly"
run_capture r setpriv --bounding-set=-dac_override,-dac_read_search "$xonly" argv
expect_eq "unreadable binary: exit 126" "$r_rc" 126
expect_match "unreadable binary: message" "$r_err" "^toolbox-binfmt-handler: $xonly: the loader cannot read it \(Permission denied\)"
rm -f "$xonly"

# 4. Run by hand: usage errors exit 2, --version, --help lists the exit codes.
run_capture r "$TOOLBOX_HANDLER" --bogus
expect_eq "unknown option: exit 2" "$r_rc" 2
expect_match "--version" "$("$TOOLBOX_HANDLER" --version)" "^toolbox-binfmt-handler 0\.3$"
expect_match "--help documents 127" "$("$TOOLBOX_HANDLER" --help)" "^  127 "
run_capture r "$TOOLBOX_HANDLER" --explain /nonexistent
expect_eq "--explain of a missing file: 127" "$r_rc" 127
run_capture r "$TOOLBOX_HANDLER" --explain /etc/hostname
expect_eq "--explain of a text file: 126" "$r_rc" 126
done_ok
