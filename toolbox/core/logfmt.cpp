#include "core/logfmt.h"

#include <spdlog/spdlog.h>

namespace tbx::core {

LogLine parse_log_line(const std::string& line) {
  LogLine l;
  if (line.rfind("level=", 0) != 0) {
    l.msg = line.rfind("Error: ", 0) == 0 ? line.substr(7) : line;
    return l;
  }
  const std::size_t sp = line.find(' ');
  l.level = line.substr(6, sp == std::string::npos ? std::string::npos : sp - 6);
  const std::size_t m = line.find("msg=");
  if (m != std::string::npos) {
    std::string v = line.substr(m + 4);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    l.msg = v;
  }
  return l;
}

void relay_log_line(const LogLine& l) {
  const auto lvl = spdlog::level::from_str(l.level == "warning" ? "warn" : l.level);
  spdlog::log(lvl == spdlog::level::off ? spdlog::level::debug : lvl, "> {}", l.msg);
}

void add_entry_point_errors(const std::string& text, std::string& errors) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const LogLine l = parse_log_line(text.substr(pos, nl - pos));
    if (l.level.empty() && !l.msg.empty()) errors += (errors.empty() ? "" : "\n") + l.msg;
    pos = nl + 1;
  }
}

}  // namespace tbx::core
