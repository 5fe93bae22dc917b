// The run cache's pure parts (core/run_cache.h): /proc/PID/stat, .containerenv
// and the cache file itself.
#include "catch.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/run_cache.h"

using namespace tbx::core;

namespace {
// A stat line as Linux 6.x writes it, with `comm` in the parentheses and 52 fields.
std::string stat_line(const std::string& comm, const std::string& starttime) {
  std::string s = "4242 (" + comm + ") S 1 4242 4242 0 -1 4194560 1146 0 0 0 3 1 0 0 20 0 1 0 " + starttime +
                  " 6365184 412 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
  return s;
}
}  // namespace

TEST_CASE("parse_stat_start_time reads field 22, not the virtual size after it") {
  CHECK(parse_stat_start_time(stat_line("toolbox", "123456")) == 123456ULL);
  // A comm with spaces and a ") " of its own: the last ')' ends it.
  CHECK(parse_stat_start_time(stat_line("a) b c) d", "98765")) == 98765ULL);
  CHECK(parse_stat_start_time(stat_line(") 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", "7")) == 7ULL);
  CHECK_FALSE(parse_stat_start_time("4242 (toolbox) S 1 2 3").has_value());
  CHECK_FALSE(parse_stat_start_time("no parenthesis 1 2 3").has_value());
  CHECK_FALSE(parse_stat_start_time(stat_line("x", "12ab")).has_value());
}

TEST_CASE("parse_stat_start_time agrees with our own /proc/self/stat and ps's field") {
  std::ifstream f("/proc/self/stat");
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  const auto st = parse_stat_start_time(text);
  REQUIRE(st.has_value());
  // Independently: the 20th word after "(comm) ".
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::string w;
  for (int i = 0; i < 20; ++i) rest >> w;
  CHECK(std::to_string(*st) == w);
  CHECK(process_start_time(::getpid()) == st);
}

TEST_CASE("parse_containerenv_id: the id line of podman's /run/.containerenv") {
  const std::string env = "engine=\"podman-4.3.1\"\nname=\"fedora-toolbox-39\"\nid=\"0123abcd\"\n"
                          "image=\"registry.fedoraproject.org/fedora-toolbox:39\"\nimageid=\"ffff\"\nrootless=1\n";
  CHECK(parse_containerenv_id(env) == std::string("0123abcd"));
  CHECK_FALSE(parse_containerenv_id("engine=\"podman-4.3.1\"\n").has_value());
  CHECK_FALSE(parse_containerenv_id("imageid=\"ffff\"\n").has_value());
  CHECK_FALSE(parse_containerenv_id("id=\"\"\n").has_value());
}

TEST_CASE("run cache file: format and parse round-trip, malformed ones refused") {
  const RunCacheEntry e{1234, 5678, "0123abcdef", true};
  CHECK(format_run_cache(e) == "1234 5678 0123abcdef 1\n");
  const auto back = parse_run_cache(format_run_cache(e));
  REQUIRE(back.has_value());
  CHECK(back->pid == 1234);
  CHECK(back->start_time == 5678ULL);
  CHECK(back->id == "0123abcdef");
  CHECK(back->deprecated);
  CHECK_FALSE(parse_run_cache("").has_value());
  CHECK_FALSE(parse_run_cache("0 5678 abc 0\n").has_value());
  CHECK_FALSE(parse_run_cache("-3 5678 abc 0\n").has_value());
  CHECK_FALSE(parse_run_cache("1234 5678 abc\n").has_value());
  CHECK_FALSE(parse_run_cache("1234 5678 ABC/.. 0\n").has_value());
  CHECK_FALSE(parse_run_cache("1234 5678 abc 2\n").has_value());
}

TEST_CASE("a run cache naming a process that is not a container's entry point is not trusted") {
  // Our own PID with its true start time: alive, but its root has no
  // /run/.containerenv naming the recorded ID.
  const auto st = process_start_time(::getpid());
  REQUIRE(st.has_value());
  char dir[] = "/tmp/tbx-run-cache-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string path = std::string(dir) + "/run-cache-x";
  std::ofstream(path) << format_run_cache({::getpid(), *st, "0123abcd", false});
  const auto loaded = load_run_cache(path, dir);
  CHECK_FALSE(loaded.ok());
  drop_run_caches(dir);
  CHECK(::access(path.c_str(), F_OK) != 0);
  CHECK(::rmdir(dir) == 0);
}
