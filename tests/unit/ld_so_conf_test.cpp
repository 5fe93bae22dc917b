#include "catch.h"

#include "ld_so_conf.h"
#include "test_dir.h"
#include "toolbox/unique_fd.h"

using handler::LdSoConfEntry;
using Kind = handler::LdSoConfEntry::Kind;

TEST_CASE("ld.so.conf lines: directories, comments, include with several patterns, hwcap", "[ldsoconf]") {
  const auto entries = handler::parse_ld_so_conf(
      "# comment\n"
      "   /usr/local/lib  \n"
      "/opt/lib/ # trailing comment\n"
      "\n"
      "include /etc/ld.so.conf.d/*.conf  extra.conf\n"
      "include\n"
      "hwcap 0 nosegneg\n"
      "HWCAP 1 x\n"
      "/lib32\r\n"
      "/");
  const std::vector<LdSoConfEntry> want{
      {Kind::directory, "/usr/local/lib"}, {Kind::directory, "/opt/lib"},
      {Kind::include, "/etc/ld.so.conf.d/*.conf"}, {Kind::include, "extra.conf"},
      {Kind::directory, "include"},  // no blank after it: ldconfig takes it as a directory too
      {Kind::directory, "/lib32"}, {Kind::directory, "/"}};
  CHECK(entries == want);
}

TEST_CASE("includes are globbed inside the root, sorted, relative to the including file", "[ldsoconf]") {
  TestDir t;
  t.write("etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n/usr/local/lib\n");
  t.write("etc/ld.so.conf.d/b.conf", "/b\ninclude sub/*.conf\n");
  t.write("etc/ld.so.conf.d/a.conf", "/a\n");
  t.write("etc/ld.so.conf.d/ignored.txt", "/nope\n");
  t.write("etc/ld.so.conf.d/sub/c.conf", "/c\n");
  t.write("etc/ld.so.conf.d/.hidden.conf", "/hidden\n");
  tbx::UniqueFd root(t.open_root());
  auto dirs = handler::load_ld_so_conf(root.get());
  REQUIRE(dirs.ok());
  CHECK(*dirs == std::vector<std::string>{"/a", "/b", "/c", "/usr/local/lib"});
}

TEST_CASE("an include glob through an absolute symlink stays in the root", "[ldsoconf]") {
  TestDir t;
  t.write("etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n");
  t.write("real/one.conf", "/one\n");
  t.symlink("/real", "etc/ld.so.conf.d");
  tbx::UniqueFd root(t.open_root());
  auto dirs = handler::load_ld_so_conf(root.get());
  REQUIRE(dirs.ok());
  CHECK(*dirs == std::vector<std::string>{"/one"});
}

TEST_CASE("include cycles terminate; a missing ld.so.conf is empty", "[ldsoconf]") {
  TestDir t;
  t.write("etc/ld.so.conf", "/x\ninclude /etc/ld.so.conf\n");
  tbx::UniqueFd root(t.open_root());
  auto dirs = handler::load_ld_so_conf(root.get());
  REQUIRE(dirs.ok());
  CHECK(*dirs == std::vector<std::string>{"/x"});
  TestDir empty;
  tbx::UniqueFd r2(empty.open_root());
  auto none = handler::load_ld_so_conf(r2.get());
  REQUIRE(none.ok());
  CHECK(none->empty());
}

// glibc's elf/rtld.c (2.31-2.41): names separated by blanks, newlines or ':',
// '#' to the end of the line a comment.
TEST_CASE("ld.so.preload: separators and comments as ld.so reads them", "[ldsoconf][preload]") {
  CHECK(handler::parse_ld_so_preload("").empty());
  CHECK(handler::parse_ld_so_preload("# only a comment\n\n  \t\n").empty());
  const std::vector<std::string> want{"/usr/lib/libfoo.so", "libbar.so", "/opt/a.so", "b.so", "c.so"};
  CHECK(handler::parse_ld_so_preload("/usr/lib/libfoo.so libbar.so#comment /x.so\n"
                                     "\t/opt/a.so:b.so\n"
                                     "::c.so   # trailing\n") == want);
}

// ld.so reads the whole file; the handler reads its first MiB. A name past that
// (behind a MiB of blanks) is loaded all the same: the report must not end as if
// the file were complete.
TEST_CASE("ld.so.preload: a file larger than the handler reads is said to be so", "[ldsoconf][preload]") {
  TestDir t;
  t.write("ld.so.preload", "libfirst.so\n" + std::string((1 << 20) + 65536, ' ') + "/hidden/libevil.so\n");
  const std::string path = (t.path / "ld.so.preload").string();
  const auto libs = handler::read_ld_so_preload(path.c_str());
  REQUIRE(libs.size() == 2);
  CHECK(libs[0] == "libfirst.so");
  CHECK(libs[1] == "(and more: the file is larger than 1 MiB, past which the handler does not read)");
}
