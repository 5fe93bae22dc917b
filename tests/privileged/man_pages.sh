#!/bin/bash
# Every man page listed in docs/CMakeLists.txt has its Markdown source and was
# built, every built page renders with man(1) without a warning from groff, and
# every toolbox page that a page refers to exists.
. "$(dirname "$0")/../lib/common.sh"
need_cmd man
docs=$TOOLBOX_SOURCE_DIR/docs
built=$TOOLBOX_BUILD_DIR/docs
grep -q '^GO_MD2MAN:FILEPATH=/' "$TOOLBOX_BUILD_DIR/CMakeCache.txt" ||
  skip "go-md2man was not found at configure time, so no page was built"

# The pages of TOOLBOX_MAN_PAGES, one per line.
listed=$(sed -n '/set(TOOLBOX_MAN_PAGES/,/)/p' "$docs/CMakeLists.txt" |
  sed 's/set(TOOLBOX_MAN_PAGES//; s/)//' | tr -s ' \t' '\n' | sed '/^$/d')
[ -n "$listed" ] || fail "no TOOLBOX_MAN_PAGES in docs/CMakeLists.txt"

for page in $listed; do
  [ -f "$docs/$page.md" ] || fail "$page is listed but docs/$page.md does not exist"
  [ -f "$built/$page" ] || fail "$page is listed but was not built ($built/$page)"
  # The title line names the page: "% NAME SECTION".
  expect_eq "$page: title line" "$(head -n 1 "$docs/$page.md")" "% ${page%.*} ${page##*.}"
done
ok "all $(echo "$listed" | wc -l) listed pages have a source and were built"

# No Markdown page is left out of the list.
for md in "$docs"/*.md; do
  head -n 1 "$md" | grep -q '^% ' || continue
  page=$(basename "$md" .md)
  printf '%s\n' "$listed" | grep -qxF "$page" || fail "docs/$page.md is not in TOOLBOX_MAN_PAGES"
done
ok "every man page source is listed"

shopt -s nullglob
pages=("$built"/*.[158])
[ ${#pages[@]} -gt 0 ] || fail "no page in $built"
for f in "${pages[@]}"; do
  name=$(basename "$f")
  warnings=$(MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null)
  expect_eq "$name renders without warnings" "$warnings" ""
  # Not on a terminal, man prints plain text; drop any overstrike anyway.
  text=$(MANWIDTH=80 man -l "$f" 2>/dev/null | sed 's/.\x08//g')
  expect_match "$name has a NAME line" "$text" "^ +${name%.*} +- "
  for section in SYNOPSIS DESCRIPTION "SEE ALSO"; do
    printf '%s\n' "$text" | grep -qx "$section" || fail "$name has no $section section"
  done
done
ok "every built page has NAME, SYNOPSIS, DESCRIPTION and SEE ALSO"

# The pages upstream also has keep its current NAME lines (its doc/*.md).
while IFS='|' read -r page line; do
  expect_eq "$page: upstream's NAME line" "$(sed -n 4p "$docs/$page.md")" "$line"
done <<'NAMES'
toolbox.1|toolbox - Tool for interactive command line environments on Linux
toolbox-create.1|toolbox-create - Create a new Toolbx container
toolbox-enter.1|toolbox-enter - Enter a Toolbx container for interactive use
toolbox-help.1|toolbox-help - Display help information about Toolbx
toolbox-init-container.1|toolbox-init-container - Initialize a running container
toolbox-list.1|toolbox-list - List existing Toolbx containers and images
toolbox-rm.1|toolbox-rm - Remove one or more Toolbx containers
toolbox-rmi.1|toolbox-rmi - Remove one or more Toolbx images
toolbox-run.1|toolbox-run - Run a command in an existing Toolbx container
toolbox.conf.5|toolbox.conf - Toolbx configuration file
NAMES

# References such as **toolbox-create**(1) point to pages we ship.
refs=$(grep -ohE '\*\*toolbox[a-z.-]*\*\*\([158]\)' "$docs"/*.md | sed 's/\*\*//g; s/(\([158]\))/.\1/' | sort -u)
for ref in $refs; do
  printf '%s\n' "$listed" | grep -qxF "$ref" || fail "a page refers to ${ref%.*}(${ref##*.}), which is not built"
done
ok "all $(echo "$refs" | wc -l) references between the pages resolve"
done_ok
