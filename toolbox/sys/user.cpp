#include "sys/user.h"

#include <pwd.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace tbx::sys {

tbx::Result<User> current_user() {
  User u;
  u.uid = ::getuid();
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* result = nullptr;
  const int rc = ::getpwuid_r(u.uid, &pw, buf.data(), buf.size(), &result);
  if (rc != 0 || result == nullptr)
    return make_error(rc != 0 ? rc : ENOENT, "failed to get the current user: no passwd entry for UID " + std::to_string(u.uid));
  u.name = pw.pw_name;
  u.gid = pw.pw_gid;
  const char* home = std::getenv("HOME");
  u.home = home != nullptr && *home != '\0' ? home : pw.pw_dir;
  const char* shell = std::getenv("SHELL");
  u.shell = shell != nullptr && *shell != '\0' ? shell : pw.pw_shell;
  if (u.shell.empty()) u.shell = "/bin/bash";
  return u;
}

tbx::Result<std::string> canonical_path(const std::string& path) {
  char* p = ::realpath(path.c_str(), nullptr);
  if (p == nullptr) return make_error(errno, "cannot resolve " + path + ": " + std::strerror(errno));
  std::string s(p);
  std::free(p);
  return s;
}

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

}  // namespace tbx::sys
