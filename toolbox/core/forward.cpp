#include "core/forward.h"

#include <unistd.h>

#include <cstdlib>

#include "core/exec_argv.h"

extern char** environ;

namespace tbx::core {

Place where_am_i() {
  if (::access("/run/.containerenv", F_OK) != 0) return Place::host;
  if (::access("/run/.toolbxenv", F_OK) == 0 || ::access("/run/.toolboxenv", F_OK) == 0) return Place::toolbx_container;
  return Place::other_container;
}

Argv forward_argv(const std::string& flatpak_spawn, const std::string& toolbox_path,
                  const std::vector<std::string>& env, const std::vector<std::string>& args) {
  Argv a{flatpak_spawn};
  for (const std::string& e : env) a.push_back("--env=" + e);
  a.insert(a.end(), {"--host", toolbox_path});
  a.insert(a.end(), args.begin(), args.end());
  return a;
}

Result<int> forward_to_host(const std::vector<std::string>& args) {
  const char* path = std::getenv("TOOLBOX_PATH");
  if (path == nullptr || *path == '\0') return make_error(EINVAL, "TOOLBOX_PATH not set");
  // Debian's and Ubuntu's flatpak-xdg-utils keep it off $PATH: images that do
  // not link it into /usr/bin still forward.
  auto spawn = find_program("flatpak-spawn");
  if (!spawn) spawn = find_program(std::string(kLibexecFlatpakSpawn));
  if (!spawn) return make_error(ENOENT, "flatpak-spawn(1) not found\nInstall flatpak-xdg-utils in the container to run toolbox from it.");
  RunOptions o;
  o.ignore_interrupts = true;
  TBX_TRY(const RunResult r, run(forward_argv(*spawn, path, preserved_environment(environ), args), o), "");
  return r.status.code;
}

}  // namespace tbx::core
