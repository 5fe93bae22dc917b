#include "core/run_command.h"

#include <time.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/exec_argv.h"
#include "core/logfmt.h"
#include "core/nvidia.h"
#include "core/p11kit.h"
#include "core/readiness.h"
#include "core/remove.h"
#include "core/run_cache.h"
#include "paths/runtime.h"
#include "sys/fs.h"
#include "sys/user.h"

extern char** environ;

namespace tbx::core {

namespace {

std::string toolbox_rt(const RunRequest& r) { return paths::toolbox_runtime_dir(r.uid, r.xdg_runtime_dir); }

std::string cache_path(const RunRequest& r) { return paths::run_cache_path(toolbox_rt(r), r.container); }

Result<void> start_container(const Podman& p, const std::string& name) {
  auto r = podman_capture(p.with({"start", name}));
  if (!r) return std::move(r).error();
  if (!r->status.success()) {
    spdlog::debug("podman start: {}", r->err);
    return make_error(EIO, "failed to start container " + name);
  }
  return {};
}

void osc777(bool push, const RunRequest& r) {
  if (push)
    std::printf("\033]777;container;push;%s;toolbox;%u\033\\", r.container.c_str(), r.uid);
  else
    std::printf("\033]777;container;pop;;;%u\033\\", r.uid);
  std::fflush(stdout);
}

Result<int> exec_once(const RunRequest& r, const std::string& workdir, const Argv& command,
                      const std::vector<std::string>& cdi_env, const std::optional<std::string>& p11kit_socket) {
  ExecSpec s;
  s.podman_log_level = r.podman.log_level;
  s.env = preserved_environment(environ);
  s.env.insert(s.env.end(), cdi_env.begin(), cdi_env.end());
  s.p11kit_socket = p11kit_socket;
  s.preserve_fds = r.preserve_fds;
  s.tty = sys::is_terminal(STDIN_FILENO) && sys::is_terminal(STDOUT_FILENO);
  s.user = r.user;
  s.workdir = workdir;
  s.container = r.container;
  s.login = !r.enter;
  s.command = command;
  RunOptions o;
  o.ignore_interrupts = true;
  // On a terminal the pty carries the command's stderr; Podman's own is noise.
  o.discard_stderr = s.tty && spdlog::get_level() > spdlog::level::debug;
  if (r.enter) osc777(true, r);
  auto res = run(podman_exec_argv(s), o);
  if (r.enter) osc777(false, r);
  if (!res) return std::move(res).error();
  return res->status.code;
}

}  // namespace

Result<ContainerInspect> find_container(const RunRequest& r) {
  auto e = load_run_cache(cache_path(r), toolbox_rt(r));
  if (!e) {
    if (e.error().code != ENOENT) spdlog::debug("Run cache of container {} not used: {}", r.container, e.error().message);
    return inspect_container(r.podman, r.container);
  }
  ContainerInspect c;
  c.id = e->id;
  c.name = r.container;
  c.cmd = {"toolbox"};  // it was ours when cached, and the process is the same
  c.running = true;
  c.pid = e->pid;
  c.from_cache = true;
  if (e->deprecated) c.mounts.push_back(Mount{{}, std::string(kDeprecatedMount)});
  spdlog::debug("Container {} is running with entry point PID {} (cached)", r.container, e->pid);
  return c;
}

Result<ContainerInspect> inspect_container(const Podman& p, const std::string& name) {
  auto r = podman_capture(podman_inspect_argv(p, ObjectKind::container, name));
  if (!r) return std::move(r).error();
  if (!r->status.success()) return make_error(ENOENT, "container " + name + " not found");
  auto c = parse_container_inspect_json(r->out);
  if (!c) return make_error(EINVAL, "failed to inspect container " + name);
  return c;
}

Result<int> run_in_container(const RunRequest& r, ContainerInspect c) {
  // The entry point must be ours (or upstream's): "toolbox ... init-container".
  if (c.cmd.empty() || c.cmd.front() != "toolbox")
    return make_error(EINVAL, "container " + r.container + " is too old and no longer supported\nRecreate it with Toolbx version 0.0.97 or newer.");
  if (uses_deprecated_features(c))
    std::fprintf(stderr, "Warning: container %s uses deprecated features\nConsider recreating it with Toolbx version 0.0.97 or newer.\n",
                 r.container.c_str());

  // Before the start: init-container configures PKCS #11 only if it finds the
  // socket at its first start (reference §5.1 step 7, then 8).
  const std::string rt = toolbox_rt(r);
  const std::optional<std::string> p11kit_socket = ensure_p11kit_server(rt);

  // NVIDIA: a container about to start gets a spec of the host's driver as it
  // is now; a running one keeps the spec it was started with, which costs the
  // warm path one stat(2) where the driver is not loaded instead of a
  // generation at every run.
  const std::string cdi_file = paths::cdi_spec_path(rt);
  std::vector<std::string> cdi_env;
  if (c.pid > 0 && sys::path_exists(kNvidiaDriverVersionFile)) cdi_env = saved_cdi_environment(cdi_file);

  std::optional<std::time_t> since;
  if (c.pid <= 0) {
    TBX_TRY(const std::optional<NvidiaCdiSpec> nvidia, generate_nvidia_cdi_spec(), "");
    if (nvidia) {
      if (auto w = save_nvidia_cdi_spec(cdi_file, *nvidia); !w) return std::move(w).error();
      cdi_env = nvidia->env;
    } else if (::unlink(cdi_file.c_str()) == 0) {
      // The driver or nvidia-ctk is gone: the entry point must not apply the old spec.
      spdlog::debug("Removed {}: no NVIDIA driver or nvidia-ctk now", cdi_file);
    }
    since = std::time(nullptr);
    if (auto s = start_container(r.podman, r.container); !s) return std::move(s).error();
    TBX_TRY(c, inspect_container(r.podman, r.container), "");
    if (c.pid <= 0) {
      auto logs = podman_capture(r.podman.with({"logs", "--since", std::to_string(*since), r.container}));
      std::string errors;
      if (logs) {
        add_entry_point_errors(logs->out, errors);
        add_entry_point_errors(logs->err, errors);
      }
      return make_error(EIO, errors.empty() ? "invalid entry point PID of container " + r.container : errors);
    }
  }
  if (auto w = wait_for_initialization(r.podman, r.container, paths::stamp_path(toolbox_rt(r), c.pid), since); !w) return std::move(w).error();
  if (!c.from_cache) save_run_cache(cache_path(r), c);

  // The command, with the fallbacks of reference §5.6.
  std::string workdir = r.workdir;
  Argv command = r.command;
  bool retried_dir = false, retried_shell = false;
  for (;;) {
    TBX_TRY(const int code, exec_once(r, workdir, command, cdi_env, p11kit_socket), "");
    if (code == 125) {
      std::fprintf(stderr, "Error: failed to invoke 'podman exec' in container %s\n", r.container.c_str());
      return 125;
    }
    if (code == 126) {
      if (command.front() == "toolbox") return 126;
      std::fprintf(stderr, "Error: failed to invoke command %s in container %s\n", command.front().c_str(), r.container.c_str());
      return 126;
    }
    if (code != 127) return code;
    if (!podman_succeeds(podman_probe_dir_argv(r.podman.log_level, r.user, r.container, workdir))) {
      if (retried_dir) {
        std::fprintf(stderr, "Error: directory %s not found in container %s\n", workdir.c_str(), r.container.c_str());
        return 127;
      }
      std::fprintf(stderr, "Error: directory %s not found in container %s\nUsing %s instead.\n", workdir.c_str(),
                   r.container.c_str(), r.home.c_str());
      workdir = r.home;
      retried_dir = true;
      continue;
    }
    if (!podman_succeeds(podman_probe_command_argv(r.podman.log_level, r.user, r.container, command.front()))) {
      if (r.enter && !retried_shell) {
        std::fprintf(stderr, "Error: command %s not found in container %s\nUsing /bin/bash instead.\n",
                     command.front().c_str(), r.container.c_str());
        command = {"/bin/bash", "-l"};
        retried_shell = true;
        continue;
      }
      std::fprintf(stderr, "Error: command %s not found in container %s\n", command.front().c_str(), r.container.c_str());
      return 127;
    }
    // The command exists and itself exited 127: that is its status (upstream
    // Toolbx returns 0 here, a quirk we do not keep).
    return 127;
  }
}

}  // namespace tbx::core
