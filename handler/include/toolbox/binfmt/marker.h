// The marker that tells our toolbox binary apart from every other ELF file.
//
// Two parts, checked at two levels:
//  1. e_flags == kMarkerFlags. The binfmt_misc entry's magic/mask match it, so the
//     kernel hands only marked files to the handler. On x86-64 and aarch64 neither
//     the kernel's ELF loader (fs/binfmt_elf.c, Linux 6.x) nor glibc's ld.so
//     (elf_machine_matches_host, 2.31-2.41) looks at e_flags, so a marked binary
//     still runs natively through its PT_INTERP.
//  2. An ELF note (owner kNoteOwner, type kNoteType, descriptor = format version)
//     in an allocated SHT_NOTE section, so it sits in a PT_NOTE segment and
//     survives strip(1). The handler verifies it and passes anything else through.
// Shared by the handler, the build's marking tool, the toolbox binary's note and
// the registration-string builder, so they cannot drift apart.
#pragma once

#include <cstdint>

namespace tbx::binfmt {

// "tbx1" in file order on a little-endian target.
inline constexpr std::uint32_t kMarkerFlags = 0x31786274u;

inline constexpr char kNoteOwner[] = "Toolbox";      // n_namesz = 8, NUL included
inline constexpr std::uint32_t kNoteType = 0x54425831u;  // "1XBT"
inline constexpr std::uint32_t kNoteVersion = 1;     // format version of this marking scheme

// The default binfmt_misc entry name (/proc/sys/fs/binfmt_misc/toolbox).
inline constexpr char kEntryName[] = "toolbox";

// The in-memory layout of the note, as the linker places it.
struct MarkerNote {
  std::uint32_t namesz;
  std::uint32_t descsz;
  std::uint32_t type;
  char name[8];
  std::uint32_t version;
};
static_assert(sizeof(MarkerNote) == 24);

}  // namespace tbx::binfmt
