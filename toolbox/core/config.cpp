#include "core/config.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "sys/fs.h"

#define TOML_EXCEPTIONS 0  // errors as values, as everywhere else
#include <toml++/toml.h>

namespace tbx::core {

std::vector<std::string> config_files() {
  std::vector<std::string> files{"/etc/containers/toolbox.conf"};
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  if (xdg != nullptr && *xdg != '\0')
    files.push_back(std::string(xdg) + "/containers/toolbox.conf");
  else if (home != nullptr && *home != '\0')
    files.push_back(std::string(home) + "/.config/containers/toolbox.conf");
  return files;
}

namespace {

// toml++ 3.3.0 (Debian 12 and 13) reaches __builtin_unreachable() for most
// characters from U+00A1 to U+0499 wherever it asks whether one is
// whitespace (is_non_ascii_horizontal_whitespace; found by tests/fuzz's
// config target), also while it scans a malformed value past a quote:
// undefined behaviour on a user's file. toolbox.conf's values (distro names,
// releases, image references) are ASCII, so bytes past ASCII are refused,
// with their line, before toml++ sees them, except in comments. Strings are
// followed only so that a '#' inside one starts no comment. Returns 0 or the line.
std::size_t line_past_ascii_outside_comments(std::string_view t) {
  enum class In { code, comment, basic, ml_basic, literal, ml_literal } in = In::code;
  std::size_t line = 1;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    const std::string_view rest = t.substr(i);
    if (c == '\n') {
      ++line;
      if (in == In::comment || in == In::basic || in == In::literal) in = In::code;
      continue;
    }
    if (in != In::comment && static_cast<unsigned char>(c) >= 0x80) return line;
    switch (in) {
      case In::code:
        if (c == '#') in = In::comment;
        if (c == '"') in = rest.starts_with("\"\"\"") ? In::ml_basic : In::basic;
        if (c == '\'') in = rest.starts_with("'''") ? In::ml_literal : In::literal;
        if (in == In::ml_basic || in == In::ml_literal) i += 2;
        break;
      case In::comment:
        break;
      case In::basic:
      case In::ml_basic:
        if (c == '\\') {
          ++i;  // the escaped byte (a quote among them) is checked here
          if (i < t.size() && static_cast<unsigned char>(t[i]) >= 0x80) return line;
          if (i < t.size() && t[i] == '\n') ++line;
        } else if (in == In::basic && c == '"') {
          in = In::code;
        } else if (in == In::ml_basic && rest.starts_with("\"\"\"")) {
          in = In::code;
          i += 2;
        }
        break;
      case In::literal:
        if (c == '\'') in = In::code;
        break;
      case In::ml_literal:
        if (rest.starts_with("'''")) {
          in = In::code;
          i += 2;
        }
        break;
    }
  }
  return 0;
}

}  // namespace

Result<ConfigValues> merge_config_text(const ConfigValues& base, const std::string& text, const std::string& file) {
  if (const std::size_t line = line_past_ascii_outside_comments(text); line != 0)
    return make_error(EINVAL, "failed to parse file " + file + ": line " + std::to_string(line) +
                                  ": a character past ASCII outside a comment");
  toml::parse_result parsed = toml::parse(text, file);
  if (!parsed) {
    const toml::parse_error& err = parsed.error();
    return make_error(EINVAL, "failed to parse file " + file + ": line " +
                                  std::to_string(err.source().begin.line) + ": " + std::string(err.description()));
  }
  const toml::table& t = parsed.table();
  ConfigValues out = base;
  const toml::node* general = t.get("general");
  if (general == nullptr) return out;
  if (!general->is_table()) return make_error(EINVAL, "failed to parse file " + file + ": 'general' is not a table");
  for (const char* key : {"distro", "release", "image"}) {
    const toml::node* n = general->as_table()->get(key);
    if (n == nullptr) continue;
    const auto* s = n->as_string();
    if (s == nullptr)
      return make_error(EINVAL, "failed to parse file " + file + ": line " + std::to_string(n->source().begin.line) +
                                    ": general." + key + " must be a string");
    std::string v = s->get();
    if (std::strcmp(key, "distro") == 0) out.distro = v;
    if (std::strcmp(key, "release") == 0) out.release = v;
    if (std::strcmp(key, "image") == 0) out.image = v;
  }
  return out;
}

Result<ConfigValues> load_config(const std::vector<std::string>& files) {
  ConfigValues values;
  for (const std::string& f : files) {
    const auto text = sys::read_file(f);
    if (!text) {
      const int code = text.error().code;
      if (code == ENOENT || code == ENOTDIR) continue;  // a missing file is no configuration
      return make_error(code, "failed to read file " + f + ": " + std::strerror(code));
    }
    auto merged = merge_config_text(values, *text, f);
    if (!merged) return std::move(merged).error();
    values = std::move(*merged);
  }
  return values;
}

}  // namespace tbx::core
