// The calling user, as NSS sees it on the host (or in the container).
#pragma once

#include <string>

#include "toolbox/result.h"

namespace tbx::sys {

struct User {
  std::string name;
  unsigned uid = 0;
  unsigned gid = 0;
  std::string home;   // $HOME, else the passwd entry
  std::string shell;  // $SHELL, else the passwd entry
};

tbx::Result<User> current_user();

// realpath(3) as a Result.
tbx::Result<std::string> canonical_path(const std::string& path);

bool is_terminal(int fd);

}  // namespace tbx::sys
