// Reading the few facts the handler needs from an ELF file, through libelf,
// treating the file as hostile: every offset is bounds-checked by libelf's
// accessors or here, every string must end in a NUL inside its table, and section
// headers are never needed (strip --strip-section-headers, sstrip).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "toolbox/result.h"

namespace handler {

enum class Marker {
  absent,              // e_flags is not ours: the kernel would not have sent it
  flags_only,          // e_flags matches, but no marker note: someone else's file
  note_other_version,  // our note, another format version: not for this handler
  verified,            // e_flags and a note of our format version
};

const char* marker_name(Marker m);

struct ElfInfo {
  unsigned char elf_class = 0;   // ELFCLASS32 / ELFCLASS64
  unsigned char data = 0;        // ELFDATA2LSB / ELFDATA2MSB
  std::uint16_t type = 0;        // ET_EXEC / ET_DYN / ...
  std::uint16_t machine = 0;     // EM_*
  std::uint32_t flags = 0;       // e_flags
  std::optional<std::string> interp;  // PT_INTERP, without its NUL
  bool has_dynamic = false;
  std::vector<std::string> needed;    // DT_NEEDED, in order
  std::vector<std::string> runpath;   // DT_RUNPATH split on ':'
  std::vector<std::string> rpath;     // DT_RPATH split on ':' (ignored by ld.so when DT_RUNPATH exists)
  std::optional<std::string> soname;  // DT_SONAME
  // Versions required from libc.so.6 (DT_VERNEED), e.g. "GLIBC_2.34".
  std::vector<std::string> libc_versions;
  std::optional<std::uint32_t> note_version;  // our note's format version, whatever e_flags says
  Marker marker = Marker::absent;
  // The file's identity (probe_elf_fd only; 0 for memory): a loader that is the
  // binary itself would bring the kernel back to the handler forever.
  std::uint64_t dev = 0, ino = 0;
};

// Upper bounds that no real file reaches; past them the file is called corrupt.
// Together they bound the probe's work and memory on hostile input (a few MB, a
// few thousand reads), whatever the file's size or chains claim.
inline constexpr std::size_t kMaxPhdrBytes = 65536;  // the kernel's own limit (fs/binfmt_elf.c)
inline constexpr std::size_t kMaxNeeded = 1024;
inline constexpr std::size_t kMaxInterp = 4096;      // PATH_MAX
inline constexpr std::size_t kMaxName = 4096;        // a DT_NEEDED, DT_SONAME or version name: PATH_MAX
inline constexpr std::size_t kMaxSearchPath = 65536; // one DT_RUNPATH or DT_RPATH string
inline constexpr std::size_t kMaxStringBytes = 1 << 20;   // all strings copied out of one file
inline constexpr std::size_t kMaxDynamicBytes = 65536;    // PT_DYNAMIC: 4096 entries
inline constexpr std::size_t kMaxVersionRecords = 4096;   // Verneed plus Vernaux records walked
inline constexpr std::size_t kMaxVersionBytes = 65536;    // the Verneed area read
inline constexpr std::size_t kMaxNoteBytes = 65536;       // one PT_NOTE searched for the marker
inline constexpr std::size_t kMaxSections = 4096;         // e_shnum: libelf allocates per section

enum class ProbeDepth {
  full,               // headers, PT_INTERP, the marker and the dynamic section
  dynamic_if_marked,  // the dynamic section only when the marker is verified
};

// Probes an open regular file through pread(2), never mmap(2): a file truncated
// while it is read gives an error, not SIGBUS. The descriptor is not kept.
tbx::Result<ElfInfo> probe_elf_fd(int fd, ProbeDepth depth = ProbeDepth::full);
// Probes memory, for the unit tests and the fuzz target.
tbx::Result<ElfInfo> probe_elf_memory(const void* data, std::size_t size, ProbeDepth depth = ProbeDepth::full);

// Opens `path` relative to `dir_fd` for reading, as the probe wants it: never
// blocking on a FIFO or a device (O_NONBLOCK), and only a regular file.
tbx::Result<int> open_regular_at(int dir_fd, const char* path);

// The highest GLIBC_2.N the file requires from libc.so.6, as N (0 if none).
int highest_glibc_minor(const ElfInfo& info);

// An error unless the file is an executable for the machine this handler runs on.
tbx::Result<void> check_native_executable(const ElfInfo& info);
// An error unless a shared library can be loaded into a process of this machine.
bool is_native_object(const ElfInfo& info);

}  // namespace handler
