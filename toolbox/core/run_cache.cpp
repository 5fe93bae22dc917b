#include "core/run_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <cstring>

#include "in_root.h"
#include "paths/runtime.h"
#include "sys/fs.h"

namespace tbx::core {

namespace {

template <typename T>
std::optional<T> parse_number(std::string_view s) {
  T v{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// The next space-separated word of `s` from `pos` on; `pos` moves past it.
std::string_view next_word(std::string_view s, std::size_t& pos) {
  while (pos < s.size() && s[pos] == ' ') ++pos;
  const std::size_t start = pos;
  while (pos < s.size() && s[pos] != ' ' && s[pos] != '\n') ++pos;
  return s.substr(start, pos - start);
}

// A small file read whole; nothing when it cannot be opened or is larger than `max`.
std::optional<std::string> read_small(int fd, std::size_t max) {
  std::string text(max + 1, '\0');
  std::size_t got = 0;
  for (;;) {
    const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
    if (got == text.size()) return std::nullopt;
  }
  text.resize(got);
  return text;
}

}  // namespace

std::optional<unsigned long long> parse_stat_start_time(std::string_view stat) {
  // proc_pid_stat(5): "PID (COMM) STATE PPID ..."; COMM is at most 16 bytes
  // but any of them, ')' and ' ' included, so the last ')' ends it. Field 3
  // (STATE) is the first word after it, so field 22 is the 20th.
  const std::size_t close = stat.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::size_t pos = close + 1;
  std::string_view word;
  for (int field = 3; field <= 22; ++field) {
    word = next_word(stat, pos);
    if (word.empty()) return std::nullopt;
  }
  return parse_number<unsigned long long>(word);
}

std::optional<std::string> parse_containerenv_id(std::string_view text) {
  // Podman writes key="value" lines (libpod/container_internal_common.go).
  constexpr std::string_view key = "id=\"";
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(pos, nl - pos);
    if (line.size() > key.size() + 1 && line.substr(0, key.size()) == key && line.back() == '"')
      return std::string(line.substr(key.size(), line.size() - key.size() - 1));
    pos = nl + 1;
  }
  return std::nullopt;
}

std::optional<RunCacheEntry> parse_run_cache(std::string_view text) {
  std::size_t pos = 0;
  const auto pid = parse_number<int>(next_word(text, pos));
  const auto start = parse_number<unsigned long long>(next_word(text, pos));
  const std::string_view id = next_word(text, pos);
  const std::string_view deprecated = next_word(text, pos);
  if (!pid || *pid <= 0 || !start || id.empty() || (deprecated != "0" && deprecated != "1")) return std::nullopt;
  if (id.find_first_not_of("0123456789abcdef") != std::string_view::npos) return std::nullopt;
  return RunCacheEntry{*pid, *start, std::string(id), deprecated == "1"};
}

std::string format_run_cache(const RunCacheEntry& e) {
  return std::to_string(e.pid) + " " + std::to_string(e.start_time) + " " + e.id + " " + (e.deprecated ? "1" : "0") +
         "\n";
}

std::optional<unsigned long long> process_start_time(int pid) {
  UniqueFd fd(::open(("/proc/" + std::to_string(pid) + "/stat").c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  const auto text = read_small(fd.get(), 4096);
  if (!text) return std::nullopt;
  return parse_stat_start_time(*text);
}

std::optional<std::string> process_container_id(int pid) {
  // Absolute links below /proc/PID/root would resolve in our root, not the
  // container's: open in its root (openat2 RESOLVE_IN_ROOT, or the walk).
  UniqueFd root(::open(("/proc/" + std::to_string(pid) + "/root").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return std::nullopt;
  auto fd = handler::open_in_root(root.get(), "/run/.containerenv", O_RDONLY);
  if (!fd) return std::nullopt;
  const auto text = read_small(fd->get(), 64 * 1024);
  if (!text) return std::nullopt;
  return parse_containerenv_id(*text);
}

bool uses_deprecated_features(const ContainerInspect& c) {
  for (const Mount& m : c.mounts)
    if (m.destination == kDeprecatedMount) return true;
  return false;
}

void save_run_cache(const std::string& path, const ContainerInspect& c) {
  const auto start = process_start_time(c.pid);
  if (!start) return;
  (void)sys::write_file_atomic(path, format_run_cache({c.pid, *start, c.id, uses_deprecated_features(c)}), 0600);
}

Result<RunCacheEntry> load_run_cache(const std::string& path, const std::string& toolbox_runtime_dir) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return make_error(errno, "no run cache");
  const auto text = read_small(fd.get(), 256);
  const auto e = text ? parse_run_cache(*text) : std::nullopt;
  if (!e) return make_error(EINVAL, "a malformed run cache");
  if (process_start_time(e->pid) != e->start_time) return make_error(ESRCH, "its entry point is gone");
  if (process_container_id(e->pid) != e->id)
    return make_error(ESRCH, "PID " + std::to_string(e->pid) + " is not the entry point of container " + e->id);
  if (!sys::path_exists(paths::stamp_path(toolbox_runtime_dir, e->pid)))
    return make_error(ESRCH, "its entry point is not initialised");
  // Checked again: the PID may have been reused while we read its root.
  if (process_start_time(e->pid) != e->start_time) return make_error(ESRCH, "its entry point is gone");
  return *e;
}

void drop_run_caches(const std::string& toolbox_runtime_dir) {
  UniqueFd dfd(::open(toolbox_runtime_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dfd) return;
  DIR* dir = ::fdopendir(dfd.get());
  if (dir == nullptr) return;
  const int fd = dfd.release();
  while (const dirent* d = ::readdir(dir))
    if (std::strncmp(d->d_name, paths::kRunCachePrefix, sizeof paths::kRunCachePrefix - 1) == 0)
      (void)::unlinkat(fd, d->d_name, 0);
  ::closedir(dir);
}

}  // namespace tbx::core
