// An exclusive flock(2) on a lock file, held for the object's lifetime.
#pragma once

#include <string>

#include "toolbox/result.h"
#include "toolbox/unique_fd.h"

namespace tbx::sys {

class FileLock {
 public:
  // Opens (creating it with `mode`) and locks `path`, waiting for other holders.
  // The descriptor is O_CLOEXEC, so a child we start never inherits the lock:
  // a daemon started under it would otherwise hold it for as long as it lives.
  static tbx::Result<FileLock> exclusive(const std::string& path, unsigned mode = 0600);

  FileLock(FileLock&&) = default;
  FileLock& operator=(FileLock&&) = default;
  // Closing the last descriptor of the open file releases the lock.
  ~FileLock() = default;

 private:
  explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace tbx::sys
