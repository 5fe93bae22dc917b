#!/bin/bash
# Warm `toolbox run true`, side by side in one run: ours, upstream Toolbx
# (Debian's podman-toolbox, 0.0.99.3), a bare `podman exec`, and the same exec
# with Toolbx's capsh and login-shell wrapper (what run must do), rootful, on
# running and initialised Debian 11 containers, with the handler's entry in
# the global binfmt_misc instance. Prints medians, ratios, and the podman
# launches each one makes (counted by a podman shim on PATH). Never fails on
# timing. Targets (issue 5): ours at most half of upstream's time and within
# 1.2x of the bare podman exec.
#
# Usage, as root: bash tests/bench/run_latency.sh [ROUNDS [rootful|rootless]]
# (default 30 rounds, rootful; rootless runs everything as the test user).
: "${TOOLBOX_BUILD_DIR:=$(cd "$(dirname "$0")/../.." && pwd)/build}"
: "${TOOLBOX_BIN:=$TOOLBOX_BUILD_DIR/toolbox/toolbox}"
: "${TOOLBOX_HANDLER:=$TOOLBOX_BUILD_DIR/handler/toolbox-binfmt-handler}"
: "${TOOLBOX_BINFMT_CONF:=$TOOLBOX_BUILD_DIR/binfmt.d/toolbox.conf}"
: "${TOOLBOX_BENCH_EXEC:=$TOOLBOX_BUILD_DIR/tests/toolbox-bench-exec}"
: "${TOOLBOX_UPSTREAM:=/usr/bin/toolbox}"
export TOOLBOX_BUILD_DIR TOOLBOX_BIN TOOLBOX_HANDLER TOOLBOX_BINFMT_CONF TOOLBOX_BENCH_EXEC
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/podman.sh"
TBX_TEST_NAME=run_latency
rounds=${1:-30} mode=${2:-rootful}
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || fail "ROUNDS must be a positive number, not '$rounds'"
[[ "$mode" =~ ^(rootful|rootless)$ ]] || fail "the mode must be rootful or rootless, not '$mode'"
need_root
tbx_podman_setup "$@"
[ -x "$TOOLBOX_UPSTREAM" ] || fail "no upstream toolbox at $TOOLBOX_UPSTREAM (apt-get install podman-toolbox)"
# as: the prefix that runs a command as the benchmark's user; tb: our toolbox.
if [ "$mode" = rootless ]; then
  tbx_rootless_setup
  user=$(tbx_rootless_user)
  tbx_toolbox_image bullseye 11 "$user" >/dev/null || fail "cannot make the Debian 11 image for $user"
  tbx_toolbox_for_user
  as=(tbx_as_user) tb=$TBX_USER_TOOLBOX
else
  user=root
  tbx_toolbox_image bullseye 11 >/dev/null || fail "cannot make the Debian 11 image"
  as=() tb=$TOOLBOX_BIN
fi
tbx_global_binfmt_register toolbox-bench-$$

# A fresh home from /etc/skel, bound over root's in the test's private mount
# namespace: run's login shell reads the user's dotfiles, and what they cost
# (this machine's root runs `pyenv init`, about 100 ms) is the user's, not
# toolbox's. (A different $HOME would not do: both toolboxes would then have
# init-container `usermod --home` root, which shadow refuses while root runs.)
# The test user's home is made from /etc/skel already.
if [ "$mode" = rootful ]; then
  skel=$(mktemp -d /var/tmp/tbx-bench-home.XXXXXX)
  tbx_on_exit rm -rf "$skel"
  cp -a /etc/skel/. "$skel"
  mount --bind "$skel" "$HOME" || fail "cannot bind a fresh home over $HOME"
  tbx_on_exit umount --lazy "$HOME"
  # From $HOME, which the container shares (the directory of the script may not exist there).
  cd "$HOME"
fi
ours=tbx-bench-ours-$$ theirs=tbx-bench-upstream-$$
tbx_quiet() { "$@" >/dev/null 2>&1 || true; }
tbx_on_exit tbx_quiet "${as[@]}" podman rm --force --time 0 --ignore "$ours" "$theirs"
"${as[@]}" "$tb" create --image localhost/debian-toolbox:11 "$ours" >/dev/null || fail "our create failed"
# Upstream refuses to create without a D-Bus system bus socket to bind-mount.
bus=/tmp/tbx-bench-bus-$$
tbx_fake_system_bus "$bus"
"${as[@]}" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$bus" "$TOOLBOX_UPSTREAM" -y create --image localhost/debian-toolbox:11 "$theirs" >/dev/null ||
  fail "upstream's create failed"
"${as[@]}" "$tb" run -c "$ours" true || fail "our run failed"
"${as[@]}" "$TOOLBOX_UPSTREAM" run -c "$theirs" true || fail "upstream's run failed"

# Podman launches, counted by a shim that logs and execs the real podman.
shim=$(mktemp -d)
tbx_on_exit rm -rf "$shim"
chmod 755 "$shim"
real=$(command -v podman)
printf '#!/bin/sh\necho "$*" >>%s/log\nexec %s "$@"\n' "$shim" "$real" >"$shim/podman"
chmod 755 "$shim/podman"
touch "$shim/log"
chmod 666 "$shim/log"
count() {
  : >"$shim/log"
  "${as[@]}" env PATH="$shim:$PATH" "$@" >/dev/null 2>&1 || true
  wc -l <"$shim/log"
}
n_ours=$(count "$tb" run -c "$ours" true)
n_theirs=$(count "$TOOLBOX_UPSTREAM" run -c "$theirs" true)
say "$mode: podman launches for a warm 'run true': ours $n_ours, upstream $n_theirs, bare exec 1"
"${as[@]}" env PATH="$shim:$PATH" "$tb" run -c "$ours" true && sed 's/^/    ours: podman /' "$shim/log" | tail -n "$n_ours"

# toolbox-bench-exec takes "--" as its separator: capsh's own "--" goes in a script.
printf '#!/bin/sh\nexec %s exec --user %s %s capsh --caps= -- --login -c '"'"'exec "$@"'"'"' bash true\n' \
  "$real" "$user" "$ours" >"$shim/wrapped"
chmod 755 "$shim/wrapped"
say "$mode: warm 'run true', $rounds rounds, interleaved"
"${as[@]}" "$TOOLBOX_BENCH_EXEC" -n "$rounds" -- \
  bare-podman-exec "$real" exec --user "$user" "$ours" true -- \
  podman-exec-capsh-login "$shim/wrapped" -- \
  ours "$tb" run -c "$ours" true -- \
  upstream "$TOOLBOX_UPSTREAM" run -c "$theirs" true | tee "$shim/table"
# The ratio the first target is about (the table compares with its first row).
awk '$1 == "ours" && $2 ~ /^[0-9.]+$/ { o = $2 } $1 == "upstream" && $2 ~ /^[0-9.]+$/ { u = $2 }
  END { if (o && u) printf "ours vs upstream: ratio %.3f, median difference %+.3f ms\n", o / u, (o - u) / 1000 }' "$shim/table"
say "targets: ours <= 0.5 x upstream, ours <= 1.2 x bare podman exec"
