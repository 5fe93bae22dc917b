// A temporary directory tree for tests, removed at the end.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catch.h"
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

struct TestDir {
  std::filesystem::path path;
  TestDir() {
    char tmpl[] = "/tmp/toolbox-unit-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TestDir() { std::filesystem::remove_all(path); }
  TestDir(const TestDir&) = delete;
  TestDir& operator=(const TestDir&) = delete;

  void mkdir(const std::string& rel) { std::filesystem::create_directories(path / rel); }
  void write(const std::string& rel, const std::string& text) {
    std::filesystem::create_directories((path / rel).parent_path());
    std::ofstream(path / rel) << text;
  }
  void symlink(const std::string& target, const std::string& rel) {
    std::filesystem::create_directories((path / rel).parent_path());
    std::filesystem::create_symlink(target, path / rel);
  }
  int open_root() const { return ::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC); }
};
