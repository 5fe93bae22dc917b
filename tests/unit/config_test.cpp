#include "catch.h"

#include "core/config.h"
#include "test_dir.h"

using namespace tbx::core;

TEST_CASE("toolbox.conf: keys merge file by file, later wins", "[config]") {
  auto a = merge_config_text({}, "[general]\ndistro = \"fedora\"\nrelease = \"40\"\n", "/etc/containers/toolbox.conf");
  REQUIRE(a.ok());
  auto b = merge_config_text(*a, "[general]\nrelease = \"41\"\n", "~/.config/containers/toolbox.conf");
  REQUIRE(b.ok());
  CHECK(b->distro == "fedora");
  CHECK(b->release == "41");
  CHECK(b->image.empty());
  auto empty = merge_config_text(*b, "# nothing\n", "f");
  CHECK(empty->release == "41");
}

TEST_CASE("toolbox.conf errors name the file and the line", "[config]") {
  auto bad = merge_config_text({}, "[general]\n\ndistro = fedora\n", "/etc/containers/toolbox.conf");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, tbx::test::StartsWith("failed to parse file /etc/containers/toolbox.conf: line 3: "));
  auto type = merge_config_text({}, "[general]\nrelease = 40\n", "f.conf");
  REQUIRE_FALSE(type.ok());
  CHECK(type.error().message == "failed to parse file f.conf: line 2: general.release must be a string");
}

// toml++ 3.3.0 reached __builtin_unreachable() on "[g\u021a]" (found by
// tests/fuzz, kept there as corpus/config/crash-toml-unreachable-U+021A-in-table-name).
TEST_CASE("toolbox.conf: past ASCII only in comments", "[config]") {
  const std::string refused = "a character past ASCII outside a comment";
  auto bare = merge_config_text({}, "# ok\n[g\xc8\x9a]\ndio= 0\n", "f.conf");
  REQUIRE_FALSE(bare.ok());
  CHECK(bare.error().message == "failed to parse file f.conf: line 2: " + refused);
  auto in_string = merge_config_text({}, "[general]\nimage = 0\"1\xcc\x96\"\n", "f.conf");
  REQUIRE_FALSE(in_string.ok());
  CHECK(in_string.error().message == "failed to parse file f.conf: line 2: " + refused);
  auto ok = merge_config_text({}, "# caf\xc3\xa9\n[general] # \xc3\xa9\nimage = \"a#b\" # \xc3\xa9\n"
                              "release = '#'\ndistro = \"\"\"\na\\\"#\"\"\" # \xc3\xa9\n", "f.conf");
  REQUIRE(ok.ok());
  CHECK(ok->image == "a#b");
  CHECK(ok->release == "#");
  CHECK(ok->distro == "a\"#");
  auto after_hash_in_string = merge_config_text({}, "[general]\nimage = \"#\" \xc3\xa9\n", "f.conf");
  REQUIRE_FALSE(after_hash_in_string.ok());
  CHECK(after_hash_in_string.error().message == "failed to parse file f.conf: line 2: " + refused);
}

TEST_CASE("load_config: missing files are skipped, unreadable ones are errors", "[config]") {
  TestDir t;
  t.write("a.conf", "[general]\ndistro = \"arch\"\n");
  auto r = load_config({(t.path / "missing.conf").string(), (t.path / "a.conf").string()});
  REQUIRE(r.ok());
  CHECK(r->distro == "arch");
  t.mkdir("dir.conf");
  CHECK_FALSE(load_config({(t.path / "dir.conf").string()}).ok());
}

#include "core/subid.h"

TEST_CASE("subordinate ID ranges by name or UID", "[subid]") {
  const std::string text = "alice:100000:65536\n1001:165536:65536\nbob:231072:0\nbroken\n";
  CHECK(has_subid_range(text, "alice", 1000));
  CHECK(has_subid_range(text, "carol", 1001));
  CHECK_FALSE(has_subid_range(text, "bob", 1002));
  CHECK_FALSE(has_subid_range(text, "dave", 1003));
  CHECK_FALSE(has_subid_range("", "alice", 1000));
}
