#include "toolbox/binfmt/entry.h"

namespace tbx::binfmt {

namespace {

std::optional<std::vector<unsigned char>> parse_hex(std::string_view s) {
  if (s.size() % 2 != 0) return std::nullopt;
  std::vector<unsigned char> out;
  out.reserve(s.size() / 2);
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); i += 2) {
    const int hi = nibble(s[i]), lo = nibble(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

Result<Entry> parse_entry(std::string_view text) {
  Entry e;
  bool seen_state = false;
  std::size_t pos = 0;
  int lineno = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++lineno;
    if (line.empty()) continue;
    auto value_of = [&](std::string_view key) -> std::optional<std::string_view> {
      if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ' ')
        return line.substr(key.size() + 1);
      return std::nullopt;
    };
    if (line == "enabled" || line == "disabled") {
      e.enabled = line == "enabled";
      seen_state = true;
    } else if (auto v = value_of("interpreter")) {
      e.interpreter = std::string(*v);
    } else if (auto f = value_of("flags:")) {
      e.flags = std::string(*f);
    } else if (line == "flags:") {
      e.flags.clear();
    } else if (auto o = value_of("offset")) {
      try {
        e.offset = static_cast<unsigned>(std::stoul(std::string(*o)));
      } catch (...) {
        return make_error(EINVAL, "line " + std::to_string(lineno) + ": bad offset");
      }
    } else if (auto m = value_of("magic")) {
      auto bytes = parse_hex(*m);
      if (!bytes) return make_error(EINVAL, "line " + std::to_string(lineno) + ": bad magic");
      e.magic = std::move(*bytes);
    } else if (auto k = value_of("mask")) {
      auto bytes = parse_hex(*k);
      if (!bytes) return make_error(EINVAL, "line " + std::to_string(lineno) + ": bad mask");
      e.mask = std::move(*bytes);
    } else if (auto x = value_of("extension")) {
      e.extension = std::string(*x);
    } else {
      return make_error(EINVAL, "line " + std::to_string(lineno) + ": unknown line '" + std::string(line) + "'");
    }
  }
  if (!seen_state) return make_error(EINVAL, "no enabled/disabled line");
  if (e.interpreter.empty()) return make_error(EINVAL, "no interpreter line");
  return e;
}

}  // namespace tbx::binfmt
