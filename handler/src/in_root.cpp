#include "in_root.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <optional>
#include <deque>
#include <vector>

namespace handler {

using tbx::make_error;
using tbx::Result;
using tbx::UniqueFd;

namespace {

constexpr int kOpenat2Attempts = 16;

bool g_force_walk = false;
int g_fallback_errno = 0;

// Splits on '/', dropping empty components. "." is kept, and a trailing '/'
// becomes one: whatever precedes it must be a directory, as for the kernel
// ("file/." and "file/" are ENOTDIR, also as a symbolic link's target).
void push_components_front(std::deque<std::string>& todo, std::string_view path) {
  std::vector<std::string> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = i;
    while (j < path.size() && path[j] != '/') ++j;
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j;
  }
  if (!path.empty() && path.back() == '/') parts.emplace_back(".");
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) todo.push_front(std::move(*it));
}

tbx::Error errno_error(int err, std::string_view what) {
  return make_error(err, std::string(what) + ": " + std::strerror(err));
}

}  // namespace

void force_userspace_walk(bool on) { g_force_walk = on; }

int openat2_fallback_errno() { return g_fallback_errno; }

namespace {

bool is_merged_usr_link(std::string_view c) {
  return c == "bin" || c == "sbin" || c == "lib" || c == "lib32" || c == "lib64" || c == "libx32";
}

}  // namespace

Result<InRootPath> walk_in_root(int root_fd, std::string_view path, int flags, bool merged_usr) {
  if (path.empty()) return make_error(ENOENT, "empty path");
  if (path.size() >= PATH_MAX) return make_error(ENAMETOOLONG, "path too long");
  // One O_PATH descriptor per level below the root; ".." pops a level, and at
  // the root it stays there, as RESOLVE_IN_ROOT does.
  std::vector<UniqueFd> stack;
  std::vector<std::string> names;
  auto current = [&]() { return stack.empty() ? root_fd : stack.back().get(); };

  std::deque<std::string> todo;
  push_components_front(todo, path);
  const bool want_dir_at_end = !path.empty() && path.back() == '/';
  int links = 0;
  std::size_t budget = 0;  // total bytes of components processed: bounds hostile link chains

  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.pop_front();
    if ((budget += c.size() + 1) > 64 * PATH_MAX) return make_error(ENAMETOOLONG, "path expands too far");
    if (c == ".") continue;  // the current level is a directory: only those are pushed
    if (c == "..") {
      if (!stack.empty()) {
        stack.pop_back();
        names.pop_back();
      }
      continue;
    }
    const bool last = todo.empty();
    UniqueFd fd(::openat(current(), c.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!fd && errno == ENOENT && merged_usr && stack.empty() && is_merged_usr_link(c)) {
      todo.push_front(std::move(c));
      todo.push_front("usr");  // "usr" is no such name: a root without usr/lib ends here
      continue;
    }
    if (!fd) return errno_error(errno, "'" + c + "'");
    struct stat st;
    if (::fstatat(fd.get(), "", &st, AT_EMPTY_PATH) != 0) return errno_error(errno, "'" + c + "'");
    if (S_ISLNK(st.st_mode)) {
      if (++links > kMaxSymlinks) return make_error(ELOOP, "too many levels of symbolic links");
      char target[PATH_MAX];
      const ssize_t n = ::readlinkat(fd.get(), "", target, sizeof target);
      if (n < 0) return errno_error(errno, "reading the symbolic link '" + c + "'");
      if (n == 0 || static_cast<std::size_t>(n) >= sizeof target)
        return make_error(ENAMETOOLONG, "the symbolic link '" + c + "' is empty or too long");
      std::string_view t(target, static_cast<std::size_t>(n));
      if (t.front() == '/') {  // absolute: restart at the root, not at the real "/"
        stack.clear();
        names.clear();
      }
      push_components_front(todo, t);
      continue;
    }
    if (!last && !S_ISDIR(st.st_mode)) return make_error(ENOTDIR, "'" + c + "' is not a directory");
    stack.push_back(std::move(fd));
    names.push_back(std::move(c));
  }
  if (want_dir_at_end) flags |= O_DIRECTORY;

  InRootPath out;
  for (const std::string& n : names) out.path.append("/").append(n);
  if (out.path.empty()) out.path.push_back('/');
  // The final object, opened with the caller's flags: the O_PATH descriptor we
  // hold already is that; otherwise reopen it from its parent without following.
  if (names.empty()) {
    out.fd = UniqueFd((flags & O_PATH) != 0 ? ::fcntl(root_fd, F_DUPFD_CLOEXEC, 3)
                                            : ::openat(root_fd, ".", flags | O_CLOEXEC));
  } else if ((flags & O_PATH) != 0 && (flags & O_DIRECTORY) == 0) {
    out.fd = std::move(stack.back());
  } else {
    const int parent = stack.size() >= 2 ? stack[stack.size() - 2].get() : root_fd;
    out.fd = UniqueFd(::openat(parent, names.back().c_str(), flags | O_NOFOLLOW | O_CLOEXEC));
  }
  if (!out.fd) return errno_error(errno, "opening '" + out.path + "'");
  return out;
}

Result<UniqueFd> open_in_root(int root_fd, std::string_view path, int flags) {
  if (!g_force_walk) {
    struct open_how how{};
    how.flags = static_cast<__u64>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    std::string p(path);
    // EAGAIN: the kernel could not prove that a ".." of this lookup stayed inside
    // the root, as a mount or unmount anywhere in the system (or a rename) raced
    // with it (openat2(2), fs/namei.c follow_dotdot; seen on Linux 6.18 while
    // containers started). Ask again; past the retries the walk answers, which
    // has no such race.
    int err = EAGAIN;
    for (int attempt = 0; attempt < kOpenat2Attempts && err == EAGAIN; ++attempt) {
      const long fd = ::syscall(SYS_openat2, root_fd, p.c_str(), &how, sizeof how);
      if (fd >= 0) return UniqueFd(static_cast<int>(fd));
      err = errno;
    }
    if (err != ENOSYS && err != EPERM && err != E2BIG && err != EAGAIN) return errno_error(err, "'" + p + "'");
    g_fallback_errno = err;
  }
  TBX_TRY(InRootPath r, walk_in_root(root_fd, path, flags), "resolving in the root");
  return std::move(r.fd);
}

namespace {

// The kernel's name for an open descriptor, in our mount namespace and root.
std::optional<std::string> fd_path(int fd) {
  char link[64], buf[PATH_MAX];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = ::readlink(link, buf, sizeof buf);
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof buf || buf[0] != '/') return std::nullopt;
  return std::string(buf, static_cast<std::size_t>(n));
}

}  // namespace

Result<InRootPath> resolve_in_root(int root_fd, std::string_view path, int flags) {
  if (!g_force_walk) {
    auto fd = open_in_root(root_fd, path, flags);
    if (!fd && fd.error().code != ENOSYS && fd.error().code != EPERM) return std::move(fd).error();
    if (fd) {
      // Valid only when /proc is there and the names are plain: " (deleted)"
      // or a root outside our own root would not be.
      const auto root = fd_path(root_fd);
      const auto full = fd_path(fd->get());
      if (root && full && full->find(" (deleted)") == std::string::npos) {
        const std::string prefix = *root == "/" ? "" : *root;
        if (full->size() > prefix.size() && full->compare(0, prefix.size(), prefix) == 0 &&
            (*full)[prefix.size()] == '/')
          return InRootPath{std::move(*fd), full->substr(prefix.size())};
      }
    }
  }
  return walk_in_root(root_fd, path, flags);
}

Result<std::string> canonical_dir_in_root(int root_fd, std::string_view path) {
  // Lexically clean: absolute, no "." or ".." components. Slashes are folded.
  std::string clean;
  bool lexical = !path.empty() && path.front() == '/';
  for (std::size_t i = 0; lexical && i < path.size();) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = i;
    while (j < path.size() && path[j] != '/') ++j;
    const std::string_view c = path.substr(i, j - i);
    if (c == "." || c == "..") lexical = false;
    else if (!c.empty()) clean.append("/").append(c);
    i = j;
  }
  if (lexical && !g_force_walk) {
    struct open_how how{};
    how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS;
    const std::string p = clean.empty() ? "/" : clean;
    const long fd = ::syscall(SYS_openat2, root_fd, p.c_str(), &how, sizeof how);
    if (fd >= 0) {
      ::close(static_cast<int>(fd));
      return p;
    }
    if (errno == ENOENT || errno == ENOTDIR) return errno_error(errno, "'" + p + "'");
    // ELOOP: a symbolic link on the way; ENOSYS, EPERM, EAGAIN...: the walk decides.
  }
  TBX_TRY(InRootPath r, walk_in_root(root_fd, path, O_PATH | O_DIRECTORY), "");
  return std::move(r.path);
}

}  // namespace handler
