#include "sys/self.h"

#include "toolbox/binfmt/runtime.h"

#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

extern "C" {
extern char* program_invocation_name;
extern char* program_invocation_short_name;
}

namespace tbx::sys {

namespace {

void restore_moved_variables() {
  // The handler's own names (toolbox/binfmt/runtime.h), so the two cannot drift.
  for (std::string_view moved : tbx::binfmt::kMovedVariables) {
    const std::string name(moved);
    const std::string saved = std::string(tbx::binfmt::kSavedPrefix) + name;
    if (const char* v = std::getenv(saved.c_str())) {
      ::setenv(name.c_str(), v, 1);
      ::unsetenv(saved.c_str());
    }
  }
}

// The file mapped at our own code, from /proc/self/maps (the kernel's path,
// absolute and resolved): through a loader /proc/self/exe is the loader.
tbx::Result<std::string> mapped_own_code() {
  const auto self = reinterpret_cast<std::uintptr_t>(&mapped_own_code);
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    std::uintptr_t lo = 0, hi = 0;
    char* rest = nullptr;
    lo = std::strtoull(line.c_str(), &rest, 16);
    if (rest == nullptr || *rest != '-') continue;
    hi = std::strtoull(rest + 1, nullptr, 16);
    if (self < lo || self >= hi) continue;
    const std::size_t slash = line.find('/');
    if (slash == std::string::npos) break;
    std::string path = line.substr(slash);
    constexpr std::string_view deleted = " (deleted)";
    if (path.size() > deleted.size() && path.compare(path.size() - deleted.size(), deleted.size(), deleted) == 0)
      path.resize(path.size() - deleted.size());
    return path;
  }
  return make_error(ENOENT, "cannot find the toolbox binary in /proc/self/maps");
}

// The handler hands the loader the verified file as /proc/self/fd/N and keeps N
// open across that exec only: close it here, so no program toolbox starts
// inherits it, and drop the variable that named it. Only a descriptor of our own
// file is closed: the variable may also come from elsewhere.
void close_handler_execfd() {
  const std::string name(tbx::binfmt::kExecFdVariable);
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return;
  char* end = nullptr;
  const long fd = std::strtol(v, &end, 10);
  ::unsetenv(name.c_str());
  if (end == v || *end != '\0' || fd <= STDERR_FILENO || fd >= INT_MAX) return;
  struct stat fd_st, own_st;
  auto own = mapped_own_code();
  if (own && ::fstat(static_cast<int>(fd), &fd_st) == 0 && ::stat(own->c_str(), &own_st) == 0 &&
      fd_st.st_dev == own_st.st_dev && fd_st.st_ino == own_st.st_ino)
    ::close(static_cast<int>(fd));
}

// Fields 48 and 49 of /proc/self/stat: where the kernel put argv (Linux >= 3.5).
bool arg_area(std::uintptr_t& start, std::uintptr_t& end) {
  std::ifstream in("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return false;
  std::istringstream fields(stat.substr(paren + 2));
  std::string f;
  // After "pid (comm) " the state is field 3; arg_start is field 48.
  for (int i = 3; i <= 49 && fields >> f; ++i) {
    if (i == 48) start = std::strtoull(f.c_str(), nullptr, 10);
    if (i == 49) end = std::strtoull(f.c_str(), nullptr, 10);
  }
  return start != 0 && end > start;
}

// Rewrites the argv area in place so /proc/self/cmdline reads "argv0\0arg1\0...".
// The new vector is a suffix of the old one (the loader's options are dropped),
// so it always fits; argv itself is redirected to our own copies first.
void rewrite_command_line(int argc, char** argv) {
  std::uintptr_t start = 0, end = 0;
  if (!arg_area(start, end)) return;
  std::string flat;
  for (int i = 0; i < argc; ++i) {
    flat.append(argv[i]);
    flat.push_back('\0');
  }
  if (flat.size() > end - start) return;
  for (int i = 0; i < argc; ++i) argv[i] = ::strdup(argv[i]);  // kept for the process's life
  program_invocation_name = argv[0];
  const char* slash = std::strrchr(argv[0], '/');
  program_invocation_short_name = slash ? const_cast<char*>(slash + 1) : argv[0];
  char* area = reinterpret_cast<char*>(start);
  std::memcpy(area, flat.data(), flat.size());
  std::memset(area + flat.size(), 0, end - start - flat.size());
}

}  // namespace

bool started_through_loader() { return getauxval(AT_BASE) == 0; }

StartupFixups adopt_handler_startup(int argc, char** argv) {
  StartupFixups fx;
  restore_moved_variables();
  fx.through_loader = started_through_loader();
  close_handler_execfd();
  if (!fx.through_loader || argc < 1) return fx;
  // comm is what ps -C, pgrep and top show: make it ours, not the loader's.
  const char* slash = std::strrchr(argv[0], '/');
  ::prctl(PR_SET_NAME, slash ? slash + 1 : argv[0], 0, 0, 0);
  rewrite_command_line(argc, argv);
  return fx;
}

tbx::Result<std::string> own_executable_path() {
  if (!started_through_loader()) {
    char buf[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n < 0) return make_error(errno, std::string("cannot read /proc/self/exe: ") + std::strerror(errno));
    buf[n] = '\0';
    char* real = ::realpath(buf, nullptr);
    if (real == nullptr) return std::string(buf);
    std::string s(real);
    std::free(real);
    return s;
  }
  // Through a loader /proc/self/exe is the loader.
  return mapped_own_code();
}

}  // namespace tbx::sys
