#!/bin/bash
# The errors of toolbox create (reference §3.1-3.4, §10), ours against Debian's
# podman-toolbox (upstream Toolbx 0.0.99.3) on the same bad inputs: stderr and
# exit status, byte for byte, except where the reference (upstream 0.3) or a
# documented improvement (docs/compatibility.md) says otherwise; then our
# expected text is asserted exactly and the difference named. Then, through a
# real terminal (tmux): the download prompt, its size rewritten in place while
# it waits, the answer "no", and the spinner of a slow `podman create`; and
# with stdout not a terminal, no spinner bytes at all.
# On a storage of this test's own, so that upstream's pre-run (`podman system
# migrate` on a first run) touches nobody else's containers.
# shellcheck disable=SC2154 # run_capture sets ${P}_out, ${P}_err and ${P}_rc
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/podman.sh"
. "$(dirname "$0")/../lib/tmux.sh"
need_root
need_cmd podman runc unshare tar python3
: "${TOOLBOX_BIN:?run through ctest, or set TOOLBOX_BIN}"

# A mount namespace of its own: whatever podman leaves mounted goes with it.
if [ -z "${TBX_CREATE_PARITY_NS:-}" ]; then
  unshare -m true 2>/dev/null || skip "cannot create a mount namespace"
  exec env TBX_CREATE_PARITY_NS=1 unshare -m --propagation private bash "$0" "$@"
fi

tbx_private_podman toolbox-create-parity
top=$TBX_PRIVATE_TOP
export SHELL=/bin/bash
cd "$HOME" || fail "cannot enter $HOME"

# The oracle; CI (TOOLBOX_TESTS_MUST_WORK=1) must have it.
upstream=$(tbx_upstream)
command -v script >/dev/null || skip_part "no script(1) (bsdutils): the checks on a terminal are not run"
[ -n "$upstream" ] || skip_part "no upstream toolbox (apt-get install podman-toolbox): ours checked alone"
# Upstream 0.0.99.3 refuses to create without a D-Bus system bus socket to
# bind-mount (we skip a missing one): a socket file nobody listens on.
bus=$top/system_bus_socket
tbx_fake_system_bus "$bus"
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$bus"
# The first run on a HOME runs `podman system migrate`: get it over with.
for t in "$TOOLBOX_BIN" $upstream; do "$t" list >/dev/null 2>&1 || true; done

# A tiny Toolbx image (an empty root: containers are created, never started)
# and a container that holds a name.
p=tbx-cp-$$
image=localhost/$p-image:1
mkdir "$top/empty"
tar -C "$top/empty" -c . | podman import --quiet --change "LABEL com.github.containers.toolbox=true" - "$image" >/dev/null ||
  fail "podman import"
podman create --name "$p-taken" --label com.github.containers.toolbox=true "$image" /bin/true >/dev/null ||
  fail "podman create $p-taken"

usage="Run 'toolbox --help' for usage."
# like_upstream WHAT EXPECTED-RC EXPECTED-STDERR ARGS...: ours gives exactly
# that, and so does upstream.
like_upstream() {
  local what=$1 rc=$2 err=$3
  shift 3
  run_capture ours "$TOOLBOX_BIN" "$@" </dev/null
  expect_eq "$what: stderr" "$ours_err" "$err"
  expect_eq "$what: exit $rc" "$ours_rc" "$rc"
  expect_eq "$what: no stdout" "$ours_out" ""
  [ -n "$upstream" ] || return 0
  run_capture theirs "$upstream" "$@" </dev/null
  expect_eq "$what: stderr as upstream's" "$ours_err" "$theirs_err"
  expect_eq "$what: exit status as upstream's" "$ours_rc" "$theirs_rc"
}
# unlike_upstream WHAT EXPECTED-RC EXPECTED-STDERR UPSTREAM-STDERR-REGEX ARGS...:
# a documented difference: ours exactly as expected, upstream's as recorded
# (the regex against its whole stderr: '^$' is an empty one).
unlike_upstream() {
  local what=$1 rc=$2 err=$3 theirs_re=$4
  shift 4
  run_capture ours "$TOOLBOX_BIN" "$@" </dev/null
  expect_eq "$what: stderr" "$ours_err" "$err"
  expect_eq "$what: exit $rc" "$ours_rc" "$rc"
  [ -n "$upstream" ] || return 0
  run_capture theirs "$upstream" "$@" </dev/null
  expect_text_match "$what: upstream differs as documented" "$theirs_err" "$theirs_re"
}
# same_creation WHAT NAME ARGS...: both create NAME from ARGS (the
# container is removed after each), with the same output.
same_creation() {
  local what=$1 name=$2
  shift 2
  run_capture ours "$TOOLBOX_BIN" "$@" </dev/null
  expect_eq "$what: ours creates $name" "$ours_rc:$ours_err:$ours_out" "0::Created container: $name
Enter with: toolbox enter $name"
  podman container exists "$name" || fail "$what: no container $name"
  podman rm "$name" >/dev/null
  [ -n "$upstream" ] || return 0
  run_capture theirs "$upstream" "$@" </dev/null
  expect_eq "$what: as upstream" "$theirs_rc:$theirs_err:$theirs_out" "$ours_rc:$ours_err:$ours_out"
  podman rm "$name" >/dev/null
}

# --- Container names.
names_rule="Container names must match '[a-zA-Z0-9][a-zA-Z0-9_.-]*'."
like_upstream "a name starting with a dash" 1 "Error: invalid argument for 'CONTAINER'
$names_rule
$usage" create -- -foo
like_upstream "a name with a space" 1 "Error: invalid argument for 'CONTAINER'
$names_rule
$usage" create "foo bar"
like_upstream "--container with a name starting with a dash" 1 "Error: invalid argument for '--container'
$names_rule
$usage" create --container -foo
like_upstream "--container with a bad name" 1 "Error: invalid argument for '--container'
$names_rule
$usage" create --container "foo/bar"
like_upstream "--container with a name starting with a dot" 1 "Error: invalid argument for '--container'
$names_rule
$usage" create --container .foo
# No length limit in the rule: 300 characters are a name like any other.
long=$(printf 'a%.0s' $(seq 300))
same_creation "a name of 300 characters" "$long" create --image "$image" "$long"
same_creation "the name as argument wins over --container" "$p-arg" create --image "$image" "$p-arg" --container "$p-option"
same_creation "arguments after the name are ignored" "$p-first" create --image "$image" "$p-first" "$p-second" "$p-third"
same_creation "-y with a local image: nothing to ask" "$p-y" -y create --image "$image" "$p-y"
# An image given by ID is created from its name (RepoTags), as upstream's
# GetFullyQualifiedImageFromRepoTags (reference §3.2 step 8).
image_id=$(podman image inspect --format '{{.Id}}' "$image")
run_capture ours "$TOOLBOX_BIN" create --image "$image_id" "$p-id" </dev/null
expect_eq "an image ID: created" "$ours_rc:$ours_err" "0:"
expect_eq "an image ID: the container's image is the name" \
  "$(podman container inspect --format '{{.ImageName}}' "$p-id")" "$image"
podman rm "$p-id" >/dev/null
# A malformed D-Bus address is an error, not a skipped socket (reference §3.3).
for addr in "nonsense" "unix:path=/a=b"; do
  run_capture ours env DBUS_SYSTEM_BUS_ADDRESS="$addr" "$TOOLBOX_BIN" create --image "$image" "$p-dbus" </dev/null
  expect_eq "DBUS_SYSTEM_BUS_ADDRESS=$addr" "$ours_rc|$ours_err" "1|Error: failed to get the path to the D-Bus system socket"
  podman container exists "$p-dbus" && fail "DBUS_SYSTEM_BUS_ADDRESS=$addr: a container was created"
done
# The default container exists: how to enter it, without its name
# (upstream's getEnterCommand, reference §10).
default=debian-toolbox-$(. /etc/os-release && echo "$VERSION_ID")
podman create --name "$default" --label com.github.containers.toolbox=true "$image" /bin/true >/dev/null ||
  fail "podman create $default"
run_capture ours "$TOOLBOX_BIN" create </dev/null
expect_eq "the default container exists" "$ours_rc|$ours_err" "1|Error: container $default already exists
Enter with: toolbox enter
$usage"
podman rm "$default" >/dev/null
like_upstream "a container of that name exists" 1 "Error: container $p-taken already exists
Enter with: toolbox enter $p-taken
$usage" create --image "$image" "$p-taken"
like_upstream "a container of that name exists, before the image is looked at" 1 "Error: container $p-taken already exists
Enter with: toolbox enter $p-taken
$usage" create --image localhost/nonexistent:1 "$p-taken"

# --- Distributions and releases.
like_upstream "an unknown distribution" 1 "Error: invalid argument for '--distro'
Distribution nosuch is unsupported.
$usage" create --distro nosuch
like_upstream "another distribution without --release" 1 "Error: option '--release' is needed
Distribution fedora doesn't match the host.
$usage" create --distro fedora
like_upstream "a Fedora release that is not a number" 1 "Error: invalid argument for '--release'
The release must be a positive integer.
$usage" create --distro fedora --release foo
like_upstream "a Fedora release of 0" 1 "Error: invalid argument for '--release'
The release must be a positive integer.
$usage" create --distro fedora --release 0
like_upstream "a RHEL release without a minor version" 1 "Error: invalid argument for '--release'
The release must be in the '<major>.<minor>' format.
$usage" create --distro rhel --release 8
like_upstream "a RHEL release that is not a number" 1 "Error: invalid argument for '--release'
The release must be in the '<major>.<minor>' format.
$usage" create --distro rhel --release 8.x
like_upstream "a RHEL release of three numbers" 1 "Error: invalid argument for '--release'
The release must be in the '<major>.<minor>' format.
$usage" create --distro rhel --release 8.3.1
like_upstream "a RHEL release of 0.0" 1 "Error: invalid argument for '--release'
The release must be a positive number.
$usage" create --distro rhel --release 0.0
like_upstream "an unknown distribution with a release" 1 "Error: invalid argument for '--distro'
Distribution nosuch is unsupported.
$usage" create --distro nosuch --release 1
# Upstream 0.0.99.3 had no rules for Ubuntu and no Arch Linux; 0.3 has both.
unlike_upstream "an Ubuntu release without a month (0.3's rule)" 1 "Error: invalid argument for '--release'
The release must be in the 'YY.MM' format.
$usage" '^Image required to create toolbox container|^$' create --distro ubuntu --release 22
unlike_upstream "an Ubuntu release with a one-digit month (0.3's rule)" 1 "Error: invalid argument for '--release'
The release month must have two digits.
$usage" '^Image required to create toolbox container|^$' create --distro ubuntu --release 22.4
unlike_upstream "an Arch Linux release other than latest (0.3's rule)" 1 "Error: invalid argument for '--release'
The release must be 'latest'.
$usage" "Distribution arch is unsupported" create --distro arch --release 1
# The host's own distribution (Debian here): our Debian rule; Debian's patch took any word.
if [ "$(. /etc/os-release && echo "$ID")" = debian ]; then
  unlike_upstream "a Debian release that is a code name (our Debian rule)" 1 "Error: invalid argument for '--release'
The release must be a positive integer, 'testing' or 'unstable'.
$usage" '^$' create --release bookworm
fi

# --- Global flags and option values (reference §2).
like_upstream "an unknown log level" 1 'Error: failed to parse log-level: not a valid logrus Level: "nosuch"' \
  --log-level nosuch create
like_upstream "--distro without its value" 1 "Error: flag needs an argument: --distro
$usage" create --distro
like_upstream "-d without its value" 1 "Error: flag needs an argument: 'd' in -d
$usage" create -d
like_upstream "an unknown option" 1 "Error: unknown flag: --nosuch
$usage" create --nosuch
like_upstream "an unknown option after the name" 1 "Error: unknown flag: --nosuch
$usage" create "$p-z" --nosuch=1
like_upstream "an unknown short option" 1 "Error: unknown shorthand flag: 'x' in -x
$usage" create -x

# --- Options that exclude each other, and --authfile.
like_upstream "--distro with --image" 1 "Error: options --distro and --image cannot be used together
$usage" create --distro fedora --image "$image"
like_upstream "--image with --release" 1 "Error: options --image and --release cannot be used together
$usage" create --image "$image" --release 1
like_upstream "--release with --image, checked before the release" 1 "Error: options --image and --release cannot be used together
$usage" create --release foo --image "$image"
like_upstream "--authfile naming a missing file" 1 "Error: file $top/no-auth.json not found
'podman login' can be used to create the file.
$usage" create --authfile "$top/no-auth.json" --image "$image" "$p-auth"
like_upstream "--image with a bad generated name" 1 "Error: invalid argument for '--image'
Container name bad+name-1 generated from image is invalid.
$names_rule
$usage" create --image quay.io/x/bad+name:1
like_upstream "--authfile is checked before the name" 1 "Error: file $top/no-auth.json not found
'podman login' can be used to create the file.
$usage" create --authfile "$top/no-auth.json" -- -foo
unlike_upstream "--image without a basename (0.3's rule)" 1 "Error: invalid argument for '--image'
Images must have basenames.
$usage" '^$' create --image quay.io/x/

# --- Images that are not there; no terminal, no registry. (With a registry
# too, these names and tags do not exist: nothing is ever downloaded.)
like_upstream "a localhost image that does not exist: pulled without asking, and that fails" 1 \
  "Error: failed to pull image localhost/nonexistent:1
If it was a private image, log in with: podman login localhost
Use 'toolbox --verbose ...' for further details." create --image localhost/nonexistent:1 "$p-x1"
like_upstream "a name without a domain, of no known distribution" 1 \
  "Error: image nonexistent:1 not found in local storage and known registries" create --image nonexistent:1 "$p-x2"
like_upstream "-y and a registry that cannot be reached" 1 "Error: failed to pull image quay.io/tbx-test/nonexistent:1
If it was a private image, log in with: podman login quay.io
Use 'toolbox --verbose ...' for further details." -y create --image quay.io/tbx-test/nonexistent:1 "$p-x3"
like_upstream "--assumeyes and a known image without a domain" 1 "Error: failed to pull image registry.fedoraproject.org/fedora-toolbox:tbx-test-nonexistent
If it was a private image, log in with: podman login registry.fedoraproject.org
Use 'toolbox --verbose ...' for further details." --assumeyes create --image fedora-toolbox:tbx-test-nonexistent "$p-x4"
# Upstream 0.0.99.3 asks anyway, reads the end of its input as no and exits 0;
# 0.3 (and we) need a terminal to ask on.
unlike_upstream "a download without a terminal (0.3's rule)" 1 "Error: image required to create Toolbx container.
Use option '--assumeyes' to download the image.
$usage" '^$' create --image quay.io/tbx-test/nonexistent:1 "$p-x5"
unlike_upstream "a known image to download without a terminal (0.3's rule)" 1 "Error: image required to create Toolbx container.
Use option '--assumeyes' to download the image.
$usage" '^$' create --image fedora-toolbox:tbx-test-nonexistent "$p-x6"
for n in x1 x2 x3 x4 x5 x6 auth; do
  podman container exists "$p-$n" && fail "a failed create left the container $p-$n"
done
ok "failed creates left no containers"

# --- Through a terminal (tmux): the prompt, the size, the spinner.
need_cmd tmux
# Fixtures for external tools, on PATH before the real ones:
# * podman that sleeps 2.5 s before `pull` and `create`, so that the
#   spinner has time to turn (then it is the real podman);
# * skopeo variants. No registry is reachable here, so the real skopeo can
#   only fail; a stand-in that answers with LayersData sizes (skopeo's JSON,
#   cut down) once the test has seen the first prompt (it creates size.go) is
#   what makes the size rewrite observable, and
#   one that never answers shows that an unanswered skopeo is ended.
fx=$top/fixtures
say "NOTE: the prompt's size comes from a skopeo stand-in: no registry is reachable here, and no" \
  "local registry image is packaged; the real skopeo runs too and must fail (no registry)"
mkdir -p "$fx/slow" "$fx/size" "$fx/hang" "$fx/real"
cat >"$fx/slow/podman" <<EOF2
#!/bin/sh
for a in "\$@"; do case \$a in pull | create) sleep 2.5; break ;; esac; done
exec $(command -v podman) "\$@"
EOF2
cat >"$fx/size/skopeo" <<EOF2
#!/bin/sh
while [ ! -e $top/size.go ]; do sleep 0.1; done
echo '{"Name":"quay.io/tbx-test/sized","LayersData":[{"MIMEType":"x","Size":200000000},{"MIMEType":"x","Size":94100000}]}'
EOF2
cat >"$fx/hang/skopeo" <<EOF2
#!/bin/sh
echo \$\$ >$top/hang.pid
exec sleep 600
EOF2
# The real skopeo, if installed, with its exit status recorded.
if command -v skopeo >/dev/null; then
  printf '#!/bin/sh\n%s "$@"\necho $? >%s/real.rc\n' "$(command -v skopeo)" "$top" >"$fx/real/skopeo"
else
  skip_part "skopeo is not installed (apt-get install skopeo): the real skopeo is not run, a missing one is"
  printf '#!/bin/sh\necho 127 >%s/real.rc\nexit 127\n' "$top" >"$fx/real/skopeo"
fi
chmod 755 "$fx"/*/*

tbx_tmux_start "$top/tmux.sock" "env PS1='host\$ ' TERM=xterm bash --norc -i"
tbx_tmux_wait '^host\$'
term() { tbx_tmux_send "$*"; }
# screen_line REGEX: the last screen line matching REGEX.
screen_line() { tbx_tmux_screen | grep -E -- "$1" | tail -n1; }
clear_screen() { tmux -S "$TBX_TMUX_SOCK" send-keys -t 0 C-l; tmux -S "$TBX_TMUX_SOCK" clear-history -t 0; sleep 0.3; }

# The prompt at once, without a size while skopeo fails; "n": nothing created, status 0.
img=quay.io/tbx-test/nonexistent:1
term "PATH=$fx/real:\$PATH $TOOLBOX_BIN create --image $img $p-tty1; echo \"status \$?\""
tbx_tmux_wait '^Image required to create Toolbx container\.$'
tbx_tmux_wait "^Download $img ( \.\.\. MB)? \[y/N\]: *\$"
ok "terminal: the prompt is shown at once, size unknown"
for _ in $(seq 1 150); do [ -e "$top/real.rc" ] && break; sleep 0.2; done
[ -e "$top/real.rc" ] || fail "skopeo did not end within 30 s"
[ "$(cat "$top/real.rc")" != 0 ] || fail "skopeo reached a registry; this test expects none"
sleep 0.3
expect_eq "terminal: skopeo failed (no registry), the prompt stays without a size" \
  "$(screen_line '^Download ')" "Download $img ( ... MB)? [y/N]:"
term n
tbx_tmux_wait '^status 0$'
expect_eq "terminal: answering n prints nothing more" "$(tbx_tmux_screen | grep -A1 '^Download ' | tail -n1)" "status 0"
podman container exists "$p-tty1" && fail "answering n created $p-tty1"
ok "terminal: answering n created nothing"
if [ -n "$upstream" ]; then
  clear_screen
  term "$upstream create --image $img $p-tty1; echo \"status \$?\""
  tbx_tmux_wait "^Download $img"
  term n
  tbx_tmux_wait '^status 0$'
  ok "terminal: upstream too exits 0 after n"
fi

# The size arrives while the prompt waits: the line is rewritten in place,
# what was typed meanwhile is dropped; an unknown answer asks again, with the size.
clear_screen
term "PATH=$fx/size:\$PATH $TOOLBOX_BIN create --image $img $p-tty2; echo \"status \$?\""
tbx_tmux_wait "^Download $img ( \.\.\. MB)? \[y/N\]: *\$"
tmux -S "$TBX_TMUX_SOCK" send-keys -t 0 x
tbx_tmux_wait "^Download $img ( \.\.\. MB)? \[y/N\]: x\$"
touch "$top/size.go"
tbx_tmux_wait "^Download $img (294\.1MB)? \[y/N\]: *\$"
expect_eq "terminal: the size replaces ' ... MB' on the same line, typed-ahead input gone" \
  "$(tbx_tmux_screen | grep -c '^Download ')" 1
term maybe
tbx_tmux_wait "^Download $img (294\.1MB)? \[y/N\]: maybe\$"
expect_eq "terminal: an unknown answer asks again, with the size" "$(tbx_tmux_screen | grep -c '^Download ')" 2
term N
tbx_tmux_wait '^status 0$'
ok "terminal: N is no"

# skopeo still running when the user answers: ended and reaped.
clear_screen
term "PATH=$fx/hang:\$PATH $TOOLBOX_BIN create --image $img $p-tty3; echo \"status \$?\""
tbx_tmux_wait "^Download $img ( \.\.\. MB)? \[y/N\]: *\$"
for _ in $(seq 1 50); do [ -s "$top/hang.pid" ] && break; sleep 0.1; done
hang_pid=$(cat "$top/hang.pid")
kill -0 "$hang_pid" 2>/dev/null || fail "the waiting skopeo stand-in is not running"
term ""
tbx_tmux_wait '^status 0$'
sleep 0.2
if kill -0 "$hang_pid" 2>/dev/null; then fail "skopeo (PID $hang_pid) outlived the answer"; fi
ok "terminal: Enter is no, and the unanswered skopeo is ended"

# "y": the pull's spinner turns, then the pull fails (no registry): the line
# is erased and the error shown.
clear_screen
term "PATH=$fx/slow:$fx/real:\$PATH $TOOLBOX_BIN create --image $img $p-tty4; echo \"status \$?\""
tbx_tmux_wait "^Download $img"
term y
# spinner_chars PREFIX: the spinner characters seen after PREFIX, in order.
spinner_chars() {
  local seen="" line c
  for _ in $(seq 1 40); do
    line=$(screen_line "^$1")
    c=${line#"$1"}
    [ -z "$line" ] || [ "${seen: -1}" = "$c" ] || seen+=$c
    tbx_tmux_screen | grep -q '^status ' && break
    sleep 0.1
  done
  printf '%s\n' "$seen"
}
chars=$(spinner_chars "Pulling $img: ")
expect_match "terminal: the pull spinner turns through |/-\\ ($chars)" "$chars" '^(\|/|/-|-\\|\\\|)'
tbx_tmux_wait '^status 1$'
expect_eq "terminal: the failed pull's line is erased, the error follows the prompt" \
  "$(tbx_tmux_screen | grep -A1 '^Download ' | tail -n1)" "Error: failed to pull image $img"

# Creating: the spinner, then the result on the same line.
clear_screen
term "PATH=$fx/slow:\$PATH $TOOLBOX_BIN create --image $image $p-tty5; echo \"status \$?\""
chars=$(spinner_chars "Creating container $p-tty5: ")
expect_match "terminal: the create spinner turns ($chars)" "$chars" '^(\|/|/-|-\\|\\\|)'
tbx_tmux_wait '^status 0$'
expect_eq "terminal: the spinner's line is erased" "$(tbx_tmux_screen | grep -c '^Creating container')" 0
expect_eq "terminal: then the result" "$(tbx_tmux_screen | grep -v -e '^$' -e '^host\$ *$' | tail -n3)" "Created container: $p-tty5
Enter with: toolbox enter $p-tty5
status 0"
# And the cursor is shown again (tmux's cursor_flag).
expect_eq "terminal: the cursor is visible again" "$(tmux -S "$TBX_TMUX_SOCK" display-message -p -t 0 '#{cursor_flag}')" 1

# Ctrl-C while it spins: podman and toolbox end, the line is erased and the
# cursor shown again.
clear_screen
term "PATH=$fx/slow:\$PATH $TOOLBOX_BIN create --image $image $p-int; echo \"status \$?\""
tbx_tmux_wait "^Creating container $p-int: "
tmux -S "$TBX_TMUX_SOCK" send-keys -t 0 C-c
# bash drops the rest of a command list whose command died of SIGINT, as
# toolbox did (re-raised after the clean-up): ask for the status anew.
tbx_tmux_wait '^host\$ *$'
term 'echo "status $?"'
tbx_tmux_wait '^status 130$'
expect_eq "terminal: Ctrl-C erases the spinner's line" "$(tbx_tmux_screen | grep -c '^Creating container')" 0
expect_eq "terminal: Ctrl-C shows the cursor again" "$(tmux -S "$TBX_TMUX_SOCK" display-message -p -t 0 '#{cursor_flag}')" 1
podman rm --force --ignore "$p-int" >/dev/null 2>&1 || true

# Not a terminal, or debug logging: no spinner byte at all.
run_capture r env PATH="$fx/slow:$PATH" "$TOOLBOX_BIN" create --image "$image" "$p-pipe"
expect_eq "stdout not a terminal: exactly the two lines" "$r_rc:$r_out" "0:Created container: $p-pipe
Enter with: toolbox enter $p-pipe"
run_capture r env PATH="$fx/slow:$PATH" "$TOOLBOX_BIN" -y create --image "$img" "$p-pipe2"
expect_eq "stdout not a terminal, a failed pull: nothing on stdout" "$r_rc:$r_out" "1:"
if command -v script >/dev/null; then
  run_capture ts env PATH="$fx/slow:$PATH" script -qec "$TOOLBOX_BIN --log-level debug create --image $image $p-debug" /dev/null
  expect_eq "debug logging on a terminal: create exits 0" "$ts_rc" 0
  expect_match "debug logging on a terminal: created" "$ts_out" "^Created container: $p-debug"
  typescript=$(printf '%s' "$ts_out" | od -An -c)
  expect_no_match "debug logging on a terminal: no spinner" "$typescript" '\? +2 +5 +l'
fi
done_ok
