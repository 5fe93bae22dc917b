#include <cstdio>

#include "core/usage.h"

#include "cli/command.h"

namespace tbx::cli {

int print_error(const tbx::Error& e) {
  std::fprintf(stderr, "Error: %s\n", e.message.c_str());
  return 1;
}

std::optional<tbx::Error> unknown_flag(const std::vector<std::string>& extras) {
  for (const std::string& a : extras) {
    if (a == "--") break;  // arguments from here on, flags or not
    if (a.size() < 2 || a[0] != '-') continue;
    if (a[1] == '-') return core::usage_error("unknown flag: " + a.substr(0, a.find('=')));
    return core::usage_error("unknown shorthand flag: '" + a.substr(1, 1) + "' in " + a);
  }
  return std::nullopt;
}

}  // namespace tbx::cli
