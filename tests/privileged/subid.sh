#!/bin/bash
# The sub-ID check that rootless commands make before Podman can fail: asked of
# the real libsubid (dlopen'ed), with /etc/subuid and /etc/subgid replaced by
# bind mounts in a private mount namespace, for the user nobody; and the
# fallback to reading the files when the library cannot be loaded.
. "$(dirname "$0")/../lib/common.sh"
need_root
need_cmd runuser unshare
lib=/usr/lib/x86_64-linux-gnu/libsubid.so.4
[ -e "$lib" ] || skip "no $lib (Debian's libsubid4)"
if [ -z "${TBX_IN_PRIVATE_NS:-}" ]; then
  exec env TBX_IN_PRIVATE_NS=1 unshare -m --propagation private bash "$0" "$@"
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
chmod 755 "$dir"
cp "$TOOLBOX_BIN" "$dir/toolbox"
# No podman on PATH: past the check, list fails on that instead.
as_nobody() { runuser -u nobody -- env -i PATH=/nonexistent HOME="$dir" "$dir/toolbox" "$@"; }
missing=$'Error: Missing subgid and/or subuid ranges for user nobody\nSee the podman(1), subgid(5), subuid(5) and usermod(8) manuals for more\ninformation.'
ids() { # ids SUBUID-TEXT SUBGID-TEXT
  printf '%s' "$1" >"$dir/subuid"
  printf '%s' "$2" >"$dir/subgid"
  mount --bind "$dir/subuid" /etc/subuid
  mount --bind "$dir/subgid" /etc/subgid
}
reset() { umount /etc/subuid /etc/subgid; }

ids $'root:100000:65536\n' $'root:100000:65536\n'
run_capture r as_nobody list
expect_eq "no ranges: exit 1" "$r_rc" 1
expect_eq "no ranges: Toolbx's message" "$r_err" "$missing"
run_capture r runuser -u nobody -- env -i PATH=/nonexistent HOME="$dir" LD_DEBUG=files "$dir/toolbox" list
expect_match "the answer comes from libsubid" "$r_err" "file=libsubid\.so\.4 .*dynamically loaded by"
reset

ids $'nobody:200000:65536\n' $'nobody:200000:65536\n'
run_capture r as_nobody list
expect_eq "ranges by name: past the check, on to podman (absent here): exit 1" "$r_rc" 1
expect_eq "ranges by name: past the check, on to podman (absent here)" "$r_err" "Error: failed to get images"
reset

ids $'65534:200000:65536\n' $'65534:200000:65536\n'
run_capture r as_nobody list
expect_eq "ranges by UID: past the check: exit 1" "$r_rc" 1
expect_eq "ranges by UID: past the check, on to podman (absent here)" "$r_err" "Error: failed to get images"
reset

ids $'nobody:200000:65536\n' $'root:100000:65536\n'
run_capture r as_nobody list
expect_eq "a sub-UID range without a sub-GID range: exit 1" "$r_rc" 1
expect_eq "a sub-UID range without a sub-GID range is not enough" "$r_err" "$missing"
reset

# libsubid that cannot be loaded: the files are read instead, as said in -v.
mount --bind /dev/null "$lib"
ids $'nobody:200000:65536\n' $'nobody:200000:65536\n'
run_capture r as_nobody -v list
expect_match "no libsubid: said at debug level" "$r_err" "Cannot load libsubid\.so\.4"
expect_no_match "no libsubid: the files give the ranges" "$r_err" "Missing subgid"
expect_eq "no libsubid: past the check: exit 1" "$r_rc" 1
expect_eq "no libsubid: past the check, on to podman (absent here)" "$(printf '%s\n' "$r_err" | tail -n1)" \
  "Error: failed to get images"
reset
ids $'root:100000:65536\n' $'root:100000:65536\n'
run_capture r as_nobody list
expect_eq "no libsubid, no ranges in the files: exit 1" "$r_rc" 1
expect_eq "no libsubid, no ranges in the files: the message" "$r_err" "$missing"
reset
umount "$lib"
done_ok
