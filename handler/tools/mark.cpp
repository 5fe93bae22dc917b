// toolbox-mark: the build step that marks a linked toolbox binary for the
// binfmt_misc handler, by setting e_flags to the marker value. The note is
// already in the binary (handler/marker/marker_note.cpp); marking refuses a file
// without it, so a marked file is always a verifiable one.
//
//   toolbox-mark FILE          mark FILE in place (idempotent, reproducible)
//   toolbox-mark --check FILE  exit 0 if FILE is marked and verifiable
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string_view>

#include "../src/elf_probe.h"
#include "toolbox/binfmt/marker.h"
#include "toolbox/unique_fd.h"

namespace {

int fail(const char* file, std::string_view why) {
  std::fprintf(stderr, "toolbox-mark: %s: %.*s\n", file, static_cast<int>(why.size()), why.data());
  return 1;
}

int check(const char* file) {
  tbx::UniqueFd fd(::open(file, O_RDONLY | O_CLOEXEC));
  if (!fd) return fail(file, std::strerror(errno));
  auto info = handler::probe_elf_fd(fd.get());
  if (!info) return fail(file, info.error().message);
  std::printf("%s: marker %s\n", file, handler::marker_name(info->marker));
  return info->marker == handler::Marker::verified ? 0 : 1;
}

int mark(const char* file) {
  tbx::UniqueFd fd(::open(file, O_RDWR | O_CLOEXEC));
  if (!fd) return fail(file, std::strerror(errno));
  auto info = handler::probe_elf_fd(fd.get());
  if (!info) return fail(file, info.error().message);
  if (auto r = handler::check_native_executable(*info); !r) return fail(file, r.error().message);
  if (info->note_version != tbx::binfmt::kNoteVersion)
    return fail(file, "has no marker note of format version 1; link toolbox_marker_note into it");
  if (info->flags != 0 && info->flags != tbx::binfmt::kMarkerFlags)
    return fail(file, "e_flags is already in use on this file; it cannot carry the marker");
  if (info->flags == tbx::binfmt::kMarkerFlags) return 0;

  if (elf_version(EV_CURRENT) == EV_NONE) return fail(file, "libelf is unusable");
  Elf* e = elf_begin(fd.get(), ELF_C_RDWR, nullptr);
  if (e == nullptr) return fail(file, elf_errmsg(-1));
  GElf_Ehdr eh;
  bool ok = gelf_getehdr(e, &eh) != nullptr;
  if (ok) {
    eh.e_flags = tbx::binfmt::kMarkerFlags;
    // ELF_F_LAYOUT: libelf must not move a single byte; only the header changes.
    ok = gelf_update_ehdr(e, &eh) != 0 && elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT) != 0 &&
         elf_update(e, ELF_C_WRITE) >= 0;
  }
  const char* why = ok ? nullptr : elf_errmsg(-1);
  elf_end(e);
  if (!ok) return fail(file, why);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--check") == 0) return check(argv[2]);
  if (argc == 2 && argv[1][0] != '-') return mark(argv[1]);
  std::fprintf(stderr, "Usage: toolbox-mark FILE | toolbox-mark --check FILE\n");
  return 2;
}
