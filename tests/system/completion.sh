#!/bin/bash
# The shell completions of toolbox/completion/: bash (driven through
# COMP_WORDS/COMP_CWORD, with bash-completion loaded), fish (complete -C) and
# zsh (syntax; completions too, through zpty, when zsh is installed). Names of
# containers and images come from a stand-in podman that only answers the two
# queries the scripts may make; without podman they must complete nothing and
# print nothing.
. "$(dirname "$0")/../lib/common.sh"
comp=$TOOLBOX_SOURCE_DIR/toolbox/completion
bash_completion=/usr/share/bash-completion/bash_completion
[ -r "$bash_completion" ] || skip "needs bash-completion ($bash_completion)"
need_cmd fish

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/fish-empty"
cat >"$work/bin/podman" <<'STUB'
#!/bin/sh
# Only the two queries of the completion scripts, with their exact arguments.
[ -n "${STUB_PODMAN_FAIL:-}" ] && { echo "Error: stub podman fails" >&2; exit 125; }
case "$*" in
  "ps --all --format {{.Names}} --filter label=com.github.containers.toolbox=true")
    printf '%s\n' fedora-toolbox-40 debian-toolbox-12 ;;
  "images --format {{.Repository}}:{{.Tag}} --filter label=com.github.containers.toolbox=true")
    printf '%s\n' quay.io/toolbx-images/debian-toolbox:12 registry.fedoraproject.org/fedora-toolbox:40 '<none>:<none>' ;;
  *) echo "stub podman: unexpected arguments: $*" >&2; exit 125 ;;
esac
STUB
chmod +x "$work/bin/podman"

sorted() { tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'; }
commands_sorted=$(echo "binfmt create enter help list rm rmi run" | sorted)

# --- toolbox completion SHELL (cobra's hidden command): the same scripts -------
: "${TOOLBOX_BIN:?run through ctest, or set TOOLBOX_BIN}"
for pair in bash:toolbox.bash zsh:_toolbox fish:toolbox.fish; do
  "$TOOLBOX_BIN" completion "${pair%%:*}" >"$work/printed" 2>"$work/err" || fail "completion ${pair%%:*}: exit $?"
  cmp -s "$work/printed" "$comp/${pair#*:}" || fail "completion ${pair%%:*} differs from $comp/${pair#*:}"
  expect_eq "completion ${pair%%:*}: nothing on stderr" "$(cat "$work/err")" ""
done
ok "toolbox completion bash|zsh|fish prints the installed scripts"
completion_error() {
  run_capture c "$TOOLBOX_BIN" completion "${@:2}"
  # shellcheck disable=SC2154 # set by run_capture
  expect_eq "completion ${*:2}: cobra's error" "$c_rc|$c_err|$c_out" "1|Error: $1
Run 'toolbox --help' for usage.|"
}
completion_error "accepts 1 arg(s), received 0"
completion_error "accepts 1 arg(s), received 2" bash zsh
completion_error 'invalid argument "powershell" for "toolbox completion"' powershell

# --- bash -------------------------------------------------------------------
# complete_bash [--no-podman] WORD...: the replies for the line WORD... with the
# cursor in the last word, one per line. Stderr of the shell is kept in $work/err.
complete_bash() {
  local path="$work/bin:$PATH"
  if [ "$1" = --no-podman ]; then path=/nonexistent; shift; fi
  # shellcheck disable=SC2016 # expanded by the inner shell
  env -u BASH_ENV PATH="$work/bin:$PATH" bash --norc --noprofile -c '
    . "$1"; . "$2"; shift 2
    PATH=$1; shift
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _toolbox toolbox "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' bash "$bash_completion" "$comp/toolbox.bash" "$path" "$@" 2>"$work/err"
}

# shellcheck disable=SC2016 # expanded by the inner shell
registered=$(env -u BASH_ENV bash --norc --noprofile -c '. "$1"; . "$2"; complete -p toolbox' bash "$bash_completion" "$comp/toolbox.bash")
expect_eq "bash: complete -p toolbox" "$registered" "complete -F _toolbox toolbox"

expect_eq "bash: toolbox <TAB>: the commands, not init-container" "$(complete_bash toolbox '' | sorted)" "$commands_sorted"
expect_eq "bash: toolbox cr<TAB>" "$(complete_bash toolbox cr)" "create"
expect_eq "bash: toolbox create --distro <TAB>" "$(complete_bash toolbox create --distro '' | sorted)" "arch debian fedora rhel ubuntu"
expect_eq "bash: toolbox create -d de<TAB>" "$(complete_bash toolbox create -d de)" "debian"
expect_eq "bash: no --distro after --image" "$(complete_bash toolbox create --image x --distro '')" ""
levels=$(echo "trace debug info warn error fatal panic" | sorted)
expect_eq "bash: toolbox --log-level <TAB>" "$(complete_bash toolbox --log-level '' | sorted)" "$levels"
expect_eq "bash: toolbox --log-level=<TAB> (split at '=')" "$(complete_bash toolbox --log-level = '' | sorted)" "$levels"
expect_eq "bash: toolbox --log-level=d<TAB>" "$(complete_bash toolbox --log-level = d)" "debug"
expect_eq "bash: a command after global options" "$(complete_bash toolbox -v --log-level debug li)" "list"
expect_eq "bash: toolbox binfmt <TAB>" "$(complete_bash toolbox binfmt '' | sorted)" "register status unregister"
expect_eq "bash: toolbox binfmt status -<TAB>" "$(complete_bash toolbox binfmt status - | sorted)" "$(echo "--handler --help --json --name -h" | sorted)"
expect_eq "bash: toolbox binfmt unregister --<TAB>" "$(complete_bash toolbox binfmt unregister -- | sorted)" "--help --name"
expect_eq "bash: global options" "$(complete_bash toolbox - | sorted)" \
  "$(echo "--assumeyes --help --log-level --log-podman --verbose --version -h -v -y" | sorted)"
expect_eq "bash: create options" "$(complete_bash toolbox create - | sorted)" \
  "$(echo "--authfile --container --distro --help --image --release -c -d -h -i -r" | sorted)"
expect_eq "bash: run options" "$(complete_bash toolbox run - | sorted)" \
  "$(echo "--container --distro --help --preserve-fds --release -c -d -h -r" | sorted)"
expect_eq "bash: options after run's COMMAND are the command's" "$(complete_bash toolbox run ls -)" ""
expect_eq "bash: list options" "$(complete_bash toolbox list - | sorted)" "$(echo "--containers --help --images -c -h -i" | sorted)"
expect_eq "bash: rm options" "$(complete_bash toolbox rm - | sorted)" "$(echo "--all --force --help -a -f -h" | sorted)"
expect_eq "bash: toolbox help <TAB>" "$(complete_bash toolbox help '' | sorted)" "$commands_sorted"
expect_eq "bash: toolbox help run <TAB>" "$(complete_bash toolbox help run '')" ""
expect_eq "bash: toolbox enter <TAB>: Toolbx containers" "$(complete_bash toolbox enter '' | sorted)" "debian-toolbox-12 fedora-toolbox-40"
expect_eq "bash: toolbox enter NAME <TAB>: one container only" "$(complete_bash toolbox enter x '')" ""
expect_eq "bash: toolbox run --container f<TAB>" "$(complete_bash toolbox run --container f)" "fedora-toolbox-40"
expect_eq "bash: toolbox rm NAME <TAB>: the others" "$(complete_bash toolbox rm fedora-toolbox-40 '')" "debian-toolbox-12"
expect_eq "bash: toolbox rmi <TAB>: named Toolbx images" "$(complete_bash toolbox rmi '' | sorted)" \
  "quay.io/toolbx-images/debian-toolbox:12 registry.fedoraproject.org/fedora-toolbox:40"
# bash splits "NAME:TAG" at ':' and readline replaces only the part after it.
expect_eq "bash: toolbox rmi IMAGE:<TAB>" "$(complete_bash toolbox rmi quay.io/toolbx-images/debian-toolbox : '')" "12"
expect_eq "bash: toolbox create --image <TAB>" "$(complete_bash toolbox create --image '' | wc -l)" "2"
expect_eq "bash: without podman: no names" "$(complete_bash --no-podman toolbox enter '')" ""
expect_eq "bash: without podman: nothing on stderr" "$(cat "$work/err")" ""
expect_eq "bash: failing podman: no names" "$(STUB_PODMAN_FAIL=1 complete_bash toolbox rm '')" ""
expect_eq "bash: failing podman: nothing on stderr" "$(cat "$work/err")" ""

# --- fish -------------------------------------------------------------------
# Only our script: an installed toolbox.fish (Debian's podman-toolbox has one,
# generated by cobra, which erases other completions) must not be autoloaded.
complete_fish() {
  local path="$work/bin:$PATH"
  if [ "$1" = --no-podman ]; then path=/nonexistent; shift; fi
  # shellcheck disable=SC2016 # expanded by fish
  fish --no-config -c '
    set -g fish_complete_path $argv[1]
    source $argv[2]
    set -gx PATH (string split : -- $argv[3])
    complete -C $argv[4]' "$work/fish-empty" "$comp/toolbox.fish" "$path" "$1" 2>"$work/err" | cut -f1
}
expect_eq "fish: toolbox cr<TAB>" "$(complete_fish 'toolbox cr')" "create"
expect_eq "fish: toolbox <TAB>: the commands, not init-container" "$(complete_fish 'toolbox ' | sorted)" "$commands_sorted"
expect_eq "fish: toolbox create --distro <TAB>" "$(complete_fish 'toolbox create --distro ' | sorted)" "arch debian fedora rhel ubuntu"
expect_eq "fish: toolbox --log-level <TAB>" "$(complete_fish 'toolbox --log-level ' | sorted)" "$levels"
expect_eq "fish: toolbox binfmt <TAB>" "$(complete_fish 'toolbox binfmt ' | sorted)" "register status unregister"
expect_eq "fish: toolbox binfmt status --<TAB>" "$(complete_fish 'toolbox binfmt status --' | sorted)" "--handler --help --json --name"
expect_eq "fish: global options" "$(complete_fish 'toolbox -' | sorted)" \
  "$(echo "--assumeyes --help --log-level --log-podman --verbose --version -h -v -y" | sorted)"
expect_eq "fish: rm options" "$(complete_fish 'toolbox rm -' | sorted)" "$(echo "--all --force --help -a -f -h" | sorted)"
expect_eq "fish: toolbox help <TAB>" "$(complete_fish 'toolbox help ' | sorted)" "$commands_sorted"
expect_eq "fish: toolbox enter <TAB>" "$(complete_fish 'toolbox enter ' | sorted)" "debian-toolbox-12 fedora-toolbox-40"
expect_eq "fish: toolbox enter --distro fedora <TAB>" "$(complete_fish 'toolbox enter --distro fedora ' | sorted)" "debian-toolbox-12 fedora-toolbox-40"
expect_eq "fish: toolbox rm NAME <TAB>" "$(complete_fish 'toolbox rm fedora-toolbox-40 ')" "debian-toolbox-12"
expect_eq "fish: toolbox run -c <TAB>" "$(complete_fish 'toolbox run -c ' | sorted)" "debian-toolbox-12 fedora-toolbox-40"
expect_eq "fish: toolbox rmi <TAB>" "$(complete_fish 'toolbox rmi ' | sorted)" \
  "quay.io/toolbx-images/debian-toolbox:12 registry.fedoraproject.org/fedora-toolbox:40"
expect_eq "fish: without podman: no names" "$(complete_fish --no-podman 'toolbox enter ')" ""
expect_eq "fish: without podman: nothing on stderr" "$(cat "$work/err")" ""

# --- zsh --------------------------------------------------------------------
if ! command -v zsh >/dev/null 2>&1; then
  skip_part "zsh is not installed (apt-get install zsh): _toolbox not checked"
  done_ok
  exit 0
fi
run_capture z zsh -n "$comp/_toolbox"
expect_eq "zsh: _toolbox parses (zsh -n)" "$z_rc:$z_err" "0:"
mkdir "$work/zfunc"
cp "$comp/_toolbox" "$work/zfunc/"
# capture.zsh FPATH_DIR LINE [PATH]: type LINE and TAB in an interactive zsh on
# a pseudo-terminal (with PATH, if given), with compadd wrapped to print what it
# adds as <<match>>.
cat >"$work/capture.zsh" <<'ZSH'
zmodload zsh/zpty || exit 2
zpty z zsh -f -i
zpty -w z "PROMPT= ; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a __hits
  builtin compadd -A __hits "$@"
  local ret=$?
  (( $#__hits == 0 )) && return $ret
  print -r -- "<<${(j:>> <<:)__hits}>>"
  builtin compadd "$@"
}'
[[ -n $3 ]] && zpty -w z "path=($3)"
zpty -w z "bindkey '^I' complete-word; zle_done() { echo '<EOC>' }; zle -N zle_done; bindkey '^X' zle_done"
zpty -w z "echo RE''ADY"
zpty -r z line '*READY*' || exit 2
zpty -w -n z "$2"$'\t'
zpty -w -n z $'\C-X'
out=""
integer deadline=$(( SECONDS + 20 ))
while (( SECONDS < deadline )); do
  if zpty -r -t z chunk; then
    out+=$chunk
    [[ $out == *'<EOC>'* ]] && break
  else
    sleep 0.1
  fi
done
zpty -d z
print -r -- "$out" | tr -d '\r' | grep -o '<<[^>]*>>' | sed 's/^<<//; s/>>$//' | sort -u
ZSH
complete_zsh() { PATH="$work/bin:$PATH" zsh -f "$work/capture.zsh" "$work/zfunc" "$@" 2>"$work/err"; }
expect_eq "zsh: toolbox <TAB>" "$(complete_zsh 'toolbox ' | sorted)" "$commands_sorted"
expect_eq "zsh: toolbox create --distro <TAB>" "$(complete_zsh 'toolbox create --distro ' | sorted)" "arch debian fedora rhel ubuntu"
expect_eq "zsh: toolbox --log-level <TAB>" "$(complete_zsh 'toolbox --log-level ' | sorted)" "$levels"
expect_eq "zsh: toolbox binfmt <TAB>" "$(complete_zsh 'toolbox binfmt ' | sorted)" "register status unregister"
expect_eq "zsh: toolbox enter <TAB>" "$(complete_zsh 'toolbox enter ' | sorted)" "debian-toolbox-12 fedora-toolbox-40"
expect_eq "zsh: toolbox rm NAME <TAB>" "$(complete_zsh 'toolbox rm fedora-toolbox-40 ')" "debian-toolbox-12"
expect_eq "zsh: toolbox rmi <TAB>" "$(complete_zsh 'toolbox rmi ' | sorted)" \
  "quay.io/toolbx-images/debian-toolbox:12 registry.fedoraproject.org/fedora-toolbox:40"
expect_eq "zsh: without podman: no names" "$(complete_zsh 'toolbox enter ' /nonexistent)" ""
expect_eq "zsh: without podman: the commands still" "$(complete_zsh 'toolbox ' /nonexistent | sorted)" "$commands_sorted"
done_ok
