#!/bin/bash
# The run cache (core/run_cache.cpp), rootless, through the handler in Debian 11
# containers: it records the entry point's start time (field 22 of
# /proc/PID/stat, read here independently), it is not trusted when its PID is
# the live entry point of another container (a reused PID), and it does not
# outlive a container that is renamed and replaced by a new one of the old name.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/podman.sh"
need_root
tbx_podman_setup "$@"
tbx_rootless_setup
user=$(tbx_rootless_user)
tbx_toolbox_image bullseye 11 "$user" >/dev/null || skip "cannot make the Debian 11 image"
tbx_global_binfmt_ready
tbx_toolbox_for_user
tb=$TBX_USER_TOOLBOX
c=tbx-$$-cache
tbx_on_exit tbx_as_user podman rm --force --time 0 --ignore "$c" "$c-other" "$c-renamed"
tbx_global_binfmt_register toolbox-test-$$
tbx_podman_shim
shim=$TBX_PODMAN_SHIM
u() { tbx_as_user "$@"; }
# ID of a container, as its own /run/.containerenv says.
env_id() { sed -n 's/^id="\(.*\)"$/\1/p' <<<"$1"; }

u "$tb" create --distro debian --release 11 "$c" >/dev/null || fail "create $c failed"
u "$tb" create --distro debian --release 11 "$c-other" >/dev/null || fail "create $c-other failed"
run_capture r u "$tb" run -c "$c" true
expect_eq "first run of $c" "$r_rc" 0
run_capture r u "$tb" run -c "$c-other" true
expect_eq "first run of $c-other" "$r_rc" 0
cache_dir=$(u sh -c 'echo "$XDG_RUNTIME_DIR"')/toolbox

# 1. The start time recorded is field 22 of /proc/PID/stat (after the comm,
# which may hold spaces and parentheses, it is the 20th).
read -r pid start id deprecated <"$cache_dir/run-cache-$c"
expect_eq "the cache names the entry point" "$pid" "$(u podman inspect --format '{{.State.Pid}}' "$c")"
expect_eq "the cache records the container's ID" "$id" "$(u podman inspect --format '{{.Id}}' "$c")"
expect_eq "no deprecated mount" "$deprecated" 0
expect_eq "the start time is field 22 of /proc/PID/stat" "$start" "$(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $20}')"
read -r opid ostart oid _ <"$cache_dir/run-cache-$c-other"
[ "$ostart" != "$start" ] || fail "two entry points recorded with the same start time $start"
ok "two entry points, two start times"

# 2. A reused PID: the cache of $c names the live entry point of $c-other with
# its true start time. Its /run/.containerenv names another ID: not trusted.
printf '%s %s %s 0\n' "$opid" "$ostart" "$id" | u tee "$cache_dir/run-cache-$c" >/dev/null
: >"$shim/log"
run_capture r u env PATH="$shim:/usr/bin:/bin" "$tb" -v run -c "$c" cat /run/.containerenv
expect_eq "a reused PID: run succeeds" "$r_rc" 0
expect_eq "a reused PID: the command ran in $c" "$(env_id "$r_out")" "$id"
expect_no_match "a reused PID: the cache is not trusted" "$r_err" "\(cached\)"
expect_match "a reused PID: the container is inspected" "$(cat "$shim/log")" " inspect .* $c$"
read -r pid2 _ id2 _ <"$cache_dir/run-cache-$c"
expect_eq "a reused PID: the cache is rewritten with its own entry point" "$pid2 $id2" "$pid $id"
run_capture r u env PATH="$shim:/usr/bin:/bin" "$tb" -v run -c "$c" true
expect_match "the rewritten cache is trusted" "$r_err" "Container $c is running with entry point PID $pid \(cached\)"

# 3. Rename: $c becomes $c-renamed (still running, its cache still valid for
# its entry point), and a new $c is created. Run must reach the new one.
u podman rename "$c" "$c-renamed"
u "$tb" create --distro debian --release 11 "$c" >/dev/null || fail "create the new $c failed"
[ ! -e "$cache_dir/run-cache-$c" ] || fail "create left the run cache of $c"
ok "create drops the run cache"
run_capture r u "$tb" run -c "$c" cat /run/.containerenv
expect_eq "after rename and create: run succeeds" "$r_rc" 0
expect_eq "after rename and create: the new container" "$(env_id "$r_out")" \
  "$(u podman inspect --format '{{.Id}}' "$c")"
# rm drops the caches too (the next run of another container inspects again).
u "$tb" run -c "$c-other" true || fail "run of $c-other failed"
[ -e "$cache_dir/run-cache-$c-other" ] || fail "no run cache of $c-other"
u "$tb" rm --force "$c-renamed" >/dev/null || fail "rm failed"
[ ! -e "$cache_dir/run-cache-$c-other" ] || fail "rm left the run caches"
ok "rm drops the run caches"
done_ok
