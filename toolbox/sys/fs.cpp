#include "sys/fs.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <string_view>

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

namespace {

// The directories above `path`, for a file or link about to be made there.
tbx::Result<void> make_parent_dirs(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return {};
  return make_dirs(path.substr(0, slash));
}

// The bind target, made like the source: a directory, or an empty file.
tbx::Result<void> make_target_like(const std::string& source, const std::string& target) {
  struct stat st;
  if (::stat(source.c_str(), &st) != 0) return errno_error(source);
  if (S_ISDIR(st.st_mode)) return make_dirs(target);
  if (path_exists(target)) return {};
  if (auto r = make_parent_dirs(target); !r) return r;
  UniqueFd fd(::open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) return errno_error("creating " + target);
  return {};
}

// statvfs(2) f_flag bits and the mount(2) flags they report.
constexpr struct {
  unsigned long st, ms;
} kStatvfsFlags[] = {{ST_RDONLY, MS_RDONLY},     {ST_NOSUID, MS_NOSUID},         {ST_NODEV, MS_NODEV},
                     {ST_NOEXEC, MS_NOEXEC},     {ST_NOATIME, MS_NOATIME},       {ST_NODIRATIME, MS_NODIRATIME},
                     {ST_RELATIME, MS_RELATIME}};

tbx::Result<unsigned long> mount_flags_of(const std::string& path) {
  struct statvfs sv;
  if (::statvfs(path.c_str(), &sv) != 0) return errno_error("statvfs " + path);
  unsigned long ms = 0;
  for (const auto& f : kStatvfsFlags)
    if ((sv.f_flag & f.st) != 0) ms |= f.ms;
  return ms;
}

}  // namespace

tbx::Result<void> bind_mount(const std::string& source, const std::string& target, bool rslave) {
  return bind_mount_with(source, target, 0, 0, rslave ? MS_SLAVE | MS_REC : 0);
}

tbx::Result<void> bind_mount_with(const std::string& source, const std::string& target, unsigned long set,
                                  unsigned long clear, unsigned long propagation) {
  if (auto r = make_target_like(source, target); !r) return r;
  if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) return errno_error("mount");
  if (set != 0 || clear != 0) {
    // A bind mount takes its flags only from a remount (Linux 2.6.26 and later),
    // which replaces them all: keep what the source had.
    TBX_TRY(const unsigned long have, mount_flags_of(target), "");
    const unsigned long want = (have | set) & ~clear;
    if (::mount(nullptr, target.c_str(), nullptr, MS_REMOUNT | MS_BIND | want, nullptr) != 0)
      return errno_error("remounting " + target);
    // statvfs(2) cannot show MS_STRICTATIME (the absence of the others).
    unsigned long shown = 0;
    for (const auto& f : kStatvfsFlags) shown |= f.ms;
    TBX_TRY(const unsigned long got, mount_flags_of(target), "");
    if ((got & set & shown) != (set & shown))
      return make_error(EIO, "remounting " + target + ": the kernel did not apply all flags");
  }
  if (propagation != 0 && ::mount(nullptr, target.c_str(), nullptr, propagation, nullptr) != 0)
    return errno_error("changing the propagation of " + target);
  return {};
}

tbx::Result<bool> create_symlink(const std::string& target, const std::string& link) {
  if (auto r = make_parent_dirs(link); !r) return std::move(r).error();
  if (::symlink(target.c_str(), link.c_str()) != 0) {
    if (errno == EEXIST) return false;
    return errno_error("creating the symbolic link " + link);
  }
  return true;
}

tbx::Result<std::string> read_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return errno_error(path);
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("reading " + path);
    }
    if (n == 0) return text;
    text.append(buf, static_cast<std::size_t>(n));
  }
}

tbx::Result<void> write_file_atomic(const std::string& path, const std::string& text, unsigned mode) {
  // A temporary name of its own: two toolbox commands may write the same file
  // at once (two containers started together save the same CDI spec), and a
  // shared name would let one truncate what the other is about to rename.
  std::string tmp = path + ".XXXXXX";
  UniqueFd fd(::mkostemp(tmp.data(), O_CLOEXEC));
  if (!fd) return errno_error("creating a temporary file for " + path);
  auto fail = [&](const std::string& what) {
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    return errno_error(what);
  };
  for (std::string_view rest = text; !rest.empty();) {
    const ssize_t n = ::write(fd.get(), rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("writing " + tmp);
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fchmod(fd.get(), mode) != 0) return fail("changing the mode of " + tmp);
  fd.reset();
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("renaming to " + path);
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
