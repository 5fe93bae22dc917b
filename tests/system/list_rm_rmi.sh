#!/bin/bash
# toolbox list, rm and rmi with real podman (reference §6) on a storage of this
# test's own, so that the listing holds only what it made and --all removes
# nothing of anyone else's: Toolbx images imported from the Debian 11 root
# (one with two names, one with the old label, one nameless) and an unlabelled
# one; Toolbx containers running, created and exited, and an unlabelled one.
# Where Debian's podman-toolbox (upstream Toolbx 0.0.99.3) is installed, the
# same commands are run through it and compared: list byte for byte, errors
# apart from its "toolbox" for our "Toolbx", exit codes apart from our
# documented improvement (rm and rmi exit 1 when any object failed; upstream
# exits 0).
# shellcheck disable=SC2154 # run_capture sets ${P}_out, ${P}_err and ${P}_rc
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/podman.sh"
. "$(dirname "$0")/../lib/roots.sh"
need_root
need_cmd podman runc unshare tar
: "${TOOLBOX_BIN:?run through ctest, or set TOOLBOX_BIN}"

# A mount namespace of its own: whatever podman leaves mounted goes with it.
if [ -z "${TBX_LIST_RM_NS:-}" ]; then
  unshare -m true 2>/dev/null || skip "cannot create a mount namespace"
  exec env TBX_LIST_RM_NS=1 unshare -m --propagation private bash "$0" "$@"
fi

tbx_private_podman toolbox-list-rm-rmi
top=$TBX_PRIVATE_TOP

# Upstream, if installed (and not ours).
upstream=$(tbx_upstream)
command -v script >/dev/null || skip_part "no script(1) (bsdutils): the checks on a terminal are not run"
[ -n "$upstream" ] || skip_part "no upstream toolbox (apt-get install podman-toolbox): no comparisons"

# The first run of a toolbox on a machine (here: on this HOME) runs `podman
# system migrate`, which stops running containers: get it over with first.
for t in "$TOOLBOX_BIN" $upstream; do "$t" list >/dev/null 2>&1 || true; done

# --- Images and containers.
root=$(tbx_root bullseye) || skip "cannot build a Debian 11 root (see $TOOLBOX_TEST_CACHE/roots/bullseye.log)"
p=tbx-lrr-$$
import() { # import NAME LABEL...: prints the image ID
  local name=$1 change=() l
  shift
  for l in "$@"; do change+=(--change "LABEL $l"); done
  tar -C "$root" -c . | podman import --quiet "${change[@]}" - ${name:+"$name"} || fail "podman import $name"
}
import "localhost/$p-toolbox:11" com.github.containers.toolbox=true >/dev/null
podman tag "localhost/$p-toolbox:11" "localhost/$p-toolbox:alias"
import "localhost/$p-old:1" com.github.debarshiray.toolbox=true >/dev/null
nameless=$(import "" com.github.containers.toolbox=true "test.nameless=$p")
nameless=${nameless#sha256:}
import "localhost/$p-plain:1" >/dev/null
id_of() { podman inspect --format '{{.Id}}' "$@"; }
toolbox_id=$(id_of "localhost/$p-toolbox:11")
old_id=$(id_of "localhost/$p-old:1")

make_container() { # make_container NAME IMAGE [LABEL] [start]
  local -a o=(--name "$1" --stop-signal SIGKILL)
  [ -z "${3:-}" ] || o+=(--label "$3")
  podman create "${o[@]}" "$2" sleep infinity >/dev/null || fail "podman create $1"
  [ "${4:-}" != start ] || podman start "$1" >/dev/null || fail "podman start $1"
}
make_container "$p-a" "localhost/$p-toolbox:alias" com.github.containers.toolbox=true start
make_container "$p-b" "localhost/$p-toolbox:11" com.github.containers.toolbox=true
podman create --name "$p-c" --label com.github.debarshiray.toolbox=true "localhost/$p-old:1" /bin/true >/dev/null
podman start --attach "$p-c" >/dev/null || fail "podman start $p-c"
make_container "$p-plain" "localhost/$p-plain:1"
ok "4 images (one nameless, one with two names, one unlabelled) and 4 containers"

# --- list.
# check_table WHAT TEXT HEADER-LABEL...: Go tabwriter's layout (padding 2):
# the columns, the last column is not padded. Sets table_cells to the cells,
# '|'-separated.
check_table() {
  local what=$1 text=$2 cells
  shift 2
  cells=$(printf '%s\n' "$text" | awk -v labels="$(printf '%s\n' "$@")" '
    BEGIN { n = split(labels, label, "\n") }
    { line[NR] = $0 }
    END {
      for (k = 1; k <= n; k++) { o[k] = index(line[1], label[k]); if (o[k] == 0) { print "no header " label[k]; exit 1 } }
      if (o[1] != 1) { print "the header does not start with " label[1]; exit 1 }
      for (k = 1; k < n; k++) {
        max = 0
        for (i = 1; i <= NR; i++) {
          c = substr(line[i], o[k], o[k + 1] - o[k]); t = c; sub(/ +$/, "", t)
          if (substr(c, length(c) - 1) != "  " || t ~ /^ /) { print "line " i ": column " k " misaligned: [" c "]"; exit 1 }
          if (length(t) > max) max = length(t)
        }
        if (o[k + 1] - o[k] != max + 2) { print "column " k " is " o[k + 1] - o[k] " wide, not " max + 2; exit 1 }
      }
      for (i = 1; i <= NR; i++) {
        if (line[i] ~ / $/) { print "line " i " ends with a space"; exit 1 }
        out = ""
        for (k = 1; k <= n; k++) {
          c = k < n ? substr(line[i], o[k], o[k + 1] - o[k]) : substr(line[i], o[k]); sub(/ +$/, "", c)
          out = out (k > 1 ? "|" : "") c
        }
        print out
      }
    }') || fail "$what: $cells"
  ok "$what: tabwriter layout"
  table_cells=$cells
}

run_capture l "$TOOLBOX_BIN" list
expect_eq "list: exit 0" "$l_rc" 0
expect_eq "list: nothing on stderr" "$l_err" ""
images_part=$(printf '%s\n' "$l_out" | sed '/^$/,$d')
containers_part=$(printf '%s\n' "$l_out" | sed '1,/^$/d')
expect_eq "list: one blank line between the tables" "$(printf '%s\n' "$l_out" | grep -c '^$')" 1
check_table "list: images" "$images_part" "IMAGE ID" "IMAGE NAME" "CREATED"
cells=$table_cells
expect_match "list: images header" "$(printf '%s\n' "$images_part" | head -n1)" '^IMAGE ID      IMAGE NAME +CREATED$'
expect_eq "list: image rows, one per name, <none> for the nameless, sorted by name, unlabelled left out" \
  "$(printf '%s\n' "$cells" | tail -n +2 | cut -d'|' -f1,2)" \
  "${nameless:0:12}|<none>
${old_id:0:12}|localhost/$p-old:1
${toolbox_id:0:12}|localhost/$p-toolbox:11
${toolbox_id:0:12}|localhost/$p-toolbox:alias"
expect_match "list: image CREATED in go-units words" "$(printf '%s\n' "$cells" | tail -n +2 | cut -d'|' -f3 | sort -u)" \
  '^(Less than a second|[0-9]+ seconds|About a minute) ago$'
check_table "list: containers" "$containers_part" "CONTAINER ID" "CONTAINER NAME" "CREATED" "STATUS" "IMAGE NAME"
cells=$table_cells
expect_match "list: containers header" "$(printf '%s\n' "$containers_part" | head -n1)" \
  '^CONTAINER ID  CONTAINER NAME +CREATED +STATUS +IMAGE NAME$'
expect_eq "list: container rows sorted by name, with State and image, unlabelled left out" \
  "$(printf '%s\n' "$cells" | tail -n +2 | cut -d'|' -f1,2,4,5)" \
  "$(id_of "$p-a" | cut -c1-12)|$p-a|running|localhost/$p-toolbox:alias
$(id_of "$p-b" | cut -c1-12)|$p-b|created|localhost/$p-toolbox:11
$(id_of "$p-c" | cut -c1-12)|$p-c|exited|localhost/$p-old:1"

# CREATED ticks between two runs (and the widths with it): compare listings
# of different runs without it.
timeless() { printf '%s\n' "$1" | sed -E 's/(Less than a second|[0-9]+ seconds?|About a minute|[0-9]+ minutes) ago/-/g; s/ +/ /g'; }
run_capture li "$TOOLBOX_BIN" list --images
expect_eq "list --images: the images table alone" "$(timeless "$li_out")" "$(timeless "$images_part")"
run_capture lc "$TOOLBOX_BIN" list -c
expect_eq "list -c: the containers table alone" "$(timeless "$lc_out")" "$(timeless "$containers_part")"
run_capture lb "$TOOLBOX_BIN" list -c -i
expect_eq "list -c -i: both" "$(timeless "$lb_out")" "$(timeless "$l_out")"

# Colours need a terminal: script(1) gives one.
if command -v script >/dev/null; then
  tty_out=$(script -qec "$TOOLBOX_BIN list -c" /dev/null | tr -d '\r')
  esc=$'\033'
  expect_eq "list on a terminal: header in ESC[0;00m ... ESC[0m" "$(printf '%s\n' "$tty_out" | head -n1 | tr -s ' ')" \
    "${esc}[0;00m$(printf '%s\n' "$containers_part" | head -n1 | tr -s ' ')${esc}[0m"
  expect_match "list on a terminal: the running container in bold green" "$(printf '%s\n' "$tty_out" | grep -F " $p-a ")" \
    "^${esc}\[1;32m[0-9a-f]{12}  .*${esc}\[0m$"
  expect_match "list on a terminal: the others in the default colour" "$(printf '%s\n' "$tty_out" | grep -F " $p-b ")" \
    "^${esc}\[0;00m[0-9a-f]{12}  .*${esc}\[0m$"
fi

# The same listing through upstream: CREATED may tick between the two runs,
# so a few tries.
same_as_upstream() { # same_as_upstream WHAT ARGS...
  local what=$1
  shift
  [ -n "$upstream" ] || return 0
  for _ in 1 2 3; do
    run_capture ours "$TOOLBOX_BIN" "$@"
    run_capture theirs "$upstream" "$@"
    [ "$ours_out" != "$theirs_out" ] || break
  done
  expect_eq "$what: stdout as upstream's" "$ours_out" "$theirs_out"
  expect_eq "$what: stderr as upstream's" "$ours_err" "$theirs_err"
  expect_eq "$what: exit status as upstream's" "$ours_rc" "$theirs_rc"
  if command -v script >/dev/null; then
    for _ in 1 2 3; do
      ours_out=$(script -qec "$TOOLBOX_BIN $*" /dev/null) || true
      theirs_out=$(script -qec "$upstream $*" /dev/null) || true
      [ "$ours_out" != "$theirs_out" ] || break
    done
    expect_eq "$what: on a terminal, as upstream's (colours)" "$ours_out" "$theirs_out"
  fi
}
same_as_upstream "list" list
same_as_upstream "list --containers" list --containers
same_as_upstream "list -i" list -i

# Podman failing: a podman that answers `version` (upstream asks first) and fails listings.
fake=$top/fake-bin
mkdir -p "$fake"
cat >"$fake/podman" <<EOF
#!/bin/sh
for a in "\$@"; do case \$a in images | ps) echo "fake podman: no listing" >&2; exit 125 ;; esac; done
exec $(command -v podman) "\$@"
EOF
chmod +x "$fake/podman"
run_capture f env PATH="$fake:$PATH" "$TOOLBOX_BIN" list
expect_eq "list, podman images failing: the error" "$f_err" "Error: failed to get images"
expect_eq "list, podman images failing: exit 1" "$f_rc" 1
run_capture f env PATH="$fake:$PATH" "$TOOLBOX_BIN" list --containers
expect_eq "list -c, podman ps failing: the error" "$f_err" "Error: failed to get containers"
run_capture f env PATH="$fake:$PATH" "$TOOLBOX_BIN" rm --all
expect_eq "rm --all, podman ps failing: the error" "$f_err" "Error: failed to get containers"
expect_eq "rm --all, podman ps failing: exit 1" "$f_rc" 1
run_capture f env PATH="$fake:$PATH" "$TOOLBOX_BIN" rmi --all
expect_eq "rmi --all, podman images failing: the error" "$f_err" "Error: failed to get images"
PATH="$fake:$PATH" same_as_upstream "list, podman failing" list
PATH="$fake:$PATH" same_as_upstream "list -c, podman failing" list -c

# --- Errors of rm and rmi, compared with upstream. Upstream says "toolbox
# container" where we (and upstream 0.3) say "Toolbx container", and exits 0.
# like_upstream WHAT EXPECTED-RC EXPECTED-STDERR ARGS...
like_upstream() {
  local what=$1 rc=$2 err=$3
  shift 3
  run_capture ours "$TOOLBOX_BIN" "$@"
  expect_eq "$what: stderr" "$ours_err" "$err"
  expect_eq "$what: exit $rc" "$ours_rc" "$rc"
  expect_eq "$what: no stdout" "$ours_out" ""
  [ -n "$upstream" ] || return 0
  run_capture theirs "$upstream" "$@"
  expect_eq "$what: stderr as upstream's" "$ours_err" "$(printf '%s\n' "$theirs_err" | sed 's/ a toolbox / a Toolbx /')"
  if [ "$rc" = 1 ] && [ "$theirs_rc" = 0 ] && { [ "$1" = rm ] || [ "$1" = rmi ]; }; then
    ok "$what: upstream exits 0 (its known bug), we exit 1"
  else
    expect_eq "$what: exit status as upstream's" "$ours_rc" "$theirs_rc"
  fi
}
like_upstream "rm without arguments" 1 'Error: missing argument for "rm"
Run '\''toolbox --help'\'' for usage.' rm
like_upstream "rmi without arguments" 1 'Error: missing argument for "rmi"
Run '\''toolbox --help'\'' for usage.' rmi
like_upstream "rm of a non-Toolbx container" 1 "Error: $p-plain is not a Toolbx container" rm "$p-plain"
like_upstream "rm of a missing container" 1 "Error: failed to inspect container $p-nosuch" rm "$p-nosuch"
like_upstream "rm of a running container" 1 "Error: container $p-a is running" rm "$p-a"
like_upstream "rm of several, each failing" 1 "Error: failed to inspect container $p-nosuch
Error: $p-plain is not a Toolbx container
Error: container $p-a is running" rm "$p-nosuch" "$p-plain" "$p-a"
like_upstream "rmi of a non-Toolbx image" 1 "Error: localhost/$p-plain:1 is not a Toolbx image" rmi "localhost/$p-plain:1"
like_upstream "rmi of a missing image" 1 "Error: failed to inspect image $p-nosuch" rmi "$p-nosuch"
like_upstream "rmi of an image with a container" 1 "Error: image localhost/$p-old:1 has dependent children" \
  rmi "localhost/$p-old:1"
if ! { podman container exists "$p-a" && podman container exists "$p-plain" && podman image exists "localhost/$p-old:1"; }; then
  fail "a failed rm or rmi removed something"
fi
ok "failed rm and rmi removed nothing"

# --- What works.
run_capture r "$TOOLBOX_BIN" rm "$p-nosuch" "$p-b"
expect_eq "rm goes on after an error: stderr" "$r_err" "Error: failed to inspect container $p-nosuch"
expect_eq "rm goes on after an error: exit 1" "$r_rc" 1
podman container exists "$p-b" && fail "rm did not remove $p-b after the error"
ok "rm removed $p-b after the error"
run_capture r "$TOOLBOX_BIN" rm --force "$p-a"
expect_eq "rm --force of a running container: exit 0, silent" "$r_rc:$r_out$r_err" "0:"
podman container exists "$p-a" && fail "rm --force left $p-a"
ok "rm --force removed the running $p-a"
run_capture r "$TOOLBOX_BIN" rmi -f "localhost/$p-old:1"
expect_eq "rmi --force of an image with a container: exit 0, silent" "$r_rc:$r_out$r_err" "0:"
podman image exists "localhost/$p-old:1" && fail "rmi --force left localhost/$p-old:1"
podman container exists "$p-c" && fail "rmi --force left its container $p-c"
ok "rmi --force removed the image and its container"

# --- --all. A running and a created container again; upstream first, then us.
make_container "$p-d" "localhost/$p-toolbox:11" com.github.containers.toolbox=true start
d_id=$(id_of "$p-d")
if [ -n "$upstream" ]; then
  make_container "$p-e" "localhost/$p-toolbox:alias" com.github.containers.toolbox=true
  run_capture theirs "$upstream" rm --all
  podman container exists "$p-e" && fail "upstream rm --all left $p-e"
  say "upstream rm --all: exit $theirs_rc, stderr: $theirs_err"
fi
make_container "$p-e" "localhost/$p-toolbox:alias" com.github.containers.toolbox=true
run_capture r "$TOOLBOX_BIN" rm --all
expect_eq "rm --all: the running container by ID" "$r_err" "Error: container $d_id is running"
expect_eq "rm --all: exit 1" "$r_rc" 1
podman container exists "$p-e" && fail "rm --all left $p-e"
podman container exists "$p-plain" || fail "rm --all removed the non-Toolbx $p-plain"
ok "rm --all removed the created Toolbx container, not the others"
[ -z "$upstream" ] || expect_eq "rm --all: stderr as upstream's" "$r_err" "$theirs_err"

# rmi --all without --force: the image with two names and a running container
# fails (podman: "unable to delete image by ID with more than one tag"), the
# nameless one goes. Upstream visits an image once per name, so it reports
# the failure twice; we visit each ID once.
if [ -n "$upstream" ]; then
  run_capture theirs "$upstream" rmi --all
  say "upstream rmi --all: exit $theirs_rc, stderr: $theirs_err"
  podman image exists "$nameless" && fail "upstream rmi --all left the nameless image"
  nameless=$(import "" com.github.containers.toolbox=true "test.nameless=$p")
  nameless=${nameless#sha256:}
fi
run_capture r "$TOOLBOX_BIN" rmi --all
expect_eq "rmi --all: the image in use, once, by ID" "$r_err" "Error: failed to remove image $toolbox_id"
expect_eq "rmi --all: exit 1" "$r_rc" 1
podman image exists "$nameless" && fail "rmi --all left the nameless image"
ok "rmi --all removed the unused Toolbx image"
[ -z "$upstream" ] || expect_eq "rmi --all: stderr as upstream's, each line once" "$r_err" \
  "$(printf '%s\n' "$theirs_err" | awk '!seen[$0]++')"

run_capture r "$TOOLBOX_BIN" rmi --all --force
expect_eq "rmi --all --force: exit 0, silent" "$r_rc:$r_out$r_err" "0:"
podman container exists "$p-d" && fail "rmi --all --force left the container $p-d of its image"
podman image exists "localhost/$p-plain:1" || fail "rmi --all --force removed the non-Toolbx image"
ok "rmi --all --force removed every Toolbx image (and its container), not the others"
run_capture r "$TOOLBOX_BIN" rm --all
expect_eq "rm --all with nothing to remove: exit 0, silent" "$r_rc:$r_out$r_err" "0:"

run_capture l "$TOOLBOX_BIN" list
expect_eq "list with no Toolbx objects: nothing at all, exit 0" "$l_rc:$l_out$l_err" "0:"
same_as_upstream "list with no Toolbx objects" list

done_ok
