#include "core/subid.h"

#include <fstream>
#include <sstream>

namespace tbx::core {

bool has_subid_range(const std::string& text, const std::string& user, unsigned uid) {
  std::istringstream in(text);
  std::string line;
  const std::string id = std::to_string(uid);
  while (std::getline(in, line)) {
    const std::size_t a = line.find(':');
    if (a == std::string::npos) continue;
    const std::size_t b = line.find(':', a + 1);
    if (b == std::string::npos) continue;
    const std::string owner = line.substr(0, a);
    if (owner != user && owner != id) continue;
    try {
      if (std::stoul(line.substr(b + 1)) > 0) return true;
    } catch (...) {
    }
  }
  return false;
}

Result<void> check_subid_ranges(const std::string& user, unsigned uid) {
  auto ranges = [&](const char* path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return has_subid_range(s.str(), user, uid);
  };
  if (ranges("/etc/subuid") && ranges("/etc/subgid")) return {};
  return make_error(EINVAL, "Missing subgid and/or subuid ranges for user " + user +
                                "\nSee the podman(1), subgid(5), subuid(5) and usermod(8) manuals for more\ninformation.");
}

}  // namespace tbx::core
