#!/bin/bash
# The installed registration files, registered by the real tools in private
# binfmt_misc instances: binfmt.d/toolbox.conf by systemd-binfmt, the
# binfmt-support format file by update-binfmts --import (its admin and import
# directories pointed at temporary folders). After each, a marked binary runs
# in a Debian 11 root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/roots.sh"
need_root
need_cmd chroot update-binfmts
R=$(tbx_root bullseye) || skip "cannot build a Debian 11 root"
tbx_enter_private_namespace "$@"
tbx_private_binfmt
tbx_container_root "$R" /
support_file="$TOOLBOX_BUILD_DIR/binfmt.d/binfmts/toolbox"
[ -f "$support_file" ] || fail "the build made no binfmts/toolbox"

# 1. systemd-binfmt reads binfmt.d/toolbox.conf.
tbx_register toolbox-test-$$
expect_match "systemd-binfmt: flags" "$(cat /proc/sys/fs/binfmt_misc/toolbox-test-$$)" "^flags: POF$"
run_capture r chroot "$R" /tmp/toolbox --version
expect_eq "systemd-binfmt entry: toolbox runs in Debian 11" "$r_out" "toolbox version 0.3"
tbx_unregister toolbox-test-$$

# 2. update-binfmts --import reads binfmts/toolbox.
admin=$(mktemp -d) import=$(mktemp -d)
sed "s|^interpreter .*|interpreter $TOOLBOX_HANDLER|" "$support_file" >"$import/toolbox"
run_capture r update-binfmts --admindir "$admin" --importdir "$import" --import toolbox
expect_eq "update-binfmts --import: exit 0" "$r_rc" 0
[ -e /proc/sys/fs/binfmt_misc/toolbox ] || fail "update-binfmts did not register the entry: $r_err"
entry=$(cat /proc/sys/fs/binfmt_misc/toolbox)
expect_match "update-binfmts: P, O (through C) and F" "$entry" "^flags: POCF$"
expect_match "update-binfmts: our interpreter" "$entry" "^interpreter $TOOLBOX_HANDLER$"
run_capture r chroot "$R" /tmp/toolbox --version
expect_eq "update-binfmts entry: toolbox runs in Debian 11" "$r_out" "toolbox version 0.3"
run_capture r chroot "$R" /tmp/toolbox-probe argv
expect_match "update-binfmts entry: argv[0] kept" "$r_out" "^argv\[0\]=/tmp/toolbox-probe$"
run_capture r update-binfmts --admindir "$admin" --importdir "$import" --unimport toolbox
[ ! -e /proc/sys/fs/binfmt_misc/toolbox ] || fail "update-binfmts --unimport left the entry"
ok "update-binfmts --unimport removes it"
done_ok
