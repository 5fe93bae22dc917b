// toolbox-probe: a stand-in for toolbox in the handler's system tests. It is
// linked and marked exactly as toolbox is (glibc dynamic, C++ run-time static,
// toolbox_mark) and runs the same start-up code, then reports what the tests
// check. Commands run in order:
//   argv             print argv, one "argv[i]=..." line each
//   fds              print the open descriptors other than 0-2
//   libc             print the path of the mapped libc.so.6 and glibc's version
//   maps             print every mapped file, once
//   env NAME         print NAME=value or NAME unset
//   self             print own path, /proc/self/comm and /proc/self/cmdline
//   cat              copy stdin to stdout, then "stderr-ok" to stderr
//   exit N           exit with N
//   signal N         raise signal N
#include <dirent.h>
#include <gnu/libc-version.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "sys/self.h"

namespace {

std::string slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  tbx::sys::adopt_handler_startup(argc, argv);
  for (int i = 1; i < argc; ++i) {
    const std::string cmd = argv[i];
    if (cmd == "argv") {
      for (int j = 0; j < argc; ++j) std::cout << "argv[" << j << "]=" << argv[j] << "\n";
    } else if (cmd == "fds") {
      DIR* d = opendir("/proc/self/fd");
      const int self = dirfd(d);
      while (dirent* e = readdir(d)) {
        const int fd = std::atoi(e->d_name);
        if (e->d_name[0] == '.' || fd <= 2 || fd == self) continue;
        char target[4096] = {};
        const std::string link = std::string("/proc/self/fd/") + e->d_name;
        (void)!readlink(link.c_str(), target, sizeof target - 1);
        std::cout << "fd " << fd << " -> " << target << "\n";
      }
      closedir(d);
    } else if (cmd == "libc") {
      std::istringstream maps(slurp("/proc/self/maps"));
      std::string line, path;
      while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash != std::string::npos && line.find("/libc.so.6") != std::string::npos) {
          path = line.substr(slash);
          break;
        }
      }
      std::cout << "libc-path=" << path << "\nlibc-version=" << gnu_get_libc_version() << "\n";
    } else if (cmd == "maps") {
      std::istringstream maps(slurp("/proc/self/maps"));
      std::string line, last;
      while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash == std::string::npos || line.substr(slash) == last) continue;
        last = line.substr(slash);
        std::cout << "map " << last << "\n";
      }
    } else if (cmd == "env" && i + 1 < argc) {
      const char* name = argv[++i];
      const char* v = std::getenv(name);
      std::cout << name << (v ? std::string("=") + v : std::string(" unset")) << "\n";
    } else if (cmd == "self") {
      auto p = tbx::sys::own_executable_path();
      std::string cmdline = slurp("/proc/self/cmdline");
      for (char& c : cmdline) if (c == '\0') c = ' ';
      while (!cmdline.empty() && cmdline.back() == ' ') cmdline.pop_back();
      std::string comm = slurp("/proc/self/comm");
      if (!comm.empty() && comm.back() == '\n') comm.pop_back();
      std::cout << "self=" << (p ? *p : "error: " + p.error().message) << "\ncomm=" << comm
                << "\ncmdline=" << cmdline << "\nthrough-loader=" << tbx::sys::started_through_loader() << "\n";
    } else if (cmd == "cat") {
      std::cout << std::cin.rdbuf();
      std::cerr << "stderr-ok\n";
    } else if (cmd == "exit" && i + 1 < argc) {
      std::cout.flush();
      return std::atoi(argv[++i]);
    } else if (cmd == "signal" && i + 1 < argc) {
      std::cout.flush();
      std::raise(std::atoi(argv[++i]));
    } else {
      std::cerr << "toolbox-probe: unknown command '" << cmd << "'\n";
      return 64;
    }
  }
  return 0;
}
