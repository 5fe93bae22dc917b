#include "ld_so_conf.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "in_root.h"

namespace handler {

using tbx::make_error;
using tbx::Result;

namespace {

constexpr int kMaxIncludeDepth = 16;
constexpr std::size_t kMaxConfBytes = 1 << 20;  // ld.so.conf files are a few hundred bytes
constexpr std::size_t kMaxGlobMatches = 4096;

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool has_glob_chars(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

std::vector<std::string> split_components(std::string_view p) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < p.size()) {
    while (i < p.size() && p[i] == '/') ++i;
    std::size_t j = i;
    while (j < p.size() && p[j] != '/') ++j;
    if (j > i) out.emplace_back(p.substr(i, j - i));
    i = j;
  }
  return out;
}

Result<std::string> read_small_file(int root_fd, std::string_view path) {
  // O_NONBLOCK: a FIFO here must not hang the handler; only a regular file is read.
  TBX_TRY(tbx::UniqueFd fd, open_in_root(root_fd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY), "opening");
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return make_error(errno, std::string("stat: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return make_error(EACCES, "not a regular file");
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(errno, std::string("reading: ") + std::strerror(errno));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > kMaxConfBytes) return make_error(EFBIG, "larger than 1 MiB");
  }
  return text;
}

std::string dirname_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

struct Loader {
  int root_fd;
  std::vector<std::string> dirs;
  std::set<std::string> seen_files;

  Result<void> load(std::string_view path, int depth) {
    if (depth > kMaxIncludeDepth) return make_error(ELOOP, "includes nested too deeply");
    if (!seen_files.insert(std::string(path)).second) return {};  // an include cycle
    auto text = read_small_file(root_fd, path);
    if (!text) {
      if (text.error().code == ENOENT && depth == 0) return {};
      return tbx::with_context(std::move(text).error(), std::string(path));
    }
    for (const LdSoConfEntry& e : parse_ld_so_conf(*text)) {
      if (e.kind == LdSoConfEntry::Kind::directory) {
        dirs.push_back(e.value);
        continue;
      }
      const std::string pattern = e.value.front() == '/' ? e.value : dirname_of(path) + "/" + e.value;
      TBX_TRY(auto matches, glob_in_root(root_fd, pattern), std::string(path) + ": include " + e.value);
      for (const std::string& m : matches)
        if (auto r = load(m, depth + 1); !r) return r;
    }
    return {};
  }
};

}  // namespace

std::vector<LdSoConfEntry> parse_ld_so_conf(std::string_view text) {
  std::vector<LdSoConfEntry> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    // The format has no quoting: a '#' anywhere ends the line.
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    while (!line.empty() && is_space(line.front())) line.remove_prefix(1);
    while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.size() > 7 && line.substr(0, 7) == "include" && is_blank(line[7])) {
      std::string_view rest = line.substr(8);
      while (!rest.empty()) {
        while (!rest.empty() && is_blank(rest.front())) rest.remove_prefix(1);
        std::size_t end = 0;
        while (end < rest.size() && !is_blank(rest[end])) ++end;
        if (end > 0) out.push_back({LdSoConfEntry::Kind::include, std::string(rest.substr(0, end))});
        rest.remove_prefix(end);
      }
      continue;
    }
    if (line.size() > 5 && strncasecmp(line.data(), "hwcap", 5) == 0 && is_blank(line[5])) continue;
    std::string dir(line);
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    out.push_back({LdSoConfEntry::Kind::directory, std::move(dir)});
  }
  return out;
}

Result<std::vector<std::string>> glob_in_root(int root_fd, std::string_view pattern) {
  std::vector<std::string> current{""};  // in-root prefixes matched so far
  const std::vector<std::string> parts = split_components(pattern);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    std::vector<std::string> next;
    for (const std::string& prefix : current) {
      if (!has_glob_chars(part)) {
        next.push_back(prefix + "/" + part);
        continue;
      }
      auto dirfd = open_in_root(root_fd, prefix.empty() ? "/" : prefix, O_RDONLY | O_DIRECTORY);
      if (!dirfd) continue;  // like glob(3): an unreadable or missing directory matches nothing
      DIR* d = ::fdopendir(dirfd->release());
      if (d == nullptr) continue;
      std::vector<std::string> names;
      while (const dirent* ent = ::readdir(d)) {
        if (std::strcmp(ent->d_name, ".") == 0 || std::strcmp(ent->d_name, "..") == 0) continue;
        if (::fnmatch(part.c_str(), ent->d_name, FNM_PERIOD) == 0) names.emplace_back(ent->d_name);
        if (names.size() > kMaxGlobMatches) break;
      }
      ::closedir(d);
      std::sort(names.begin(), names.end());
      for (const std::string& n : names) next.push_back(prefix + "/" + n);
    }
    if (next.size() > kMaxGlobMatches) return make_error(E2BIG, "the pattern matches too many files");
    current = std::move(next);
  }
  // Literal components were not checked on the way; keep what exists, as glob(3) does.
  std::vector<std::string> out;
  for (const std::string& p : current) {
    if (p.empty()) continue;
    if (open_in_root(root_fd, p, O_PATH)) out.push_back(p);
  }
  return out;
}

std::vector<std::string> parse_ld_so_preload(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '#') {  // to the end of the line
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == ':') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' && text[j] != ':' &&
           text[j] != '#')
      ++j;
    out.emplace_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

std::vector<std::string> read_ld_so_preload(const char* path) {
  // ld.so opens it by name (O_RDONLY, following links); a FIFO here would hang
  // ld.so itself, not the handler, so only a regular file is read.
  tbx::UniqueFd fd(::open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  struct stat st;
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
  std::string text;
  char buf[4096];
  ssize_t n;
  bool more = false;
  while ((n = ::read(fd.get(), buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > kMaxConfBytes) {
      more = true;
      break;
    }
  }
  if (!more) return parse_ld_so_preload(text);
  // ld.so reads all of it: what follows the first MiB (behind a MiB of blanks,
  // say) is loaded too, so the report must not look complete. The name cut at
  // the MiB is dropped, not shown half.
  text.resize(kMaxConfBytes);
  while (!text.empty() && std::string_view(" \t\n:").find(text.back()) == std::string_view::npos) text.pop_back();
  std::vector<std::string> out = parse_ld_so_preload(text);
  out.emplace_back(kPreloadMoreNote);
  return out;
}

Result<std::vector<std::string>> load_ld_so_conf(int root_fd, std::string_view path) {
  Loader l{root_fd, {}, {}};
  if (auto r = l.load(path, 0); !r) return std::move(r).error();
  return std::move(l.dirs);
}

}  // namespace handler
