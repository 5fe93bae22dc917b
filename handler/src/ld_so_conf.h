// The host's /etc/ld.so.conf, read inside the host root. We run the host's loader
// with --inhibit-cache (its ld.so.cache names host paths that the container does
// not have), so the directories the cache would have covered must be passed on
// --library-path instead. The format is ldconfig(8)'s: one directory a line,
// '#' comments, "include GLOB..." relative to the including file, "hwcap" ignored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "toolbox/result.h"

namespace handler {

struct LdSoConfEntry {
  enum class Kind { directory, include };
  Kind kind;
  std::string value;
  bool operator==(const LdSoConfEntry&) const = default;
};

// Pure: one file's text to entries, in order.
std::vector<LdSoConfEntry> parse_ld_so_conf(std::string_view text);

// Expands a glob pattern inside the root (every component may hold * ? [...]);
// the matches are in-root paths, sorted as glob(3) sorts them.
tbx::Result<std::vector<std::string>> glob_in_root(int root_fd, std::string_view pattern);

// Reads `path` inside the root and its includes, recursively; returns the
// directories in order. A missing top-level file yields no directories.
tbx::Result<std::vector<std::string>> load_ld_so_conf(int root_fd, std::string_view path = "/etc/ld.so.conf");

// /etc/ld.so.preload as glibc's ld.so reads it (elf/rtld.c, 2.31-2.41): names
// separated by blanks, newlines or ':', '#' starting a comment to the end of the
// line. Pure.
std::vector<std::string> parse_ld_so_preload(std::string_view text);

// The libraries the container's preload file (`path`, in our own root) makes the
// host's ld.so load; empty when there is no such file. Never an error: ld.so
// cannot be told to skip the file, so the handler only reports what it holds.
// A file larger than 1 MiB ends the list with kPreloadMoreNote (ld.so reads it all).
std::vector<std::string> read_ld_so_preload(const char* path = "/etc/ld.so.preload");
inline constexpr char kPreloadMoreNote[] =
    "(and more: the file is larger than 1 MiB, past which the handler does not read)";

}  // namespace handler
