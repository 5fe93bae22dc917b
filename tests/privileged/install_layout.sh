#!/bin/bash
# A DESTDIR install of the build creates exactly the files docs/packaging.md
# lists, and the registration files name the installed handler.
. "$(dirname "$0")/../lib/common.sh"
need_cmd cmake
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$TOOLBOX_BUILD_DIR/CMakeCache.txt")
[ "$prefix" = /usr ] || skip "the build is configured with prefix '$prefix', the documented layout is for /usr"
DESTDIR="$dest" cmake --install "$TOOLBOX_BUILD_DIR" >/dev/null || fail "cmake --install failed"
actual=$(cd "$dest" && find . -type f -o -type l | sed 's|^\.||' | sort)
expected=$(sed -n '/install-manifest-begin/,/install-manifest-end/p' "$TOOLBOX_SOURCE_DIR/docs/packaging.md" | grep '^/' | sort)
[ -n "$expected" ] || fail "no manifest in docs/packaging.md"
if [ "$actual" != "$expected" ]; then
  diff <(echo "$expected") <(echo "$actual") || true
  fail "the installed files differ from docs/packaging.md"
fi
ok "installed files match the documented layout"
handler=/usr/libexec/toolbox/toolbox-binfmt-handler
[ -x "$dest$handler" ] || fail "no executable handler at $handler"
expect_match "binfmt.d names the installed handler" "$(grep '^:' "$dest/usr/lib/binfmt.d/toolbox.conf")" ":$handler:POF$"
expect_match "binfmts names the installed handler" "$(cat "$dest/usr/share/binfmts/toolbox")" "^interpreter $handler$"
run_capture r "$TOOLBOX_MARK" --check "$dest/usr/bin/toolbox"
expect_eq "the installed toolbox is marked" "$r_rc" 0

# Another prefix at install time: refused before the first file, with the reason
# (the files would name the configured prefix's handler).
other=$(mktemp -d)
trap 'rm -rf "$dest" "$other"' EXIT
run_capture r env DESTDIR="$other" cmake --install "$TOOLBOX_BUILD_DIR" --prefix /opt/elsewhere
expect_eq "install --prefix /opt/elsewhere: exit status" "$r_rc" 1
# CMake wraps the message's lines: compare it as one line.
expect_match "install --prefix /opt/elsewhere: the reason" "$(printf '%s' "$r_err" | tr -s '\n ' '  ')" \
  "toolbox: cannot install into prefix '/opt/elsewhere': this build was configured for '/usr'"
expect_eq "install --prefix /opt/elsewhere: nothing installed" "$(find "$other" -mindepth 1 | head -1)" ""
run_capture r env DESTDIR="$other" cmake --install "$TOOLBOX_BUILD_DIR" --prefix /usr/
expect_eq "install --prefix /usr/ (the configured prefix, spelled with a slash)" "$r_rc" 0
done_ok
