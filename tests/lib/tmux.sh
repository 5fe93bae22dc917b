# A real terminal for interactive tests: tmux with send-keys and capture-pane.
# shellcheck shell=bash

# tbx_tmux_start SOCKET COMMAND: a detached 150x40 session running COMMAND,
# killed when the test exits.
tbx_tmux_start() {
  TBX_TMUX_SOCK=$1
  tbx_on_exit tmux -S "$TBX_TMUX_SOCK" kill-server
  tmux -S "$TBX_TMUX_SOCK" new-session -d -x 150 -y 40 "$2"
}

# A shell of the rootless test user in that terminal.
tbx_tmux_user_shell() {
  tbx_tmux_start "$1" "bash -c '. $TOOLBOX_SOURCE_DIR/tests/lib/common.sh; . $TOOLBOX_SOURCE_DIR/tests/lib/podman.sh; tbx_as_user env TERM=xterm bash --norc -i'"
}

tbx_tmux_send() { tmux -S "$TBX_TMUX_SOCK" send-keys -t 0 "$1" Enter; }
tbx_tmux_screen() { tmux -S "$TBX_TMUX_SOCK" capture-pane -p -t 0; }

# tbx_tmux_wait REGEX: waits up to 30 s for a screen line matching REGEX.
tbx_tmux_wait() {
  local i
  for i in $(seq 1 150); do
    tbx_tmux_screen | grep -q -- "$1" && return 0
    sleep 0.2
  done
  tbx_tmux_screen
  fail "timed out waiting for '$1' in the terminal"
}
