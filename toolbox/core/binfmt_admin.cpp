#include "core/binfmt_admin.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "core/process.h"
#include "toolbox/binfmt/marker_check.h"
#include "toolbox/binfmt/registration.h"
#include "toolbox/unique_fd.h"

namespace tbx::core {

namespace {

constexpr long kBinfmtMagic = 0x42494e4d;  // BINFMTFS_MAGIC, include/uapi/linux/magic.h

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

tbx::Result<void> write_text(const std::string& path, const std::string& text) {
  tbx::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return make_error(errno, "cannot open " + path + ": " + std::strerror(errno));
  // binfmt_misc takes one write(2) per command.
  const ssize_t n = ::write(fd.get(), text.data(), text.size());
  if (n < 0) return make_error(errno, "writing " + path + ": " + std::strerror(errno));
  if (static_cast<std::size_t>(n) != text.size()) return make_error(EIO, "short write to " + path);
  return {};
}

bool is_binfmt_mount(const std::string& dir) {
  struct statfs sf;
  return ::statfs(dir.c_str(), &sf) == 0 && sf.f_type == kBinfmtMagic;
}

bool same_inode(const std::string& a, dev_t dev, ino_t ino) {
  struct stat st;
  return ::stat(a.c_str(), &st) == 0 && st.st_dev == dev && st.st_ino == ino;
}

// Runs a marked binary through the entry and reads the handler's own report of
// the file the kernel runs (with F: the one opened at registration).
std::optional<std::pair<std::string, std::pair<dev_t, ino_t>>> running_handler(const std::string& self) {
  RunOptions o;
  o.capture_stdout = true;
  o.capture_stderr = true;
  o.extra_env = {"TOOLBOX_HANDLER_DEBUG=1"};
  auto r = run({self, "--version"}, o);
  if (!r) return std::nullopt;
  std::istringstream lines(r->err);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("handler: ", 0) != 0) continue;
    const std::size_t sp = line.rfind(' ');
    const std::string path = line.substr(9, sp - 9);
    unsigned long long dev = 0, ino = 0;
    if (std::sscanf(line.c_str() + sp + 1, "%llu:%llu", &dev, &ino) != 2) return std::nullopt;
    return std::make_pair(path, std::make_pair(static_cast<dev_t>(dev), static_cast<ino_t>(ino)));
  }
  return std::nullopt;
}

}  // namespace

BinfmtStatus binfmt_status(const BinfmtOptions& opts) {
  BinfmtStatus st;
  st.in_container = ::access("/run/.containerenv", F_OK) == 0;
  struct stat host_st, root_st;
  st.host_runtime = ::stat("/run/host", &host_st) == 0 && S_ISDIR(host_st.st_mode) && ::stat("/", &root_st) == 0 &&
                    !(host_st.st_dev == root_st.st_dev && host_st.st_ino == root_st.st_ino);

  // This binary's marker, checked by the handler's own probe.
  if (tbx::UniqueFd fd(::open(opts.self.c_str(), O_RDONLY | O_CLOEXEC)); fd) {
    st.self_marked = tbx::binfmt::file_is_verified(fd.get());
  }

  st.mounted = is_binfmt_mount(opts.dir);
  if (!st.mounted) {
    st.problems.push_back("binfmt_misc is not mounted at " + opts.dir);
    return st;
  }
  const auto global = read_text(opts.dir + "/status");
  st.enabled = global && global->rfind("enabled", 0) == 0;
  if (!st.enabled) st.problems.push_back("binfmt_misc is disabled (" + opts.dir + "/status)");

  struct stat hs;
  st.handler_present = !opts.handler.empty() && ::stat(opts.handler.c_str(), &hs) == 0 && S_ISREG(hs.st_mode) &&
                       ::access(opts.handler.c_str(), X_OK) == 0;

  const auto text = read_text(opts.dir + "/" + opts.name);
  if (!text) {
    st.problems.push_back("the entry '" + opts.name + "' is not registered");
    return st;
  }
  auto entry = binfmt::parse_entry(*text);
  if (!entry) {
    st.problems.push_back("cannot read the entry '" + opts.name + "': " + entry.error().message);
    return st;
  }
  st.entry = std::move(*entry);
  const binfmt::MagicMask mm = binfmt::marker_magic(binfmt::native_target());
  st.magic_matches = st.entry->offset == 0 && st.entry->magic == mm.magic && st.entry->mask == mm.mask;
  if (!st.entry->enabled) st.problems.push_back("the entry '" + opts.name + "' is disabled");
  if (!st.magic_matches) st.problems.push_back("the entry's magic and mask do not match this toolbox's marker");
  if (!st.entry->has_flag('F'))
    st.problems.push_back("the entry lacks the F flag: containers cannot find the handler");
  if (!st.entry->has_flag('P')) st.warnings.push_back("the entry lacks the P flag: programs lose their argv[0]");
  if (!st.entry->has_flag('O') && !st.entry->has_flag('C'))
    st.warnings.push_back("the entry lacks the O flag: the handler opens the binary itself");
  st.interpreter_matches = st.entry->interpreter == opts.handler;
  if (!st.in_container) {
    if (!st.handler_present) st.problems.push_back("the handler " + opts.handler + " is not installed");
    if (!st.interpreter_matches)
      st.warnings.push_back("the entry's interpreter " + st.entry->interpreter + " is not " + opts.handler);
  }

  // Stale after an upgrade: the kernel still runs the file it opened at
  // registration, not the one now at the interpreter path.
  if (st.self_marked && st.entry->enabled && st.magic_matches) {
    if (auto running = running_handler(opts.self)) {
      st.running_handler = running->first;
      if (!st.in_container) {
        st.freshness = same_inode(st.entry->interpreter, running->second.first, running->second.second)
                           ? BinfmtStatus::Freshness::current
                           : BinfmtStatus::Freshness::stale;
        if (st.freshness == BinfmtStatus::Freshness::stale)
          st.problems.push_back("the kernel runs an old handler (" + st.running_handler +
                                "): the file was replaced after registration; run 'toolbox binfmt register'");
      }
    } else {
      st.warnings.push_back("could not run this toolbox through the entry to check the handler");
    }
  }
  if (!st.self_marked) st.problems.push_back("this toolbox binary (" + opts.self + ") is not marked");
  return st;
}

tbx::Result<void> binfmt_register(const BinfmtOptions& opts) {
  if (::geteuid() != 0)
    return make_error(EPERM, "registering a binfmt_misc entry needs root; run it with sudo");
  struct stat hs;
  if (opts.handler.empty() || opts.handler.front() != '/')
    return make_error(EINVAL, "the handler path '" + opts.handler + "' is not absolute");
  if (::stat(opts.handler.c_str(), &hs) != 0)
    return make_error(ENOENT, "the handler " + opts.handler + " does not exist; install it or pass --handler PATH");
  if (!S_ISREG(hs.st_mode) || ::access(opts.handler.c_str(), X_OK) != 0)
    return make_error(EACCES, "the handler " + opts.handler + " is not an executable file");

  binfmt::Registration reg;
  reg.name = opts.name;
  reg.interpreter = opts.handler;
  TBX_TRY(const std::string line, binfmt::registration_line(reg), "building the registration");

  // As systemd-binfmt does: mount the file system when nothing has.
  if (!is_binfmt_mount(opts.dir)) {
    if (::mount("binfmt_misc", opts.dir.c_str(), "binfmt_misc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
      return make_error(errno, "cannot mount binfmt_misc at " + opts.dir + ": " + std::strerror(errno));
  }
  // Registering twice fails with EEXIST; removing first also re-opens the
  // handler file (F), which is what an upgrade needs.
  if (::access((opts.dir + "/" + opts.name).c_str(), F_OK) == 0) {
    if (auto r = write_text(opts.dir + "/" + opts.name, "-1"); !r)
      return with_context(std::move(r).error(), "removing the previous entry");
  }
  if (auto r = write_text(opts.dir + "/register", line); !r)
    return with_context(std::move(r).error(), "registering the entry '" + opts.name + "'");
  return {};
}

tbx::Result<bool> binfmt_unregister(const BinfmtOptions& opts) {
  if (::geteuid() != 0)
    return make_error(EPERM, "removing a binfmt_misc entry needs root; run it with sudo");
  const std::string path = opts.dir + "/" + opts.name;
  if (!is_binfmt_mount(opts.dir) || ::access(path.c_str(), F_OK) != 0) return false;
  if (auto r = write_text(path, "-1"); !r) return with_context(std::move(r).error(), "removing the entry");
  return true;
}

}  // namespace tbx::core
