// The binfmt_misc registration string, built by one pure function. The build's
// generator of binfmt.d/toolbox.conf and `toolbox binfmt register` both call it,
// so the boot-time and the by-hand entries cannot drift.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "toolbox/result.h"

namespace tbx::binfmt {

// What the magic matches: the ELF identification of the target architecture.
struct Target {
  unsigned char elf_class;  // ELFCLASS32 / ELFCLASS64
  unsigned char data;       // ELFDATA2LSB / ELFDATA2MSB
  std::uint16_t machine;    // EM_*
};

// The architecture this code is compiled for.
Target native_target();

struct Registration {
  std::string name;         // entry name, e.g. "toolbox"
  std::string interpreter;  // absolute path of the handler
  std::string flags = "POF";
  Target target = native_target();
};

// Magic and mask (same length) matching a marked ELF header of `target`.
struct MagicMask {
  std::vector<unsigned char> magic;
  std::vector<unsigned char> mask;
};
MagicMask marker_magic(const Target& target);

// ":name:M:0:magic:mask:interpreter:flags", escaped as the kernel's
// Documentation/admin-guide/binfmt-misc.rst requires; an error names the field.
Result<std::string> registration_line(const Registration& reg);

// The same entry as a binfmt-support format file (update-binfmts --import).
// update-binfmts has no open-binary option: "credentials yes" (C) implies O.
Result<std::string> binfmt_support_file(const Registration& reg);

// Rejects names the kernel refuses or that clash with its control files.
Result<void> validate_entry_name(std::string_view name);

}  // namespace tbx::binfmt
