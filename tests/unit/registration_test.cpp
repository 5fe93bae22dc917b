#include <elf.h>

#include "catch.h"

#include "toolbox/binfmt/marker.h"
#include "toolbox/binfmt/registration.h"

using namespace tbx::binfmt;

namespace {

std::vector<std::string> split(const std::string& s, char d) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s.substr(1)) {
    if (c == d) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace

TEST_CASE("the registration line has the kernel's seven fields", "[registration]") {
  Registration reg{"toolbox", "/usr/libexec/toolbox/toolbox-binfmt-handler", "POF", native_target()};
  auto line = registration_line(reg);
  REQUIRE(line.ok());
  REQUIRE(line->front() == ':');
  const auto f = split(*line, ':');
  REQUIRE(f.size() == 7);
  CHECK(f[0] == "toolbox");
  CHECK(f[1] == "M");
  CHECK(f[2] == "0");
  CHECK(f[3].size() == 52 * 4);  // e_ident .. e_flags of Elf64_Ehdr, each byte as \xHH
  CHECK(f[4].size() == f[3].size());
  CHECK(f[5] == "/usr/libexec/toolbox/toolbox-binfmt-handler");
  CHECK(f[6] == "POF");
  CHECK(f[3].substr(0, 16) == "\\x7f\\x45\\x4c\\x46");
  // e_flags, little-endian, at offset 48
  CHECK(f[3].substr(48 * 4) == "\\x74\\x62\\x78\\x31");
  CHECK(f[4].substr(48 * 4) == "\\xff\\xff\\xff\\xff");
}

TEST_CASE("magic and mask: OSABI free, padding zero, ET_EXEC or ET_DYN, machine, version", "[registration]") {
  const MagicMask m = marker_magic({ELFCLASS64, ELFDATA2LSB, EM_X86_64});
  REQUIRE(m.magic.size() == 52);
  CHECK(m.mask[EI_OSABI] == 0);
  CHECK(m.mask[EI_ABIVERSION] == 0);
  for (int i = EI_PAD; i < EI_NIDENT; ++i) CHECK(m.mask[i] == 0xff);
  CHECK((m.magic[16] & m.mask[16]) == (ET_EXEC & m.mask[16]));
  CHECK((ET_DYN & m.mask[16]) == (ET_EXEC & m.mask[16]));
  CHECK(m.magic[18] == EM_X86_64);
  for (std::size_t i = 0; i < 24; ++i) CHECK((m.magic[i] & ~m.mask[i]) == 0);
  for (std::size_t i = 24; i < 48; ++i) CHECK(m.mask[i] == 0);  // entry, phoff, shoff
  const MagicMask be = marker_magic({ELFCLASS64, ELFDATA2MSB, EM_AARCH64});
  CHECK(be.magic[19] == EM_AARCH64);
  CHECK(be.magic[48] == 0x31);
}

TEST_CASE("entry names: reserved, delimiters, slashes are refused", "[registration]") {
  for (const char* bad : {"", "register", "status", ".", "..", "a/b", "a:b", "a b", "a\nb"}) {
    INFO(bad);
    CHECK_FALSE(validate_entry_name(bad).ok());
  }
  CHECK(validate_entry_name("toolbox").ok());
  CHECK(validate_entry_name("toolbox-test-123").ok());
  CHECK_FALSE(validate_entry_name(std::string(65, 'a')).ok());
}

TEST_CASE("interpreter: absolute, no control characters; delimiter avoids clashes", "[registration]") {
  Registration reg{"toolbox", "relative/handler", "POF", native_target()};
  CHECK_FALSE(registration_line(reg).ok());
  reg.interpreter = "/opt/a\nb";
  CHECK_FALSE(registration_line(reg).ok());
  reg.interpreter = "/opt/x:y/handler";
  auto line = registration_line(reg);
  REQUIRE(line.ok());
  CHECK(line->front() == ';');
  CHECK(split(*line, ';').size() == 7);
  reg.flags = "POFX";
  CHECK_FALSE(registration_line(reg).ok());
  reg.flags = "POF";
  reg.interpreter = "/" + std::string(2000, 'a');
  CHECK_FALSE(registration_line(reg).ok());
}
