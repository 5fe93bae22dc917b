#!/bin/bash
# The host's CA certificates inside a Debian 11 container, with real podman
# and the handler, rootful and rootless (reference §5.1 step 7, init step 17):
# run starts `p11-kit server` before the container's first start, so that
# init-container points p11-kit-client.so at it; the command gets
# P11_KIT_SERVER_ADDRESS; trust(1) inside lists a CA that only the host
# trusts. The server holds none of our pipes or locks, is started once, and
# again when it is gone.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/podman.sh"
need_root
need_cmd openssl p11-kit trust timeout
tbx_podman_setup "$@"
tbx_rootless_setup
user=$(tbx_rootless_user)
uid=$(id -u "$user")
tbx_modes rootful rootless
for mode in $modes; do
  if [ "$mode" = rootless ]; then tbx_toolbox_image bullseye 11 "$user" >/dev/null; else tbx_toolbox_image bullseye 11 >/dev/null; fi ||
    skip "cannot make the Debian 11 image"
done
# Also arranges for the p11-kit servers this test starts to be stopped.
tbx_global_binfmt_ready
tbx_toolbox_for_user
tb=$TBX_USER_TOOLBOX
tbx_global_binfmt_register toolbox-test-$$

# A CA that only the host trusts. Debian's p11-kit reads its anchors from
# /etc/ssl/certs/ca-certificates.crt; in this test's own mount namespace (see
# tbx_podman_setup) that file is the machine's bundle plus a throwaway CA,
# bound over it: nothing changes for the rest of the machine.
bundle=/etc/ssl/certs/ca-certificates.crt
[ -f "$bundle" ] || skip "no $bundle on this host (ca-certificates)"
ca=$(mktemp -d)
tbx_on_exit rm -rf "$ca"
label="Toolbx test CA $$"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$label" -keyout "$ca/key.pem" -out "$ca/ca.pem" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null ||
  fail "openssl could not make a CA"
cat "$bundle" "$ca/ca.pem" >"$ca/bundle.crt"
chmod 644 "$ca/bundle.crt"
mount --bind "$ca/bundle.crt" "$bundle"
tbx_on_exit umount "$bundle"
host_anchors=$(trust list --filter=ca-anchors | grep '^    label: ' | sort)
expect_match "the host trusts the throwaway CA" "$host_anchors" "^    label: $label\$"

# A podman that logs its arguments, to see the exec's environment: the login
# shell also exports P11_KIT_SERVER_ADDRESS, from init-container's profile.d
# snippet, so printenv alone cannot tell whether run passed it.
tbx_podman_shim
shim=$TBX_PODMAN_SHIM

as() {
  local mode=$1
  shift
  if [ "$mode" = rootless ]; then tbx_as_user "$@"; else (cd /root && env HOME=/root "$@"); fi
}
cleanup_container() { as "$1" podman rm --force --time 0 --ignore "$2" >/dev/null 2>&1 || true; }
anchors() { grep '^    label: ' | sort; }

for mode in $modes; do
  if [ "$mode" = rootless ]; then socket=/run/user/$uid/toolbox/pkcs11 owner=$uid u=$user; else socket=/run/toolbox/pkcs11 owner=0 u=root; fi
  pids=$(tbx_p11kit_server_pids "$socket")
  [ -z "$pids" ] || skip "a p11-kit server we did not start serves $socket (PID $pids): cannot check that run starts one"
  # A socket without a server (one stopped with SIGKILL) would be trusted as it is.
  rm -f "$socket"
  c=tbx-$$-p11kit-$mode
  tbx_on_exit cleanup_container "$mode" "$c"
  as "$mode" "$tb" create --distro debian --release 11 "$c" >/dev/null || fail "$mode: create failed"

  # The first run starts the server, then the container. Its output goes
  # through a pipe, as in $(toolbox run ...): a daemon that kept our stdout or
  # stderr would keep the reader waiting after toolbox has exited.
  set +e
  as "$mode" "$tb" run -c "$c" true 2>&1 | timeout 60 cat >/dev/null
  rc=("${PIPESTATUS[@]}")
  set -e
  expect_eq "$mode: first run: exit 0" "${rc[0]}" 0
  expect_eq "$mode: first run: the output ends with toolbox (no daemon holds the pipe)" "${rc[1]}" 0
  [ -S "$socket" ] || fail "$mode: no socket at $socket after the first run"
  ok "$mode: the socket exists on the host"
  pids=$(tbx_p11kit_server_pids "$socket")
  expect_eq "$mode: one p11-kit server" "$(wc -w <<<"$pids")" 1
  pid=$pids
  expect_eq "$mode: the server's command line" "$(tr '\0' ' ' <"/proc/$pid/cmdline")" \
    "server --name $socket --provider p11-kit-trust.so pkcs11:model=p11-kit-trust?write-protected=yes "
  expect_eq "$mode: the server runs as the user" "$(stat -c %u "/proc/$pid")" "$owner"
  # Our shell holds the global binfmt lock on a descriptor without O_CLOEXEC,
  # and CTest reads our output through pipes: none of it may reach the daemon.
  fds=$(for f in /proc/"$pid"/fd/*; do readlink "$f"; done)
  expect_no_match "$mode: the server holds no pipe and no lock" "$fds" 'pipe:|\.lock'

  : >"$shim/log"
  run_capture r as "$mode" env PATH="$shim:/usr/bin:/bin" "$tb" run -c "$c" printenv P11_KIT_SERVER_ADDRESS
  expect_eq "$mode: the command's P11_KIT_SERVER_ADDRESS" "$r_out" "unix:path=$socket"
  expect_match "$mode: podman exec gets it after the preserved variables" "$(grep ' exec ' "$shim/log")" \
    " --env=HOME=[^ ]* (--env=[^ ]* )*--env=P11_KIT_SERVER_ADDRESS=unix:path=$socket --interactive "
  expect_eq "$mode: a warm run starts no second server" "$(tbx_p11kit_server_pids "$socket")" "$pid"
  run_capture r as "$mode" "$tb" run -c "$c" cat /etc/pkcs11/modules/p11-kit-trust.module
  expect_eq "$mode: init-container pointed p11-kit-client.so at the socket" "$r_out" \
    $'module: p11-kit-client.so\nserver-address: unix:path='"$socket"
  run_capture r as "$mode" "$tb" run -c "$c" sh -c 'ls /etc/ssl/certs/ca-certificates.crt /usr/share/ca-certificates 2>&1'
  expect_match "$mode: the container has no CA bundle of its own" "$r_out" "No such file or directory"
  run_capture r as "$mode" "$tb" run -c "$c" trust list --filter=ca-anchors
  expect_eq "$mode: trust inside: exit 0" "$r_rc" 0
  expect_eq "$mode: trust inside lists the host's anchors, the throwaway CA among them" "$(anchors <<<"$r_out")" "$host_anchors"

  # Without the server the same module finds nothing: the anchors came from it.
  kill "$pid"
  for _ in $(seq 50); do [ -e "$socket" ] || break; sleep 0.1; done
  [ ! -e "$socket" ] || fail "$mode: the stopped server left its socket"
  run_capture r as "$mode" podman exec --user "$u" "$c" trust list --filter=ca-anchors
  # trust itself ran (a failed exec would also list nothing).
  expect_eq "$mode: with the server stopped, trust still runs: exit 0" "$r_rc" 0
  expect_no_match "$mode: with the server stopped, no host anchors inside" "$r_out" "label: $label\$"
  # The next run sees no socket and starts a server again.
  run_capture r as "$mode" "$tb" run -c "$c" trust list --filter=ca-anchors
  expect_eq "$mode: a server is started again" "$(tbx_p11kit_server_pids "$socket" | wc -l)" 1
  expect_match "$mode: and the anchors are back" "$r_out" "^    label: $label\$"
done
done_ok
