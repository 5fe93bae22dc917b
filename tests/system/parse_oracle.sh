#!/bin/bash
# The command line as upstream parses it: a table of command lines generated
# from a small grammar (every command x persistent flags before and after it x
# unknown flags x `--` x command names, -h and toolbox flags inside run's
# COMMAND x empty and odd values), plus every case of issue #9, run through
# our toolbox and through Debian's podman-toolbox (upstream Toolbx 0.0.99.3, a
# cobra program) with a stand-in podman first in PATH. The stand-in records
# every call and answers as a podman with no containers and no images would.
# Compared after normalisation: exit status, stderr, stdout, and the
# state-changing podman calls (create, start, exec, rm, rmi, pull); read-only
# calls differ by design (we make fewer). Rows where upstream 0.3 (the
# reference) or docs/compatibility.md says otherwise are listed in EXCEPTIONS
# with the section they follow; ours is then asserted to the recorded text.
# Needs neither root nor a real podman, only the oracle.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/podman.sh"
: "${TOOLBOX_BIN:?run through ctest, or set TOOLBOX_BIN}"
upstream=$(tbx_upstream)
[ -n "$upstream" ] || skip "no upstream toolbox to compare with (apt-get install podman-toolbox)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/home" "$work/run" "$work/cwd"
chmod 700 "$work/run"
cat >"$work/bin/podman" <<'STUB'
#!/bin/bash
# A podman with no containers and no images. Every call is logged, one line each.
printf '%q ' "$@" >>"$STUB_LOG"
echo >>"$STUB_LOG"
args=("$@")
while [ "${args[0]:-}" = --log-level ]; do args=("${args[@]:2}"); done
case "${args[0]:-}" in
  --version) echo "podman version 4.3.1" ;;
  version) echo '{"Client":{"APIVersion":"4.3.1","Version":"4.3.1","GoVersion":"go1.19.8","OsArch":"linux/amd64"}}' ;;
  system) exit 0 ;;
  ps | images) echo '[]' ;;
  container | image)
    [ "${args[1]:-}" = exists ] && exit 1
    [ "${args[1]:-}" = ls ] && { echo '[]'; exit 0; }
    echo "Error: stub podman refuses: ${args[*]}" >&2
    exit 125 ;;
  inspect) echo '[]'; echo "Error: no such object: \"${args[-1]}\"" >&2; exit 125 ;;
  *) echo "Error: stub podman refuses: ${args[*]}" >&2; exit 125 ;;
esac
STUB
chmod +x "$work/bin/podman"
export HOME=$work/home XDG_RUNTIME_DIR=$work/run XDG_CONFIG_HOME=$work/home/.config SHELL=/bin/bash
export PATH="$work/bin:$PATH" MANPAGER=cat PAGER=cat MANWIDTH=80 LC_ALL=C.UTF-8
unset TOOLBOX_PATH DBUS_SYSTEM_BUS_ADDRESS
cd "$work/cwd"
# Upstream's first run migrates (`podman system migrate`): not part of any row.
STUB_LOG=/dev/null "$upstream" list >/dev/null 2>&1 || true

# --- The grammar -------------------------------------------------------------
rows=()
row() { rows+=("$(printf '%q ' "$@")"); }
commands=(create enter list rm rmi run help init-container)
globals=(-v --verbose -vv -y --assumeyes --log-podman "--log-level debug" "--log-level DEBUG" "--log-level=Warning"
  "--log-level foo" "--log-level ''")
unknown=(--foo -x --foo=bar -Z)
# The cases of issue #9, word for word.
row run rm -f foo
row run list
row run create
row run enter
row run rmi foo
row run ls -h
row run --verbose true
row create -y
row enter -v
row list -v
row run --foo ls
row run grep binfmt f
row init-container --foo
# Persistent flags before and after every command; unknown flags before and after.
for c in "${commands[@]}"; do
  for gl in "${globals[@]}"; do
    eval "row $gl $c"
    eval "row $c $gl"
  done
  for u in "${unknown[@]}"; do
    row "$u" "$c"
    row "$c" "$u"
  done
  row "$c" --
  row "$c" -- --foo
  row "$c" ''
  row "$c" ' '
done
# run: parsing stops at COMMAND; everything after it is COMMAND's.
for c in "${commands[@]}" binfmt completion --version -h --help -- -v -y --foo ''; do
  row run ls "$c"
  row run "$c" ls
done
for w in "-c box" "-c=box" "--container box" "--container=box" "-d fedora -r 40" "--preserve-fds 2" "--preserve-fds x" \
  "-c ''" "-c"; do
  eval "row run $w ls -v --help"
  eval "row run $w -- ls -v"
done
row run -- -- ls
row run -c box -- --foo
row run
row run -v
row run --
# enter and create: words after CONTAINER are ignored, flags among them are not.
row enter box extra words
row enter box --foo
row enter box -c other
row create box extra words
row create box --foo
row create -c box -i
row create --distro
row create -d
row create --release=
row rm
row rm -a -f
row rm box other
row rmi
row rmi -a
# The root: no command, unknown commands, --version, help topics.
row
row foo
row foo --help
row --help foo
row -h create
row help create
row help run
row help foo
row --version
row --version create
row create --version
row -v
row --log-level
row -y -v --log-podman
row help -h
row list --containers --images
row list -c -i
row list -ci
row list -cx
row rm -af
row binfmt-nonsense
row lis

# --- Exceptions --------------------------------------------------------------
# Where upstream 0.3 (the reference) or docs/compatibility.md differs from
# 0.0.99.3: the reference section, or the row of docs/compatibility.md, and
# ours exactly as it must be instead.
declare -A except
# CLI11 cannot say what pflag says (docs/design.md "The command line",
# docs/compatibility.md "Command-line parsing corners").
except["k:--help foo"]="compatibility: parsing corners (--help opens the manual of the parsed command)|1|Error: \
unknown command \"foo\" for \"toolbox\"
Run 'toolbox --help' for usage."
except["k:run -c=box ls -v --help"]="compatibility: parsing corners (-c=box is the value =box)|1|Error: invalid argument for '--container'
Container names must match '[a-zA-Z0-9][a-zA-Z0-9_.-]*'.
Run 'toolbox --help' for usage."
except["k:run -c=box -- ls -v"]=${except["k:run -c=box ls -v --help"]}
except["k:create --release="]="compatibility: parsing corners (an empty value after =)|1|Error: flag needs an argument: --release=
Run 'toolbox --help' for usage."
# documented_difference: the reference section when ours differs from
# 0.0.99.3 as the reference says (the whole class of rows), else nothing.
documented_difference() {
  local ours_rc ours_err theirs_rc theirs_out theirs_err
  ours_rc=$(cat "$work/ours.rc") ours_err=$(normalise <"$work/ours.err")
  theirs_rc=$(cat "$work/theirs.rc") theirs_out=$(cat "$work/theirs.out") theirs_err=$(normalise <"$work/theirs.err")
  # §2.1: `toolbox version 0.3`.
  if [ "$(cat "$work/ours.out")" = "toolbox version 0.3" ] && [ "$theirs_out" = "toolbox version 0.0.99.3" ]; then
    echo "§2.1 --version"
    return
  fi
  # §3.2 step 6 and docs/compatibility.md: no terminal, no prompt: 0.3's error.
  if [ "$theirs_rc" = 0 ] && [[ $theirs_out == *"? [y/N]: " ]] && [ "$ours_rc" = 1 ] &&
    [ "$ours_err" = "Error: image required to create toolbox container.
Use option '--assumeyes' to download the image.
Run 'toolbox --help' for usage." ]; then
    echo "§3.2 step 6, the download prompt without a terminal"
    return
  fi
  # §6.3, §6.4 and docs/compatibility.md: rm and rmi exit 1 after a failure.
  if [ "$theirs_rc" = 0 ] && [ "$ours_rc" = 1 ] && [ "$ours_err" = "$theirs_err" ] && [ -n "$ours_err" ]; then
    echo "§6.3/§6.4, exit status of rm and rmi"
    return
  fi
}

normalise() {
  # Upstream 0.3 says "Toolbx" where 0.0.99.3 says "toolbox" (reference §10);
  # our executable's path where upstream's is.
  # Debug and info lines (-v, --log-level) are each program's own; only what
  # the user is told at the default level is compared.
  sed -e 's/Toolbx/toolbox/g' -e "s|$TOOLBOX_BIN|TOOLBOX|g" -e "s|$upstream|TOOLBOX|g" |
    grep -Ev '^(level=(trace|debug|info|warning)|(TRAC|DEBU|INFO|WARN)\[)' || true
}
state_calls() {
  # create, start, exec, rm, rmi, pull: what changes the world; global
  # options and the `container`/`image` group words dropped.
  sed -E -e 's/^(--log-level [a-z]+ )+//' -e 's/^container (rm|start|create|exec) /\1 /' -e 's/^image rm /rmi /' "$1" |
    grep -E '^(create|start|exec|rm|rmi|pull) ' || true
}
run_one() {
  local bin=$1 prefix=$2
  shift 2
  : >"$work/log"
  set +e
  STUB_LOG=$work/log timeout 20 "$bin" "$@" <"$work/stdin" >"$work/$prefix.out" 2>"$work/$prefix.err"
  echo $? >"$work/$prefix.rc"
  set -e
  state_calls "$work/log" >"$work/$prefix.calls"
}

failed=0 agreed=0 excepted=0
: >"$work/stdin"
# enter's "Create now?" with no container: answers in any case, asked again
# after anything else (rows "<<ANSWERS>> enter").
for answers in 'N' 'no' 'NO' 'x\nn' 'maybe\n\nyes-please\nNo' ''; do
  rows+=("<<$answers>> enter")
done
for r in "${rows[@]}"; do
  : >"$work/stdin"
  if [[ $r == "<<"* ]]; then
    # shellcheck disable=SC2059 # the answers' \n are meant
    printf "${r#<<}\n" | sed 's/>> enter$//' >"$work/stdin"
    r=enter
  fi
  eval "set -- $r"
  run_one "$TOOLBOX_BIN" ours "$@"
  run_one "$upstream" theirs "$@"
  o="$(cat "$work/ours.rc")|$(normalise <"$work/ours.err")|$(normalise <"$work/ours.out")|$(cat "$work/ours.calls")"
  t="$(cat "$work/theirs.rc")|$(normalise <"$work/theirs.err")|$(normalise <"$work/theirs.out")|$(cat "$work/theirs.calls")"
  key="k:$*"
  if [ "$o" = "$t" ]; then
    agreed=$((agreed + 1))
    continue
  fi
  if [ -n "${except[$key]+x}" ]; then
    got="$(cat "$work/ours.rc")|$(normalise <"$work/ours.err")"
    if [ "$got" = "${except[$key]#*|}" ]; then
      say "exception (${except[$key]%%|*}): toolbox $r"
      excepted=$((excepted + 1))
      continue
    fi
  fi
  why=$(documented_difference)
  if [ -n "$why" ]; then
    say "exception ($why): toolbox $r"
    excepted=$((excepted + 1))
    continue
  fi
  failed=$((failed + 1))
  say "DIFFERS: toolbox $r"
  printf '  ours:     %s\n' "${o//$'\n'/\\n}"
  printf '  upstream: %s\n' "${t//$'\n'/\\n}"
done
say "${#rows[@]} command lines: $agreed as upstream, $excepted documented exceptions, $failed different"
[ "${#rows[@]}" -ge 150 ] || fail "only ${#rows[@]} rows"
[ "$failed" = 0 ] || fail "$failed command lines parse differently from upstream"
ok "every command line as upstream or as documented"
done_ok
