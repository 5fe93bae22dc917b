// toolbox.conf(5): TOML, [general] distro/release/image, read from
// /etc/containers/toolbox.conf then $XDG_CONFIG_HOME/containers/toolbox.conf;
// a later file wins key by key; missing files are skipped.
#pragma once

#include <string>
#include <vector>

#include "core/distro.h"
#include "toolbox/result.h"

namespace tbx::core {

// The files, in merge order. $XDG_CONFIG_HOME, else $HOME/.config.
std::vector<std::string> config_files();

// Pure on text: one file's [general] keys over `base`. `file` names it in errors
// ("failed to parse file F: line L: ...").
Result<ConfigValues> merge_config_text(const ConfigValues& base, const std::string& text, const std::string& file);

Result<ConfigValues> load_config(const std::vector<std::string>& files);

}  // namespace tbx::core
