# bash completion for toolbox(1)                           -*- shell-script -*-
# Installed as bash-completion/completions/toolbox. It works with or without the
# bash-completion package: it reads COMP_WORDS and COMP_CWORD itself. Names of
# containers and images come from podman(1), Toolbx label only; without podman
# they are simply not offered.

__toolbox_commands=(create enter run list rm rmi help binfmt)
__toolbox_distros=(arch debian fedora rhel ubuntu)
__toolbox_log_levels=(trace debug info warn error fatal panic)
__toolbox_label="label=com.github.containers.toolbox=true"

__toolbox_containers() {
  command -v podman >/dev/null 2>&1 || return 0
  podman ps --all --format '{{.Names}}' --filter "$__toolbox_label" 2>/dev/null || true
}

__toolbox_images() {
  command -v podman >/dev/null 2>&1 || return 0
  podman images --format '{{.Repository}}:{{.Tag}}' --filter "$__toolbox_label" 2>/dev/null |
    grep -v '^<none>:<none>$' || true
}

# __toolbox_reply WORDS...: the words that start with $cur. With "new" first,
# less the words already on the line (rm and rmi take each name once).
__toolbox_reply() {
  local w u new=0 seen
  [[ ${1-} == new ]] && new=1 && shift
  COMPREPLY=()
  for w in "$@"; do
    [[ $w == "$cur"* ]] || continue
    seen=0
    if ((new)); then
      for u in "${args[@]}"; do [[ $u == "$w" ]] && seen=1; done
    fi
    ((seen)) || COMPREPLY+=("$w")
  done
}

# __toolbox_lines CMD...: the output lines of a function, as words.
__toolbox_lines() {
  local -a lines=()
  mapfile -t lines < <("$@")
  __toolbox_reply ${new_only:+new} "${lines[@]}"
}

# Whether option $2 of command $1 ("" before the command) takes a value.
__toolbox_takes_value() {
  case "$1:$2" in
    :--log-level) return 0 ;;
    create:--authfile | create:--image | create:-i) return 0 ;;
    create:--container | create:-c | enter:--container | enter:-c | run:--container | run:-c) return 0 ;;
    create:--distro | create:-d | enter:--distro | enter:-d | run:--distro | run:-d) return 0 ;;
    create:--release | create:-r | enter:--release | enter:-r | run:--release | run:-r) return 0 ;;
    run:--preserve-fds) return 0 ;;
    binfmt:--name | binfmt:--handler) return 0 ;;
  esac
  return 1
}

__toolbox_options() {
  case "$1" in
    "") echo "--assumeyes -y --help -h --log-level --log-podman --verbose -v --version" ;;
    create) echo "--authfile --container -c --distro -d --image -i --release -r --help -h" ;;
    enter) echo "--container -c --distro -d --release -r --help -h" ;;
    run) echo "--container -c --distro -d --release -r --preserve-fds --help -h" ;;
    list) echo "--containers -c --images -i --help -h" ;;
    rm | rmi) echo "--all -a --force -f --help -h" ;;
    binfmt:status) echo "--json --name --handler --help -h" ;;
    binfmt:register) echo "--name --handler --help -h" ;;
    binfmt:unregister) echo "--name --help -h" ;;
    *) echo "--help -h" ;;
  esac
}

# Whether one of the options $@ is among the words already typed.
__toolbox_given() {
  local a o
  for a in "${args[@]}"; do
    for o in "$@"; do [[ $a == "$o" || $a == "$o="* ]] && return 0; done
  done
  return 1
}

# Completes the value of option $1.
__toolbox_value() {
  case "$1" in
    --log-level) __toolbox_reply "${__toolbox_log_levels[@]}" ;;
    --distro | -d) __toolbox_given --image -i || __toolbox_reply "${__toolbox_distros[@]}" ;;
    --image | -i) __toolbox_given --distro -d || __toolbox_lines __toolbox_images ;;
    --container | -c) __toolbox_lines __toolbox_containers ;;
    --authfile | --handler) compopt -o default 2>/dev/null || true ;;
  esac
}

__toolbox_complete() {
  # bash splits words at the characters of COMP_WORDBREAKS, so "--log-level=debug"
  # and "quay.io/x:1" arrive in pieces: join the pieces around '=' and ':'.
  local -a toks=()
  local i w join=0
  for ((i = 0; i <= COMP_CWORD && i < ${#COMP_WORDS[@]}; i++)); do
    w=${COMP_WORDS[i]}
    if ((${#toks[@]} > 1)) && { [[ $w == "=" || $w == ":" ]] || ((join)); }; then
      toks[${#toks[@]} - 1]+=$w
      if [[ $w == "=" || $w == ":" ]]; then join=1; else join=0; fi
    else
      toks+=("$w")
      join=0
    fi
  done
  ((COMP_CWORD >= ${#COMP_WORDS[@]})) && toks+=("")
  cur=${toks[${#toks[@]} - 1]}
  local -a words=("${toks[@]:0:${#toks[@]}-1}")
  local pending="" # the option whose value is being completed
  if [[ $cur == --*=* ]]; then
    pending=${cur%%=*}
    cur=${cur#*=}
  fi

  # The words before the current one: global options, the command, its
  # subcommand (binfmt), its options and its arguments.
  local cmd="" sub="" expect="" in_command=0
  args=()
  for ((i = 1; i < ${#words[@]}; i++)); do
    w=${words[i]}
    if [[ -n $expect ]]; then
      expect=""
    elif ((in_command)); then
      args+=("$w")
    elif [[ $w == -* ]]; then
      args+=("$w")
      __toolbox_takes_value "$cmd" "$w" && expect=$w
    elif [[ -z $cmd ]]; then
      cmd=$w
    elif [[ $cmd == binfmt && -z $sub ]]; then
      sub=$w
    else
      [[ $cmd == run ]] && in_command=1 # options end at COMMAND
      args+=("$w")
    fi
  done
  [[ -n $expect ]] && pending=$expect

  if [[ -n $pending ]]; then
    __toolbox_takes_value "$cmd" "$pending" && __toolbox_value "$pending"
    return 0
  fi
  # The arguments of run's COMMAND: files.
  if ((in_command)); then
    compopt -o default 2>/dev/null || true
    return 0
  fi
  if [[ $cur == -* ]]; then
    local -a opts
    if [[ $cmd == binfmt ]]; then
      if [[ -z $sub ]]; then opts=(--help -h); else read -ra opts <<<"$(__toolbox_options "binfmt:$sub")"; fi
    else
      read -ra opts <<<"$(__toolbox_options "$cmd")"
    fi
    __toolbox_reply "${opts[@]}"
    return 0
  fi

  local positional=0 a
  for a in "${args[@]}"; do [[ $a != -* ]] && positional=$((positional + 1)); done
  local new_only=""
  case "$cmd" in
    "") __toolbox_reply "${__toolbox_commands[@]}" ;;
    enter) ((positional > 0)) || __toolbox_lines __toolbox_containers ;;
    run) mapfile -t COMPREPLY < <(compgen -c -- "$cur") ;;
    rm) new_only=1 __toolbox_lines __toolbox_containers ;;
    rmi) new_only=1 __toolbox_lines __toolbox_images ;;
    help) ((positional > 0)) || __toolbox_reply "${__toolbox_commands[@]}" ;;
    binfmt) [[ -n $sub ]] || __toolbox_reply status register unregister ;;
  esac
  return 0
}

_toolbox() {
  local cur=""
  local -a args=()
  COMPREPLY=()
  __toolbox_complete
  # readline replaces only the text after the last ':' of the word: drop the
  # part of each reply that is already there, as bash-completion does.
  if [[ $cur == *:* ]]; then
    local pre=${cur%"${cur##*:}"} i
    for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=${COMPREPLY[i]#"$pre"}; done
  fi
  return 0
}

complete -F _toolbox toolbox
