// The init-container recipe: a linear list of named steps over the tables in
// init/tables.h. It runs as root inside the container at every start, so every
// step is idempotent. A failing step says which and why; optional steps say
// "skipping" at debug level.
#include "init/recipe.h"

#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <cstring>
#include <string_view>

#include "core/process.h"
#include "init/cdi.h"
#include "init/tables.h"
#include "paths/runtime.h"
#include "sys/fs.h"
#include "sys/user.h"
#include "toolbox/unique_fd.h"

namespace tbx::init {

namespace {

using sys::path_exists;

Result<void> step_error(const std::string& what) { return make_error(EIO, what); }

std::string sv(std::string_view s) { return std::string(s); }

// Steps 5a-5c, 5e: /etc file -> symlink into /run/host/etc.
Result<void> redirect(const Redirect& r) {
  const std::string path = sv(r.path);
  std::string target = sv(r.target);
  if (sys::is_symlink(path) && (r.keep_any_symlink || sys::read_link(path) == target)) return {};
  // A host link that dangles from here (/etc/resolv.conf -> /run/systemd/...)
  // is followed to the host's copy of its destination instead.
  if (sys::is_symlink(target) && !path_exists(target)) {
    const std::string dest = sys::read_link(target);
    if (!dest.empty() && dest.front() == '/') target = "/run/host" + dest;
  }
  if (auto res = sys::replace_with_symlink(path, target); !res)
    return step_error("failed to redirect " + path + " to " + target + ": " + res.error().message);
  return {};
}

// Step 5d.
Result<void> update_timezone() {
  auto resolved = sys::canonical_path("/etc/localtime");
  std::string zone = "UTC";
  if (resolved) {
    TBX_TRY(zone, zone_of_localtime(*resolved), "");
  }
  ::unlink("/etc/timezone");
  if (auto r = sys::write_file_atomic("/etc/timezone", zone + "\n", 0664); !r)
    return step_error("failed to update /etc/timezone: " + r.error().message);
  return {};
}

Result<void> link_dir(const char* path, const char* target) {
  if (sys::is_symlink(path)) return {};
  if (auto r = sys::make_dirs(target); !r) return step_error("failed to create " + std::string(target) + ": " + r.error().message);
  if (auto r = sys::replace_with_symlink(path, target); !r)
    return step_error(std::string("failed to make ") + path + " a symbolic link to " + target + ": " + r.error().message);
  return {};
}

std::optional<std::string> sudo_group() {
  for (const char* g : {"sudo", "wheel"})
    if (::getgrnam(g) != nullptr) return std::string(g);
  return std::nullopt;
}

Result<void> run_tool(const core::Argv& argv, const std::string& what) {
  core::RunOptions o;
  o.capture_stdout = true;
  o.capture_stderr = true;
  auto r = core::run(argv, o);
  if (!r) return step_error("failed to " + what + ": " + r.error().message);
  if (!r->status.success())
    return step_error("failed to " + what + ": " + argv[0] + " exited with " + std::to_string(r->status.code) +
                      (r->err.empty() ? "" : ": " + r->err.substr(0, r->err.find('\n'))));
  return {};
}

// Steps 11-13.
Result<void> configure_user(const InitOptions& o) {
  if (o.home_link) {
    if (auto r = link_dir("/home", "/var/home"); !r) return r;
  }
  const auto group = sudo_group();
  if (!group) return step_error("failed to get group for sudo: group for sudo not found");
  const std::string uid = std::to_string(o.uid);
  if (::getpwnam(o.user.c_str()) == nullptr) {
    spdlog::debug("Adding user {} with UID {}", o.user, uid);
    if (auto r = run_tool({"useradd", "--groups", *group, "--home-dir", o.home, "--no-create-home", "--password", "",
                           "--shell", o.shell, "--uid", uid, o.user},
                          "add user " + o.user);
        !r)
      return r;
  } else {
    spdlog::debug("Modifying user {} with UID {}", o.user, uid);
    if (auto r = run_tool({"usermod", "--append", "--groups", *group, "--home", o.home, "--password", "", "--shell",
                           o.shell, "--uid", uid, o.user},
                          "modify user " + o.user);
        !r)
      return r;
  }
  return run_tool({"passwd", "--delete", "root"}, "remove password for root");
}

Result<void> write_if_dir(std::string_view dir, std::string_view file, std::string_view text, unsigned mode,
                          bool overwrite) {
  if (!sys::is_directory(sv(dir))) {
    spdlog::debug("Skipping {}: no {}", file, dir);
    return {};
  }
  if (!overwrite && path_exists(sv(file))) return {};
  if (auto r = sys::write_file_atomic(sv(file), sv(text), mode); !r)
    return step_error("failed to write " + sv(file) + ": " + r.error().message);
  return {};
}

// Step 17: the host's CA certificates through the p11-kit server socket that
// enter and run started on the host before they started this container.
Result<void> configure_pkcs11(const std::string& toolbox_rt) {
  const std::string socket = paths::p11kit_socket_path(toolbox_rt);
  bool client = false;
  for (std::string_view p : kP11KitClientPaths) client |= path_exists(sv(p));
  if (!sys::is_directory("/etc/pkcs11/modules") || !client || !path_exists(socket)) {
    spdlog::debug("Skipping the PKCS #11 configuration");
    return {};
  }
  const std::string address = "unix:path=" + socket;
  if (auto r = sys::write_file_atomic("/etc/pkcs11/modules/p11-kit-trust.module",
                                      "module: p11-kit-client.so\nserver-address: " + address + "\n", 0644);
      !r)
    return step_error("failed to configure p11-kit: " + r.error().message);
  if (auto r = write_if_dir("/etc/ssh/sshd_config.d", "/etc/ssh/sshd_config.d/90-toolbx.conf",
                            "SetEnv P11_KIT_SERVER_ADDRESS=" + address + "\n", 0644, true);
      !r)
    return r;
  if (!sys::is_directory("/etc/profile.d"))
    return step_error("directory /etc/profile.d not found in container\nThe shell start-up scripts must include files "
                      "from /etc/profile.d in\ncontainers.\nGo to https://containertoolbx.org/ for further information.");
  if (auto r = sys::write_file_atomic("/etc/profile.d/toolbx-pkcs11.sh", "export P11_KIT_SERVER_ADDRESS=" + address + "\n", 0644); !r)
    return step_error("failed to write /etc/profile.d/toolbx-pkcs11.sh: " + r.error().message);
  if (!sys::is_directory("/etc/sudoers.d"))
    return step_error("directory /etc/sudoers.d not found in container\nThe sudo configuration must include files from "
                      "/etc/sudoers.d in containers with\n/etc/pkcs11/modules and p11-kit-client.so.\nGo to "
                      "https://containertoolbx.org/ for further information.");
  if (auto r = sys::write_file_atomic("/etc/sudoers.d/90-toolbx-pkcs11",
                                      "Defaults env_keep += \"P11_KIT_SERVER_ADDRESS\"\n", 0440);
      !r)
    return step_error("failed to write /etc/sudoers.d/90-toolbx-pkcs11: " + r.error().message);
  return {};
}

// Step 15, the update-ldcache hook: the directories in a file of its own, so
// that later ldconfig runs keep them, then ldconfig.
Result<void> update_ldcache(const std::vector<std::string>& folders) {
  const bool conf_d = sys::is_directory("/etc/ld.so.conf.d");
  if (conf_d && !folders.empty()) {
    if (auto r = sys::write_file_atomic(sv(kLdSoConfFile), cdi::ld_so_conf_text(folders), 0644); !r)
      return make_error(r.error().code, "failed to update dynamic linker cache configuration: " + r.error().message);
  } else if (!conf_d) {
    spdlog::debug("Updating dynamic linker cache: no /etc/ld.so.conf.d found");
  }
  return run_tool(cdi::ldconfig_argv(path_exists("/etc/ld.so.cache"), conf_d, folders), "update dynamic linker cache");
}

// Step 15: what a CDI-aware runtime would have done at creation, redone at
// every start because the spec follows the host's driver.
Result<void> apply_cdi_spec(const std::string& file) {
  spdlog::debug("Loading Container Device Interface for NVIDIA from file {}", file);
  const auto text = sys::read_file(file);
  if (!text && text.error().code == ENOENT) {
    spdlog::debug("Loading Container Device Interface for NVIDIA: file {} not found", file);
    return {};
  }
  if (!text) return step_error(std::string(cdi::kLoadFailed) + ": " + text.error().message);
  TBX_TRY(const cdi::Spec spec, cdi::parse_spec(*text), std::string(cdi::kLoadFailed) + ": " + file);
  TBX_TRY(const cdi::Plan plan, cdi::make_plan(cdi::applied_edits(spec)), "");
  spdlog::debug("Applying Container Device Interface for NVIDIA ({} {})", spec.kind, spec.cdi_version);
  for (const std::string& n : plan.notes) spdlog::debug("Applying Container Device Interface for NVIDIA: skipping {}", n);

  for (const cdi::PlannedMount& m : plan.mounts) {
    // As upstream's mountBind: a host path that is not there is no error.
    if (!path_exists(m.source)) {
      spdlog::debug("Skipping {}: {} does not exist", m.target, m.source);
      continue;
    }
    for (const std::string& o : m.flags.ignored) spdlog::debug("Binding {}: ignoring mount option {}", m.target, o);
    spdlog::debug("Binding {} to {}", m.target, m.source);
    if (auto r = sys::bind_mount_with(m.source, m.target, m.flags.set, m.flags.clear, m.flags.propagation); !r)
      return step_error(std::string(cdi::kMountFailed) + ": failed to bind " + m.target + " to " + m.source + ": " +
                        r.error().message);
  }
  for (const cdi::Symlink& l : plan.symlinks) {
    spdlog::debug("Creating symbolic link with target {} and link {}", l.target, l.link);
    auto r = sys::create_symlink(l.target, l.link);
    if (!r) return step_error(std::string(cdi::kSymlinksFailed) + ": " + r.error().message);
    if (!*r) spdlog::debug("Creating symbolic link: file {} already exists", l.link);
  }
  if (plan.update_ldcache) {
    spdlog::debug("Updating dynamic linker cache");
    if (auto r = update_ldcache(plan.ld_folders); !r)
      return step_error(std::string(cdi::kLdcacheFailed) + ": " + r.error().message);
  }
  return {};
}

Result<void> create_stamp(const std::string& path, unsigned uid, unsigned gid) {
  const std::string dir = path.substr(0, path.rfind('/'));
  if (auto r = sys::make_dirs(dir, 0700); !r) return step_error("failed to create initialization stamp: " + r.error().message);
  ::chown(dir.c_str(), uid, gid);
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) return step_error(std::string("failed to create initialization stamp: ") + std::strerror(errno));
  if (::fchown(fd.get(), uid, gid) != 0)
    return step_error(std::string("failed to change ownership of initialization stamp: ") + std::strerror(errno));
  return {};
}

// The locate database, refreshed in the background (at the start and then
// daily), so that a long scan never holds up a time zone change. Optional:
// most images have no updatedb.
class Updatedb {
 public:
  void start() {
    if (job_) return;  // the last one is still running
    auto p = core::spawn_piped({"updatedb"});
    if (!p) {
      if (p.error().code == ENOENT)
        spdlog::debug("Skipping updatedb: {}", p.error().message);
      else
        spdlog::warn("Failed to run updatedb: {}", p.error().message);
      return;
    }
    job_.emplace(std::move(*p));
  }
  // Its output pipes, to poll; -1 when none runs.
  int out() const { return job_ ? job_->out.get() : -1; }
  int err() const { return job_ ? job_->err.get() : -1; }
  // Drains what updatedb wrote; once both pipes are closed it has finished.
  void on_ready(const pollfd& out, const pollfd& err) {
    if (!job_) return;
    if ((out.revents & (POLLIN | POLLHUP | POLLERR)) != 0) core::drain_pipe(job_->out);
    if ((err.revents & (POLLIN | POLLHUP | POLLERR)) != 0) core::drain_pipe(job_->err);
    if (job_->out || job_->err) return;
    const core::ExitStatus st = job_->child.wait();
    if (st.success())
      spdlog::debug("Finished updatedb");
    else
      spdlog::warn("Failed to run updatedb: it exited with {}", st.code);
    job_.reset();
  }

 private:
  std::optional<core::PipedChild> job_;
};

// Step 22: wait for events forever: /run/host/etc/localtime changes are
// applied to /etc/timezone; a daily tick refreshes the locate database.
Result<void> event_loop() {
  spdlog::debug("Listening to file system and ticker events");
  UniqueFd in(::inotify_init1(IN_CLOEXEC));
  if (in && ::inotify_add_watch(in.get(), "/run/host/etc", IN_CREATE | IN_MOVED_TO | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE) < 0) {
    spdlog::debug("Cannot watch /run/host/etc: {}", std::strerror(errno));
    in.reset();
  }
  Updatedb updatedb;
  updatedb.start();
  using clock = std::chrono::steady_clock;
  constexpr auto kDay = std::chrono::hours(24);
  auto next_tick = clock::now() + kDay;
  for (;;) {
    pollfd pfd[3] = {{in ? in.get() : -1, POLLIN, 0}, {updatedb.out(), POLLIN, 0}, {updatedb.err(), POLLIN, 0}};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next_tick - clock::now()).count();
    const int n = ::poll(pfd, 3, static_cast<int>(std::max<long long>(left, 0)));
    if (n < 0) {
      if (errno == EINTR) continue;
      return step_error(std::string("failed to wait for events: ") + std::strerror(errno));
    }
    if (clock::now() >= next_tick) {
      next_tick += kDay;
      updatedb.start();
    }
    updatedb.on_ready(pfd[1], pfd[2]);
    if ((pfd[0].revents & POLLIN) == 0) continue;
    alignas(inotify_event) char buf[4096];
    const ssize_t len = ::read(in.get(), buf, sizeof buf);
    bool localtime = false;
    for (ssize_t off = 0; off < len;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
      if (ev->len > 0 && std::strcmp(ev->name, "localtime") == 0) localtime = true;
      off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
    }
    if (localtime)
      if (auto r = update_timezone(); !r) spdlog::warn("Failed to update the time zone: {}", r.error().message);
  }
}

}  // namespace

Result<std::string> zone_of_localtime(const std::string& resolved) {
  for (std::string_view prefix : {"/run/host/usr/share/zoneinfo/", "/usr/share/zoneinfo/"}) {
    if (resolved.rfind(prefix, 0) == 0 && resolved.size() > prefix.size()) return resolved.substr(prefix.size());
  }
  return make_error(EINVAL, "/etc/localtime points to unknown location");
}

Result<void> run_init_container(const InitOptions& o) {
  // 1. --gid defaults to the UID.
  const unsigned gid = o.gid.value_or(o.uid);
  // 2. The runtime directory for non-root users.
  if (std::getenv("XDG_RUNTIME_DIR") == nullptr) ::setenv("XDG_RUNTIME_DIR", ("/run/user/" + std::to_string(o.uid)).c_str(), 1);
  const std::string xdg = std::getenv("XDG_RUNTIME_DIR");

  // 3. The marks by which toolbox inside knows it is in a Toolbx container.
  for (const char* m : {"/run/.toolboxenv", "/run/.toolbxenv"}) {
    UniqueFd fd(::open(m, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    if (!fd) return step_error(std::string("failed to create ") + m + ": " + std::strerror(errno));
  }

  // 4. Test hooks: a slow and a failing entry point.
  if (const char* d = std::getenv("TOOLBX_DELAY_ENTRY_POINT"); d != nullptr && std::atoi(d) > 0) {
    spdlog::debug("Delaying the entry point by {} seconds", d);
    ::sleep(static_cast<unsigned>(std::atoi(d)));
  }
  if (const char* f = std::getenv("TOOLBX_FAIL_ENTRY_POINT"); f != nullptr && std::atoi(f) > 0) {
    std::string m = "TOOLBX_FAIL_ENTRY_POINT is set";
    if (std::atoi(f) > 1) m += "\nThis environment variable should only be set when testing.";
    return make_error(EINVAL, m);
  }

  // 5. /etc files that follow the host's.
  if (sys::is_directory("/run/host/etc")) {
    for (const Redirect& r : kRedirects) {
      if (auto res = redirect(r); !res) return res;
      if (r.path == "/etc/localtime")
        if (auto res = update_timezone(); !res) return res;
    }
  } else {
    spdlog::debug("Skipping the /etc redirects: no /run/host/etc");
  }

  // 6-7. /media and /mnt as on the host (Silverblue-style hosts).
  if (o.media_link)
    if (auto r = link_dir("/media", "/run/media"); !r) return r;
  if (o.mnt_link)
    if (auto r = link_dir("/mnt", "/var/mnt"); !r) return r;

  // 8. Host paths bound into the container.
  for (const BindMount& m : kBindMounts) {
    if (!path_exists(sv(m.source))) {
      spdlog::debug("Skipping {}: {} does not exist", m.destination, m.source);
      continue;
    }
    spdlog::debug("Binding {} to {} ({})", m.destination, m.source, m.why);
    if (auto r = sys::bind_mount(sv(m.source), sv(m.destination), m.rslave); !r)
      return step_error("failed to bind " + sv(m.destination) + " to " + sv(m.source) + ": " + r.error().message);
  }

  // 9. SELinux looks disabled inside, as the container runs with label=disable.
  if (path_exists("/sys/fs/selinux") && path_exists("/usr/share/empty"))
    if (auto r = sys::bind_mount("/usr/share/empty", "/sys/fs/selinux", false); !r)
      return step_error("failed to bind /sys/fs/selinux to /usr/share/empty: " + r.error().message);

  // 10-13. The user, in the sudo group, with an empty password; root without one.
  if (auto r = configure_user(o); !r) return r;

  // 14. The user as the container's NSS sees it now.
  const passwd* pw = ::getpwuid(o.uid);
  if (pw == nullptr) return step_error("failed to look up user with UID " + std::to_string(o.uid));

  // 15. The runtime directory, and an NVIDIA CDI spec handed in by enter/run.
  const std::string toolbox_rt = paths::toolbox_runtime_dir(o.uid, xdg);
  if (auto r = sys::make_dirs(toolbox_rt, 0700); !r)
    return step_error("failed to create runtime directory " + toolbox_rt + ": " + r.error().message);
  if (::chown(toolbox_rt.c_str(), pw->pw_uid, pw->pw_gid) != 0)
    return step_error("failed to change ownership of the runtime directory " + toolbox_rt + ": " + std::strerror(errno));
  if (auto r = apply_cdi_spec(paths::cdi_spec_path(toolbox_rt)); !r) return r;

  // 16. Kerberos: share the host's KCM credential cache.
  if (auto r = write_if_dir("/etc/krb5.conf.d", kKerberosFile, kKerberosSnippet, 0644, false); !r) return r;
  // 17. The host's CA certificates.
  if (auto r = configure_pkcs11(toolbox_rt); !r) return r;
  // 18. RPM must not write into the host's bind mounts.
  if (auto r = write_if_dir("/usr/lib/rpm/macros.d", kRpmMacrosFile, kRpmMacros, 0644, true); !r) return r;

  spdlog::debug("Finished initializing container");
  // 21. The readiness stamp that enter and run wait for.
  if (auto r = create_stamp(paths::stamp_path(toolbox_rt, ::getpid()), o.uid, gid); !r) return r;
  // 22. Wait for events.
  return event_loop();
}

}  // namespace tbx::init
