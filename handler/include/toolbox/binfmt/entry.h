// Reading /proc/sys/fs/binfmt_misc/<entry>, as fs/binfmt_misc.c (Linux 4.8 to
// 6.18) prints it:
//   enabled|disabled
//   interpreter /path
//   flags: POF
//   offset 0
//   magic 7f454c46...
//   mask ffffffff...
// ("extension .ext" instead of magic and mask for E entries).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "toolbox/result.h"

namespace tbx::binfmt {

struct Entry {
  bool enabled = false;
  std::string interpreter;
  std::string flags;
  unsigned offset = 0;
  std::vector<unsigned char> magic;
  std::vector<unsigned char> mask;
  std::string extension;
  bool has_flag(char f) const { return flags.find(f) != std::string::npos; }
};

tbx::Result<Entry> parse_entry(std::string_view text);

}  // namespace tbx::binfmt
