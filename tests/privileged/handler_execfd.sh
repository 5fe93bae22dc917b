#!/bin/bash
# The file that runs is the file the handler verified: the loader is given the
# kernel's descriptor as /proc/self/fd/N (seen in the loader's execve), which the
# program no longer holds; and a binary started with privileges (AT_SECURE: a
# set-user-ID file under an entry with the C flag, as binfmt-support registers)
# is refused with 126.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
need_root
need_cmd strace setpriv
tbx_enter_wide_namespace "$@"
tbx_private_binfmt
mount -t tmpfs tmpfs /run  # the host: no /run/host
entry=toolbox-test-$$
tbx_register "$entry"

log=$(mktemp)
run_capture r strace -f -qq -e trace=execve -s 256 -o "$log" "$TOOLBOX_PROBE" fds argv
expect_eq "through strace: exit 0" "$r_rc" 0
expect_match "the loader is given the verified descriptor" "$(cat "$log")" \
  "execve\(\"/lib64/ld-linux-x86-64.so.2\", \[.*\"--argv0\", \"$TOOLBOX_PROBE\", \"/proc/self/fd/[0-9]+\""
expect_no_match "the program does not keep it" "$r_out" "^fd [0-9]+ -> .*toolbox-probe"
expect_match "argv[0] is the name, not the descriptor" "$r_out" "^argv\[0\]=$TOOLBOX_PROBE$"
run_capture r env TOOLBOX_HANDLER_EXECFD=7 "$TOOLBOX_PROBE" env TOOLBOX_HANDLER_EXECFD
expect_eq "the variable does not reach the program's children" "$r_out" "TOOLBOX_HANDLER_EXECFD unset"

# A file the kernel sends but that is not ours (e_flags without the note) runs
# as if there were no handler: by its name, with no descriptor or variable that
# nothing would close.
run_capture r strace -f -qq -v -e trace=execve -s 256 -o "$log" "$TOOLBOX_PROBE_FLAGS_ONLY" exit 5
expect_eq "not ours, through strace: the program's exit" "$r_rc" 5
expect_match "not ours: the loader is given the name" "$(cat "$log")" \
  "execve\(\"/lib64/ld-linux-x86-64.so.2\", \[.*\"--argv0\", \"$TOOLBOX_PROBE_FLAGS_ONLY\", \"$TOOLBOX_PROBE_FLAGS_ONLY\""
expect_no_match "not ours: no descriptor variable" "$(cat "$log")" "TOOLBOX_HANDLER_EXECFD"
rm -f "$log"

# AT_SECURE: the same entry with C, and a set-user-ID copy run by another user.
line=$(grep -v '^#' "$TOOLBOX_BINFMT_CONF" | grep . | sed -e "s|^:toolbox:|:$entry-c:|" \
  -e "s|:[^:]*toolbox-binfmt-handler:POF\$|:$TOOLBOX_HANDLER:POCF|")
tbx_unregister "$entry"
printf '%s' "$line" >/proc/sys/fs/binfmt_misc/register || fail "cannot register $entry-c"
expect_match "entry with C" "$(cat /proc/sys/fs/binfmt_misc/$entry-c)" "flags: POCF"
dir=$(mktemp -d)
chmod 0755 "$dir"
cp "$TOOLBOX_PROBE" "$dir/toolbox-probe"
chmod 4755 "$dir/toolbox-probe"
run_capture r setpriv --reuid 1000 --regid 1000 --clear-groups "$dir/toolbox-probe" argv
expect_eq "set-user-ID under C: exit 126" "$r_rc" 126
expect_match "set-user-ID under C: message" "$r_err" \
  "^toolbox-binfmt-handler: $dir/toolbox-probe: started with privileges \(AT_SECURE\)"
chmod 0755 "$dir/toolbox-probe"
run_capture r setpriv --reuid 1000 --regid 1000 --clear-groups "$dir/toolbox-probe" exit 3
expect_eq "the same file without set-user-ID runs under C" "$r_rc" 3
tbx_unregister "$entry-c"
rm -rf "$dir"
done_ok
