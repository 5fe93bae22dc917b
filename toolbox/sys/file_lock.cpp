#include "sys/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstring>

namespace tbx::sys {

tbx::Result<FileLock> FileLock::exclusive(const std::string& path, unsigned mode) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, mode));
  if (!fd) return make_error(errno, "opening " + path + ": " + std::strerror(errno));
  int rc;
  while ((rc = ::flock(fd.get(), LOCK_EX)) != 0 && errno == EINTR) {
  }
  if (rc != 0) return make_error(errno, "locking " + path + ": " + std::strerror(errno));
  return FileLock(std::move(fd));
}

}  // namespace tbx::sys
