#include "core/config.h"

#include <cstdlib>
#include <cstring>

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

Result<ConfigValues> merge_config_text(const ConfigValues& base, const std::string& text, const std::string& file) {
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
