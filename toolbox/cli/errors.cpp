#include <cstdio>

#include "cli/command.h"

namespace tbx::cli {

int print_error(const tbx::Error& e) {
  std::fprintf(stderr, "Error: %s\n", e.message.c_str());
  return 1;
}

}  // namespace tbx::cli
