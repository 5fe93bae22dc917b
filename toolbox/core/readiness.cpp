// Waiting for the entry point's readiness stamp (reference §5.3).
#include "core/readiness.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <set>

#include "core/logfmt.h"
#include "sys/fs.h"

namespace tbx::core {

namespace {

constexpr int kInitTimeoutSeconds = 25;

bool truthy_polling() {
  const char* v = std::getenv("TOOLBX_RUN_USE_POLLING");
  if (v == nullptr || *v == '\0') return false;
  // Go's ParseBool false values; anything else non-empty counts as true.
  for (const char* f : {"0", "f", "F", "false", "FALSE", "False"})
    if (std::strcmp(v, f) == 0) return false;
  return true;
}

}  // namespace

// Waits for the entry point's readiness stamp, relaying its log lines and
// returning its own error when it fails (reference §5.3).
Result<void> wait_for_initialization(const Podman& podman, const std::string& container, const std::string& stamp,
                                     std::optional<std::time_t> since) {
  const bool polling = truthy_polling();
  if (!polling && sys::path_exists(stamp)) return {};
  const std::string dir = stamp.substr(0, stamp.rfind('/'));
  const std::string base = stamp.substr(stamp.rfind('/') + 1);
  (void)sys::make_dirs(dir, 0700);

  UniqueFd watch;
  if (polling) {
    spdlog::debug("Setting up polling ticker for container {}", container);
  } else {
    spdlog::debug("Setting up watches for file system events from container {}", container);
    watch.reset(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (watch && ::inotify_add_watch(watch.get(), dir.c_str(), IN_CREATE | IN_MOVED_TO) < 0) watch.reset();
  }
  Argv logs = podman.with({"logs", "--follow"});
  if (since) logs.insert(logs.end(), {"--since", std::to_string(*since)});
  logs.push_back(container);
  auto child = spawn_piped(logs);
  if (sys::path_exists(stamp)) return {};  // created before the watch was set up

  std::vector<std::string> errors;
  std::set<std::string> seen;
  std::string buf[2];
  bool open[2] = {child.ok(), child.ok()};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kInitTimeoutSeconds);
  for (;;) {
    using std::chrono::milliseconds;
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    std::vector<pollfd> fds;
    if (watch) fds.push_back({watch.get(), POLLIN, 0});
    if (open[0]) fds.push_back({child->out.get(), POLLIN, 0});
    if (open[1]) fds.push_back({child->err.get(), POLLIN, 0});
    const int left_ms = static_cast<int>(left.count());
    const int timeout = polling || !watch ? std::min<int>(1000, left_ms) : left_ms;
    const int n = ::poll(fds.data(), fds.size(), timeout);
    if (n < 0 && errno != EINTR) break;
    if (polling || !watch) spdlog::debug("Handling polling tick");
    if (sys::path_exists(stamp)) return {};
    for (const pollfd& f : fds) {
      if (f.revents == 0) continue;
      if (watch && f.fd == watch.get()) {
        alignas(inotify_event) char ev[4096];
        while (::read(watch.get(), ev, sizeof ev) > 0) {
        }
        continue;
      }
      const int idx = f.fd == child->out.get() ? 0 : 1;
      char chunk[4096];
      const ssize_t got = ::read(f.fd, chunk, sizeof chunk);
      if (got <= 0) {
        open[idx] = false;
        continue;
      }
      buf[idx].append(chunk, static_cast<std::size_t>(got));
      std::size_t nl;
      while ((nl = buf[idx].find('\n')) != std::string::npos) {
        const LogLine l = parse_log_line(buf[idx].substr(0, nl));
        buf[idx].erase(0, nl + 1);
        if (!l.level.empty()) relay_log_line(l);
        else if (!l.msg.empty() && seen.insert(l.msg).second) errors.push_back(l.msg);
      }
    }
    if (child.ok() && !open[0] && !open[1]) {
      // The log stream ended: the entry point stopped. Its error, if it gave one.
      if (!errors.empty()) {
        std::string m;
        for (const std::string& e : errors) m += (m.empty() ? "" : "\n") + e;
        return make_error(EIO, m);
      }
      if (sys::path_exists(stamp)) return {};
    }
  }
  if (sys::path_exists(stamp)) return {};
  if (!errors.empty()) {
    std::string m;
    for (const std::string& e : errors) m += (m.empty() ? "" : "\n") + e;
    return make_error(EIO, m);
  }
  return make_error(ETIMEDOUT, "failed to initialize container " + container);
}


}  // namespace tbx::core
