#include "toolbox/binfmt/registration.h"

#include <elf.h>

#include <cstdint>
#include <cstddef>
#include <cstdio>

#include "toolbox/binfmt/marker.h"

namespace tbx::binfmt {

Target native_target() {
#if defined(__x86_64__)
  return {ELFCLASS64, ELFDATA2LSB, EM_X86_64};
#elif defined(__aarch64__) && defined(__AARCH64EB__)
  return {ELFCLASS64, ELFDATA2MSB, EM_AARCH64};
#elif defined(__aarch64__)
  return {ELFCLASS64, ELFDATA2LSB, EM_AARCH64};
#else
#error "unsupported architecture: see docs/design.md, The marker"
#endif
}

namespace {

void put(std::vector<unsigned char>& v, std::size_t offset, std::uint64_t value, std::size_t width,
         bool big_endian) {
  for (std::size_t i = 0; i < width; ++i) {
    const std::size_t shift = 8 * (big_endian ? width - 1 - i : i);
    v[offset + i] = static_cast<unsigned char>((value >> shift) & 0xff);
  }
}

}  // namespace

MagicMask marker_magic(const Target& t) {
  const bool be = t.data == ELFDATA2MSB;
  const bool is64 = t.elf_class == ELFCLASS64;
  // e_flags is the last field we match: 48 in Elf64_Ehdr, 36 in Elf32_Ehdr.
  const std::size_t flags_off = is64 ? offsetof(Elf64_Ehdr, e_flags) : offsetof(Elf32_Ehdr, e_flags);
  const std::size_t len = flags_off + 4;
  MagicMask m{std::vector<unsigned char>(len, 0), std::vector<unsigned char>(len, 0)};

  const unsigned char ident[] = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, t.elf_class, t.data, EV_CURRENT};
  for (std::size_t i = 0; i < sizeof ident; ++i) {
    m.magic[i] = ident[i];
    m.mask[i] = 0xff;
  }
  // EI_OSABI and EI_ABIVERSION stay unmatched: the linker writes ELFOSABI_GNU when
  // the C++ run-time brings STB_GNU_UNIQUE symbols. The padding must be zero.
  for (std::size_t i = EI_PAD; i < EI_NIDENT; ++i) m.mask[i] = 0xff;
  // e_type: ET_EXEC (2) or ET_DYN (3); the mask drops the low bit.
  put(m.magic, EI_NIDENT, ET_EXEC, 2, be);
  put(m.mask, EI_NIDENT, 0xfffe, 2, be);
  put(m.magic, EI_NIDENT + 2, t.machine, 2, be);
  put(m.mask, EI_NIDENT + 2, 0xffff, 2, be);
  put(m.magic, EI_NIDENT + 4, EV_CURRENT, 4, be);
  put(m.mask, EI_NIDENT + 4, 0xffffffff, 4, be);
  put(m.magic, flags_off, kMarkerFlags, 4, be);
  put(m.mask, flags_off, 0xffffffff, 4, be);
  return m;
}

Result<void> validate_entry_name(std::string_view name) {
  if (name.empty()) return make_error(EINVAL, "the entry name is empty");
  if (name == "register" || name == "status" || name == "." || name == "..")
    return make_error(EINVAL, "the entry name '" + std::string(name) +
                                  "' is reserved by binfmt_misc");
  if (name.size() > 64) return make_error(ENAMETOOLONG, "the entry name is longer than 64 bytes");
  for (unsigned char c : name) {
    // '/' is refused by the kernel; the rest keeps the name usable as a file name
    // and free of every delimiter we might choose.
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '+';
    if (!ok)
      return make_error(EINVAL, "the entry name '" + std::string(name) +
                                    "' may only contain letters, digits and '-_.+'");
  }
  return {};
}

namespace {

std::string escape_bytes(const std::vector<unsigned char>& bytes) {
  std::string s;
  s.reserve(bytes.size() * 4);
  char buf[5];
  for (unsigned char b : bytes) {
    std::snprintf(buf, sizeof buf, "\\x%02x", b);
    s += buf;
  }
  return s;
}

}  // namespace

Result<std::string> registration_line(const Registration& reg) {
  if (auto r = validate_entry_name(reg.name); !r) return std::move(r).error();
  if (reg.interpreter.empty() || reg.interpreter.front() != '/')
    return make_error(EINVAL, "the interpreter '" + reg.interpreter + "' is not an absolute path");
  for (unsigned char c : reg.interpreter) {
    if (c < 0x20 || c == 0x7f)
      return make_error(EINVAL, "the interpreter path contains a control character");
  }
  for (char f : reg.flags) {
    if (f != 'P' && f != 'O' && f != 'C' && f != 'F')
      return make_error(EINVAL, std::string("unknown binfmt_misc flag '") + f + "'");
  }

  // The first character is the delimiter; pick one that no field contains
  // (magic and mask are escaped, so only name, interpreter and flags matter).
  char delim = 0;
  for (char c : std::string_view(":;,|!#%@")) {
    if (reg.interpreter.find(c) == std::string::npos && reg.name.find(c) == std::string::npos) {
      delim = c;
      break;
    }
  }
  if (delim == 0)
    return make_error(EINVAL, "the interpreter path contains every usable delimiter");

  const MagicMask mm = marker_magic(reg.target);
  const auto escape = escape_bytes;
  std::string line;
  line += delim;
  line += reg.name;
  line += delim;
  line += 'M';
  line += delim;
  line += '0';
  line += delim;
  line += escape(mm.magic);
  line += delim;
  line += escape(mm.mask);
  line += delim;
  line += reg.interpreter;
  line += delim;
  line += reg.flags;
  // fs/binfmt_misc.c refuses writes longer than MAX_REGISTER_LENGTH (1920).
  if (line.size() > 1920)
    return make_error(E2BIG, "the registration string is longer than the kernel's 1920 bytes");
  return line;
}

Result<std::string> binfmt_support_file(const Registration& reg) {
  // Validate through the kernel string, so both formats refuse the same input.
  if (auto line = registration_line(reg); !line) return std::move(line).error();
  const MagicMask mm = marker_magic(reg.target);
  auto yes_no = [&](char f) { return reg.flags.find(f) != std::string::npos ? "yes" : "no"; };
  const bool open_binary = reg.flags.find('O') != std::string::npos || reg.flags.find('C') != std::string::npos;
  std::string s;
  s += "package toolbox\n";
  s += "interpreter " + reg.interpreter + "\n";
  s += "magic " + escape_bytes(mm.magic) + "\n";
  s += "mask " + escape_bytes(mm.mask) + "\n";
  s += "offset 0\n";
  s += std::string("credentials ") + (open_binary ? "yes" : "no") + "\n";
  s += std::string("preserve ") + yes_no('P') + "\n";
  s += std::string("fix_binary ") + yes_no('F') + "\n";
  return s;
}

}  // namespace tbx::binfmt
