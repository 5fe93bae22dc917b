// toolbox init-container: the entry point of every Toolbx container. Hidden;
// accepts every flag of upstream Toolbx so containers created by it start too.
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "core/usage.h"
#include "init/recipe.h"

namespace tbx::cli {

namespace {

struct InitArgs {
  init::InitOptions opts;
  unsigned gid = 0;
  bool monitor_host = true;
};

}  // namespace

Command add_init_container_command(CLI::App& root, Context&) {
  auto a = std::make_shared<InitArgs>();
  CLI::App* app = root.add_subcommand("init-container", "Initialize a running container");
  app->group("");  // hidden, as in Toolbx
  // Required as cobra's MarkFlagRequired, checked after the parse so that an
  // unknown flag is reported first, as pflag does.
  auto* gid = app->add_option("--gid", a->gid, "Create a user inside the toolbox container whose numerical group ID is GID");
  app->add_option("--home", a->opts.home, "Create a user inside the toolbox container whose login directory is HOME");
  app->add_flag("--home-link", a->opts.home_link, "Make /home a symbolic link to /var/home");
  app->add_flag("--media-link", a->opts.media_link, "Make /media a symbolic link to /run/media");
  app->add_flag("--mnt-link", a->opts.mnt_link, "Make /mnt a symbolic link to /var/mnt");
  app->add_flag("--monitor-host", a->monitor_host, "Deprecated, does nothing");
  app->add_option("--shell", a->opts.shell, "Create a user inside the toolbox container whose login shell is SHELL");
  app->add_option("--uid", a->opts.uid, "Create a user inside the toolbox container whose numerical user ID is UID");
  app->add_option("--user", a->opts.user, "Create a user inside the toolbox container whose login name is USER");

  Command c;
  c.app = app;
  c.run = [a, gid, app]() -> Result<int> {
    std::string missing;
    for (const char* name : {"home", "shell", "uid", "user"}) {
      if (app->get_option(std::string("--") + name)->count() > 0) continue;
      missing += (missing.empty() ? "\"" : ", \"") + std::string(name) + "\"";
    }
    if (!missing.empty()) return make_error(EINVAL, "required flag(s) " + missing + " not set");
    if (::access("/run/.containerenv", F_OK) != 0)
      return core::usage_error("the 'init-container' command can only be used inside containers");
    if (gid->count() > 0) a->opts.gid = a->gid;
    auto r = init::run_init_container(a->opts);
    return r.error();
  };
  return c;
}

}  // namespace tbx::cli
