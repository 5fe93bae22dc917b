#include "catch.h"

#include "toolbox/binfmt/entry.h"
#include "toolbox/binfmt/registration.h"

using namespace tbx::binfmt;

TEST_CASE("parse a registered entry as the kernel prints it", "[entry]") {
  auto e = parse_entry(
      "enabled\n"
      "interpreter /usr/libexec/toolbox/toolbox-binfmt-handler\n"
      "flags: POF\n"
      "offset 0\n"
      "magic 7f454c46\n"
      "mask ffffff00\n");
  REQUIRE(e.ok());
  CHECK(e->enabled);
  CHECK(e->interpreter == "/usr/libexec/toolbox/toolbox-binfmt-handler");
  CHECK(e->flags == "POF");
  CHECK(e->has_flag('F'));
  CHECK_FALSE(e->has_flag('C'));
  CHECK(e->magic == std::vector<unsigned char>{0x7f, 0x45, 0x4c, 0x46});
  CHECK(e->mask == std::vector<unsigned char>{0xff, 0xff, 0xff, 0x00});
}

TEST_CASE("disabled entries, empty flags, extension entries", "[entry]") {
  auto e = parse_entry("disabled\ninterpreter /x\nflags: \nextension .exe\n");
  REQUIRE(e.ok());
  CHECK_FALSE(e->enabled);
  CHECK(e->flags.empty());
  CHECK(e->extension == ".exe");
  auto f = parse_entry("enabled\ninterpreter /x\nflags:\n");
  REQUIRE(f.ok());
  CHECK(f->flags.empty());
}

TEST_CASE("malformed entries are errors naming the line", "[entry]") {
  CHECK_FALSE(parse_entry("").ok());
  CHECK_FALSE(parse_entry("enabled\n").ok());
  auto bad = parse_entry("enabled\ninterpreter /x\nmagic 7g\n");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, tbx::test::ContainsSubstring("line 3"));
  CHECK_FALSE(parse_entry("enabled\ninterpreter /x\noffset x\n").ok());
  CHECK_FALSE(parse_entry("enabled\ninterpreter /x\nsomething else\n").ok());
}

TEST_CASE("the kernel's view of our registration round-trips", "[entry]") {
  const MagicMask mm = marker_magic(native_target());
  std::string text = "enabled\ninterpreter /h\nflags: POF\noffset 0\nmagic ";
  char buf[3];
  for (unsigned char b : mm.magic) std::snprintf(buf, sizeof buf, "%02x", b), text += buf;
  text += "\nmask ";
  for (unsigned char b : mm.mask) std::snprintf(buf, sizeof buf, "%02x", b), text += buf;
  text += "\n";
  auto e = parse_entry(text);
  REQUIRE(e.ok());
  CHECK(e->magic == mm.magic);
  CHECK(e->mask == mm.mask);
}

TEST_CASE("binfmt-support format file", "[registration]") {
  Registration reg{"toolbox", "/usr/libexec/toolbox/toolbox-binfmt-handler", "POF", native_target()};
  auto f = binfmt_support_file(reg);
  REQUIRE(f.ok());
  CHECK_THAT(*f, tbx::test::StartsWith("package toolbox\ninterpreter /usr/libexec/toolbox/toolbox-binfmt-handler\nmagic \\x7f\\x45\\x4c\\x46"));
  CHECK_THAT(*f, tbx::test::ContainsSubstring("\noffset 0\ncredentials yes\npreserve yes\nfix_binary yes\n"));
  reg.interpreter = "relative";
  CHECK_FALSE(binfmt_support_file(reg).ok());
}
