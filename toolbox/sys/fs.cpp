#include "sys/fs.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>

#include "toolbox/unique_fd.h"

namespace tbx::sys {

namespace {

tbx::Error errno_error(const std::string& what) { return make_error(errno, what + ": " + std::strerror(errno)); }

}  // namespace

bool path_exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

bool is_symlink(const std::string& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

bool is_directory(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string read_link(const std::string& p) {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink(p.c_str(), buf, sizeof buf - 1);
  return n < 0 ? std::string() : std::string(buf, static_cast<std::size_t>(n));
}

tbx::Result<void> make_dirs(const std::string& p, unsigned mode) {
  std::string cur;
  std::size_t i = 0;
  while (i <= p.size()) {
    const std::size_t slash = p.find('/', i);
    const std::size_t end = slash == std::string::npos ? p.size() : slash;
    cur = p.substr(0, end);
    if (!cur.empty() && ::mkdir(cur.c_str(), mode) != 0 && errno != EEXIST) return errno_error("creating " + cur);
    if (slash == std::string::npos) break;
    i = slash + 1;
  }
  if (!is_directory(p)) return make_error(ENOTDIR, p + " is not a directory");
  return {};
}

tbx::Result<void> bind_mount(const std::string& source, const std::string& target, bool rslave) {
  struct stat st;
  if (::stat(source.c_str(), &st) != 0) return errno_error(source);
  if (S_ISDIR(st.st_mode)) {
    if (auto r = make_dirs(target); !r) return r;
  } else if (!path_exists(target)) {
    const std::size_t slash = target.rfind('/');
    if (slash != std::string::npos && slash > 0)
      if (auto r = make_dirs(target.substr(0, slash)); !r) return r;
    UniqueFd fd(::open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    if (!fd) return errno_error("creating " + target);
  }
  if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) return errno_error("mount");
  if (rslave && ::mount(nullptr, target.c_str(), nullptr, MS_SLAVE | MS_REC, nullptr) != 0)
    return errno_error("making it a slave mount");
  return {};
}

tbx::Result<void> write_file_atomic(const std::string& path, const std::string& text, unsigned mode) {
  const std::string tmp = path + ".toolbox-tmp";
  {
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (!fd) return errno_error("creating " + tmp);
    if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
      ::unlink(tmp.c_str());
      return errno_error("writing " + tmp);
    }
    ::fchmod(fd.get(), mode);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return errno_error("renaming to " + path);
  }
  return {};
}

tbx::Result<void> replace_with_symlink(const std::string& path, const std::string& target) {
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) {
    const int rc = S_ISDIR(st.st_mode) ? ::rmdir(path.c_str()) : ::unlink(path.c_str());
    if (rc != 0) {
      if (errno == EBUSY) return make_error(EBUSY, path + " is a mount point");
      return errno_error("removing " + path);
    }
  }
  if (::symlink(target.c_str(), path.c_str()) != 0) return errno_error("creating the symbolic link " + path);
  return {};
}

}  // namespace tbx::sys
