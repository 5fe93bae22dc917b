// write(2) until everything is written, for terminals that take a frame or a
// prompt in pieces. Async-signal-safe (the spinner's signal handler uses it):
// only write(2), no allocation; gives up silently on an error, since a
// terminal that is gone has no one left to tell.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <string_view>

namespace tbx::sys {

inline void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace tbx::sys
