#include "core/run_command.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

#include "core/exec_argv.h"
#include "core/nvidia.h"
#include "core/p11kit.h"
#include "core/run_cache.h"
#include "paths/runtime.h"
#include "sys/fs.h"
#include "sys/user.h"

extern char** environ;

namespace tbx::core {

namespace {

constexpr int kInitTimeoutSeconds = 25;

std::string toolbox_rt(const RunRequest& r) { return paths::toolbox_runtime_dir(r.uid, r.xdg_runtime_dir); }

std::string cache_path(const RunRequest& r) { return paths::run_cache_path(toolbox_rt(r), r.container); }


bool truthy_polling() {
  const char* v = std::getenv("TOOLBX_RUN_USE_POLLING");
  if (v == nullptr || *v == '\0') return false;
  // Go's ParseBool false values; anything else non-empty counts as true.
  for (const char* f : {"0", "f", "F", "false", "FALSE", "False"})
    if (std::strcmp(v, f) == 0) return false;
  return true;
}

// One logfmt line of the entry point: level=debug msg="..."
struct LogLine {
  std::string level;  // empty: not a log line, so an error of the entry point
  std::string msg;
};

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

void relay(const LogLine& l) {
  const auto lvl = spdlog::level::from_str(l.level == "warning" ? "warn" : l.level);
  spdlog::log(lvl == spdlog::level::off ? spdlog::level::debug : lvl, "> {}", l.msg);
}

Result<void> start_container(const Podman& p, const std::string& name) {
  auto r = podman_capture(p.with({"start", name}));
  if (!r) return std::move(r).error();
  if (!r->status.success()) {
    spdlog::debug("podman start: {}", r->err);
    return make_error(EIO, "failed to start container " + name);
  }
  return {};
}

// Waits for the entry point's readiness stamp, relaying its log lines and
// returning its own error when it fails (reference §5.3).
Result<void> wait_for_initialization(const RunRequest& r, int pid, std::optional<std::time_t> since) {
  const std::string stamp = paths::stamp_path(toolbox_rt(r), pid);
  const bool polling = truthy_polling();
  if (!polling && sys::path_exists(stamp)) return {};
  const std::string dir = stamp.substr(0, stamp.rfind('/'));
  const std::string base = stamp.substr(stamp.rfind('/') + 1);
  (void)sys::make_dirs(dir, 0700);

  UniqueFd watch;
  if (polling) {
    spdlog::debug("Setting up polling ticker for container {}", r.container);
  } else {
    spdlog::debug("Setting up watches for file system events from container {}", r.container);
    watch.reset(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (watch && ::inotify_add_watch(watch.get(), dir.c_str(), IN_CREATE | IN_MOVED_TO) < 0) watch.reset();
  }
  Argv logs = r.podman.with({"logs", "--follow"});
  if (since) logs.insert(logs.end(), {"--since", std::to_string(*since)});
  logs.push_back(r.container);
  auto child = spawn_piped(logs);
  if (sys::path_exists(stamp)) return {};  // created before the watch was set up

  std::vector<std::string> errors;
  std::set<std::string> seen;
  std::string buf[2];
  bool open[2] = {child.ok(), child.ok()};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kInitTimeoutSeconds);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    std::vector<pollfd> fds;
    if (watch) fds.push_back({watch.get(), POLLIN, 0});
    if (open[0]) fds.push_back({child->out.get(), POLLIN, 0});
    if (open[1]) fds.push_back({child->err.get(), POLLIN, 0});
    const int timeout = polling || !watch ? std::min<int>(1000, static_cast<int>(left.count())) : static_cast<int>(left.count());
    const int n = ::poll(fds.data(), fds.size(), timeout);
    if (n < 0 && errno != EINTR) break;
    if (polling || !watch) spdlog::debug("Handling polling tick");
    if (sys::path_exists(stamp)) return {};
    for (const pollfd& f : fds) {
      if (f.revents == 0) continue;
      if (watch && f.fd == watch.get()) {
        alignas(inotify_event) char ev[4096];
        while (::read(watch.get(), ev, sizeof ev) > 0) {
        }
        continue;
      }
      const int idx = f.fd == child->out.get() ? 0 : 1;
      char chunk[4096];
      const ssize_t got = ::read(f.fd, chunk, sizeof chunk);
      if (got <= 0) {
        open[idx] = false;
        continue;
      }
      buf[idx].append(chunk, static_cast<std::size_t>(got));
      std::size_t nl;
      while ((nl = buf[idx].find('\n')) != std::string::npos) {
        const LogLine l = parse_log_line(buf[idx].substr(0, nl));
        buf[idx].erase(0, nl + 1);
        if (!l.level.empty()) relay(l);
        else if (!l.msg.empty() && seen.insert(l.msg).second) errors.push_back(l.msg);
      }
    }
    if (child.ok() && !open[0] && !open[1]) {
      // The log stream ended: the entry point stopped. Its error, if it gave one.
      if (!errors.empty()) {
        std::string m;
        for (const std::string& e : errors) m += (m.empty() ? "" : "\n") + e;
        return make_error(EIO, m);
      }
      if (sys::path_exists(stamp)) return {};
    }
  }
  if (sys::path_exists(stamp)) return {};
  if (!errors.empty()) {
    std::string m;
    for (const std::string& e : errors) m += (m.empty() ? "" : "\n") + e;
    return make_error(EIO, m);
  }
  return make_error(ETIMEDOUT, "failed to initialize container " + r.container);
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
  auto r = podman_capture(p.with({"inspect", "--format", "json", "--type", "container", name}));
  if (!r) return std::move(r).error();
  if (!r->status.success()) return make_error(ENOENT, "container " + name + " not found");
  auto c = parse_container_inspect_json(r->out);
  if (!c) return make_error(EINVAL, "failed to inspect container " + name);
  return c;
}

Result<std::vector<ContainerSummary>> list_toolbx_containers(const Podman& p) {
  auto r = podman_capture(p.with({"ps", "--all", "--format", "json", "--sort", "names"}));
  if (!r || !r->status.success()) return make_error(EIO, "failed to get containers");
  TBX_TRY(auto all, parse_ps_json(r->out), "failed to get containers");
  std::vector<ContainerSummary> out;
  for (auto& c : all)
    if (is_toolbx(c.labels)) out.push_back(std::move(c));
  return out;
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
      if (logs)
        for (const std::string* stream : {&logs->out, &logs->err}) {
          std::size_t pos = 0;
          while (pos < stream->size()) {
            std::size_t nl = stream->find('\n', pos);
            if (nl == std::string::npos) nl = stream->size();
            const LogLine l = parse_log_line(stream->substr(pos, nl - pos));
            if (l.level.empty() && !l.msg.empty()) errors += (errors.empty() ? "" : "\n") + l.msg;
            pos = nl + 1;
          }
        }
      return make_error(EIO, errors.empty() ? "invalid entry point PID of container " + r.container : errors);
    }
  }
  if (auto w = wait_for_initialization(r, c.pid, since); !w) return std::move(w).error();
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
