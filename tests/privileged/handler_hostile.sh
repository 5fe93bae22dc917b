#!/bin/bash
# Hostile input ends in a documented exit code (126/127), never a signal, a
# hang or unbounded allocation: the hostile-ELF corpus (tests/data/hostile_elf.cpp,
# made from the marked probe) run through the kernel and through --explain under
# a memory limit and a timeout; a file truncated and rewritten while it is
# probed; a FIFO at etc/ld.so.conf and as the file named.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
need_root
need_cmd timeout mkfifo python3
[ -x "${TOOLBOX_HOSTILE_ELF:-}" ] || skip "needs toolbox-test-hostile-elf (TOOLBOX_HOSTILE_ELF)"
tbx_enter_private_namespace "$@"
tbx_private_binfmt
tbx_register toolbox-test-$$
# The host: no /run/host (this machine may itself run in a container).
mount -t tmpfs tmpfs /run

corpus=$(mktemp -d /tmp/tbx-hostile.XXXXXX)
"$TOOLBOX_HOSTILE_ELF" "$TOOLBOX_PROBE" "$corpus" || fail "cannot generate the corpus"
chmod 0755 "$corpus"/*

# 64 MiB of address space: the handler needs a few MB; the Verneed bomb
# asked 2 GB of the old probe (SIGABRT), the self-interpreter re-exec'ed forever.
limit_kb=65536
bounded() { (ulimit -v "$limit_kb" && exec timeout -s KILL 20 "$@"); }

# expect_refusal NAME RC REGEX: the file run by the kernel, then named to --explain.
expect_refusal() {
  local name=$1 rc=$2 regex=$3 f="$corpus/$1"
  run_capture r bounded "$f" argv
  expect_eq "$name (kernel): exit $rc" "$r_rc" "$rc"
  expect_match "$name (kernel): message" "$r_err" "^toolbox-binfmt-handler: $f: .*$regex"
  run_capture r bounded "$TOOLBOX_HANDLER" --explain "$f"
  expect_eq "$name (--explain): exit $rc" "$r_rc" "$rc"
  expect_match "$name (--explain): message" "$r_err" "$regex"
}

expect_refusal verneed-too-many-records 126 "corrupt ELF file: the Verneed chain has too many records"
expect_refusal needed-name-too-long 126 "DT_NEEDED is not a string in DT_STRTAB of at most 4096 bytes"
expect_refusal dynamic-strings-over-budget 126 "the dynamic strings exceed 1 MiB"
expect_refusal interp-is-the-file-itself 126 "its loader '$corpus/interp-is-the-file-itself' is the file itself"
expect_refusal interp-carries-the-marker 126 "its loader '$TOOLBOX_PROBE' carries the toolbox marker"
expect_refusal truncated-in-dynamic 126 "corrupt ELF file: PT_DYNAMIC lies outside the file"
expect_refusal truncated-in-program-headers 126 "corrupt ELF file: program headers lie outside the file"
expect_refusal too-many-section-headers 126 "corrupt ELF file: too many section headers"

# The note segments are searched in one buffer, not kept: 1100 junk PT_NOTE of
# 64 KiB before ours made libelf's raw chunks hold 69 MB until the end (72 MB of
# peak RSS, against 14 MB for the plain probe). Measured as the children's peak
# RSS, which includes python's own forked image. (--explain only: ld.so itself
# takes the program headers from the old PT_PHDR.)
peak_kb() { python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"; }
read -r rc kb < <(peak_kb "$TOOLBOX_HANDLER" --explain "$corpus/notes-before-the-marker")
expect_eq "notes-before-the-marker: a decision" "$rc" 0
say "notes-before-the-marker: peak RSS ${kb} KB"
[ "$kb" -lt 32768 ] || fail "notes-before-the-marker: peak RSS ${kb} KB, not the few MB the bounds promise"
ok "notes-before-the-marker: peak RSS under 32 MB"
run_capture r bounded "$TOOLBOX_HANDLER" --explain "$corpus/notes-before-the-marker"
expect_match "notes-before-the-marker: the marker is still found" "$r_out" "^marker: verified$"

# A DT_NEEDED with a slash is a path ld.so opens in the container: in a container
# it is refused, naming the library (on the host it is the kernel's business).
run_capture r bounded "$TOOLBOX_HANDLER" --explain --root / "$corpus/needed-with-a-slash"
expect_eq "needed-with-a-slash in a container: exit 126" "$r_rc" 126
expect_match "needed-with-a-slash in a container: message" "$r_err" \
  "the library '/lib/x86_64-linux-gnu/libc.so.6' \(needed by the binary\) is named by a path, which the loader opens in the container"

# The corpus is a copy of a runnable file: unchanged, it runs (the refusals
# above are the changes, not the copy).
cp "$TOOLBOX_PROBE" "$corpus/unchanged"
run_capture r bounded "$corpus/unchanged" exit 7
expect_eq "the unchanged copy runs under the same limits" "$r_rc" 7

# A file truncated and rewritten in place while it is probed: pread sees a short
# file and says so; an mmap'ed probe died of SIGBUS here.
moving="$corpus/moving"
cp "$TOOLBOX_PROBE" "$moving"
(
  end=$((SECONDS + 4))
  while [ $SECONDS -lt $end ]; do
    truncate -s 4096 "$moving"
    cat "$TOOLBOX_PROBE" >"$moving"
  done
) &
writer=$!
codes=" "
while kill -0 "$writer" 2>/dev/null; do
  set +e
  bounded "$TOOLBOX_HANDLER" --explain "$moving" >/dev/null 2>&1
  rc=$?
  set -e
  case "$codes" in *" $rc "*) ;; *) codes="$codes$rc " ;; esac
done
wait "$writer"
say "exit codes seen while the file changed:$codes"
for rc in $codes; do
  case $rc in 0 | 126 | 127) ;; *) fail "exit $rc (a signal, a timeout or an undocumented code) while the file changed" ;; esac
done
ok "only 0, 126 and 127 while the file changed"

# A FIFO at etc/ld.so.conf must not hang the handler: ignored, and said so.
mkfifo "$corpus/fifo"
mount --bind "$corpus/fifo" /etc/ld.so.conf
run_capture r bounded "$TOOLBOX_HANDLER" --explain --root / "$TOOLBOX_PROBE"
expect_eq "FIFO at etc/ld.so.conf: no hang, a decision" "$r_rc" 0
expect_match "FIFO at etc/ld.so.conf: ignored" "$r_out" "^note: ignored the host's ld.so.conf: .*not a regular file"
umount /etc/ld.so.conf

# A FIFO named as the file: refused without opening it for reading.
run_capture r bounded "$TOOLBOX_HANDLER" --explain "$corpus/fifo"
expect_eq "FIFO as the file: exit 126" "$r_rc" 126
expect_match "FIFO as the file: message" "$r_err" "not a regular file"

rm -rf "$corpus"
done_ok
