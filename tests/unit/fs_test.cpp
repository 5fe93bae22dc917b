// sys/fs: the atomic file replacement that run's cache, the CDI spec and the
// init-container snippets go through.
#include <sys/stat.h>

#include "catch.h"
#include <atomic>
#include <filesystem>
#include <thread>

#include "sys/fs.h"
#include "test_dir.h"

namespace {

// What a reader sees: the file as it is, or nothing.
std::string slurp(const std::filesystem::path& p) {
  auto text = tbx::sys::read_file(p.string());
  return text ? *text : std::string();
}

}  // namespace

TEST_CASE("write_file_atomic: content, mode, no temporary file left", "[fs]") {
  TestDir d;
  const std::string path = (d.path / "spec.json").string();
  REQUIRE(tbx::sys::write_file_atomic(path, "one\n", 0644));
  REQUIRE(tbx::sys::write_file_atomic(path, "two\n", 0640));
  CHECK(slurp(path) == "two\n");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(std::distance(std::filesystem::directory_iterator(d.path), std::filesystem::directory_iterator()) == 1);
  // A directory that does not exist: an error naming the file, nothing made.
  auto r = tbx::sys::write_file_atomic((d.path / "no/such/file").string(), "x", 0644);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("no/such/file") != std::string::npos);
}

TEST_CASE("write_file_atomic: concurrent writers never fail nor mix their texts", "[fs]") {
  TestDir d;
  const std::string path = (d.path / "cdi-nvidia.json").string();
  // Large enough that a truncation by the other writer would show.
  const std::string a(200000, 'a'), b(200000, 'b');
  std::atomic<int> failures{0}, torn{0};
  auto writer = [&](const std::string& text) {
    for (int i = 0; i < 200; ++i) {
      if (!tbx::sys::write_file_atomic(path, text, 0644)) ++failures;
      const std::string now = slurp(path);
      if (now != a && now != b) ++torn;
    }
  };
  std::thread t1(writer, a), t2(writer, b);
  t1.join();
  t2.join();
  CHECK(failures == 0);
  CHECK(torn == 0);
  CHECK(std::distance(std::filesystem::directory_iterator(d.path), std::filesystem::directory_iterator()) == 1);
}
