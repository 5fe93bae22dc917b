// Inside a Toolbx container, user-facing commands run on the host: forwarded
// with `flatpak-spawn --host $TOOLBOX_PATH ARGS...` (reference §5.9).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/process.h"
#include "toolbox/result.h"

namespace tbx::core {

enum class Place { host, toolbx_container, other_container };

// /run/.containerenv marks a container; /run/.toolbxenv (or the older
// /run/.toolboxenv) a Toolbx one, written by init-container.
Place where_am_i();

// Where Debian and Ubuntu install flatpak-spawn, when $PATH has none.
inline constexpr std::string_view kLibexecFlatpakSpawn = "/usr/libexec/flatpak-xdg-utils/flatpak-spawn";

// Pure: the forwarding vector for our original arguments (argv[1..]).
Argv forward_argv(const std::string& flatpak_spawn, const std::string& toolbox_path,
                  const std::vector<std::string>& env, const std::vector<std::string>& args);

// Runs the command on the host and returns its exit status.
Result<int> forward_to_host(const std::vector<std::string>& args);

}  // namespace tbx::core
