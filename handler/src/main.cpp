// toolbox-binfmt-handler: the binfmt_misc interpreter for the marked toolbox
// binary. See docs/toolbox-binfmt-handler.8.md and docs/design.md.
//
// main() is a list of steps; every failure prints one line
//   toolbox-binfmt-handler: FILE: CAUSE
// and exits 126 (found but cannot be run) or 127 (host run-time or loader not
// found), as shells do for the same two classes.
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "elf_probe.h"
#include "exec_plan.h"
#include "host_runtime.h"
#include "kernel_argv.h"

#ifndef TOOLBOX_VERSION
#define TOOLBOX_VERSION "unknown"
#endif

namespace {

using namespace handler;

constexpr char kName[] = "toolbox-binfmt-handler";
constexpr int kExitCannotRun = 126;
constexpr int kExitNotFound = 127;
constexpr int kExitUsage = 2;

[[noreturn]] void fail(int code, std::string_view file, std::string_view cause) {
  dprintf(STDERR_FILENO, "%s: %.*s: %.*s\n", kName, static_cast<int>(file.size()), file.data(),
          static_cast<int>(cause.size()), cause.data());
  _exit(code);
}

// Missing things (loader, libraries, the host root) are 127; everything else 126.
int exit_code_for(int err) { return err == ENOENT || err == ENOTDIR ? kExitNotFound : kExitCannotRun; }

bool debug_enabled() {
  const char* v = std::getenv("TOOLBOX_HANDLER_DEBUG");
  return v != nullptr && *v != '\0' && std::strcmp(v, "0") != 0;
}

void print_plan(int fd, std::string_view file, const ElfInfo& info, const Plan* plan) {
  dprintf(fd, "file: %.*s\n", static_cast<int>(file.size()), file.data());
  dprintf(fd, "marker: %s\n", marker_name(info.marker));
  dprintf(fd, "interpreter: %s\n", info.interp ? info.interp->c_str() : "(none)");
  for (const std::string& n : info.needed) dprintf(fd, "needed: %s\n", n.c_str());
  if (plan == nullptr) return;
  dprintf(fd, "where: %s\n", plan->where == Where::host ? "host" : "container");
  dprintf(fd, "loader: %s\n", plan->loader.c_str());
  dprintf(fd, "loader supports --argv0: %s\n", plan->loader_has_argv0 ? "yes" : "no");
  for (const std::string& d : plan->library_path) dprintf(fd, "library directory: %s\n", d.c_str());
  for (const ResolvedLibrary& l : plan->libraries)
    dprintf(fd, "library: %s => %s (needed by %s)\n", l.name.c_str(), l.path.c_str(), l.needed_by.c_str());
  for (const std::string& n : plan->notes) dprintf(fd, "note: %s\n", n.c_str());
  for (const std::string& p : plan->preload) dprintf(fd, "preload: %s (from the container's %s)\n", p.c_str(), kPreloadFile);
}

// The container's /etc/ld.so.preload: ld.so loads what it lists into the
// host-glibc process and cannot be told not to; upstream's binary loads it too,
// so the handler does not refuse, but never mixes silently.
void say_preload(std::string_view file, const Plan& plan) {
  if (plan.preload.empty()) return;
  std::string libs;
  for (const std::string& p : plan.preload) libs += (libs.empty() ? "" : " ") + p;
  dprintf(STDERR_FILENO, "%s: %.*s: the container's %s makes the host's loader load: %s\n", kName,
          static_cast<int>(file.size()), file.data(), kPreloadFile, libs.c_str());
}

// The decision, shared by a real run and --explain.
struct Decision {
  ElfInfo info;
  Plan plan;
};

Decision decide(std::string_view file, int fd, const std::string& root, bool explicit_root) {
  // 1. Read the binary through the descriptor the kernel opened, as hostile input.
  // Only a verified file has its dynamic section read: what is not ours gets the
  // kernel's own reads (headers and PT_INTERP).
  auto info = probe_elf_fd(fd, ProbeDepth::dynamic_if_marked);
  if (!info) fail(kExitCannotRun, file, info.error().message);
  if (auto r = check_native_executable(*info); !r) fail(kExitCannotRun, file, r.error().message);

  // 2. Not verified as ours: behave as if there were no handler.
  if (info->marker != Marker::verified) {
    auto plan = plan_native(*info);
    if (!plan) fail(exit_code_for(plan.error().code), file, plan.error().message);
    return {std::move(*info), std::move(*plan)};
  }

  // 3. Ours: on the host run natively, in a container on the host's run-time.
  auto env = detect_environment(root, explicit_root, info->interp);
  if (!env) fail(kExitNotFound, file, env.error().message);
  auto plan = env->where == Where::host ? plan_native(*info) : plan_container(*info, *env);
  if (!plan) fail(exit_code_for(plan.error().code), file, plan.error().message);
  return {std::move(*info), std::move(*plan)};
}

int usage(int fd, int code) {
  dprintf(fd,
          "Usage: %s --explain [--root DIR] FILE\n"
          "       %s --help | --version\n"
          "\n"
          "The binfmt_misc interpreter of the toolbox binary. The kernel starts it for\n"
          "marked ELF files; inside a container it runs them on the host's loader and\n"
          "libraries found under /run/host, on the host it runs them natively.\n"
          "\n"
          "  --explain FILE   print the decision for FILE without running it\n"
          "  --root DIR       with --explain: take DIR as the host root (a container view)\n"
          "\n"
          "Environment: TOOLBOX_HANDLER_DEBUG=1 prints the decision to stderr on every run.\n"
          "\n"
          "Exit status: the program's own, or\n"
          "  2    bad usage of this command\n"
          "  126  the file was found but cannot be run (not a loadable ELF file for this\n"
          "       machine, corrupt, unreadable, or the loader could not be executed)\n"
          "  127  the host run-time was not found (no /run/host in a container, or the\n"
          "       loader or a needed library missing there)\n"
          "See toolbox-binfmt-handler(8).\n",
          kName, kName);
  return code;
}

int explain(int argc, char** argv) {
  std::string root = kDefaultHostRoot;
  bool explicit_root = false;
  const char* file = nullptr;
  for (int i = 2; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--root" && i + 1 < argc) {
      root = argv[++i];
      explicit_root = true;
    } else if (a.substr(0, 7) == "--root=") {
      root = std::string(a.substr(7));
      explicit_root = true;
    } else if (file == nullptr && !a.empty() && a.front() != '-') {
      file = argv[i];
    } else {
      dprintf(STDERR_FILENO, "%s: unexpected argument '%s'\n", kName, argv[i]);
      return usage(STDERR_FILENO, kExitUsage);
    }
  }
  if (file == nullptr) {
    dprintf(STDERR_FILENO, "%s: --explain needs a FILE\n", kName);
    return usage(STDERR_FILENO, kExitUsage);
  }
  auto opened = open_regular_at(AT_FDCWD, file);
  if (!opened) fail(exit_code_for(opened.error().code), file, opened.error().message);
  const int fd = *opened;
  Decision d = decide(file, fd, root, explicit_root);
  print_plan(STDOUT_FILENO, file, d.info, &d.plan);
  return 0;
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  // 1. Who started us? The kernel passes AT_EXECFD for entries with the O flag.
  errno = 0;
  const unsigned long execfd_raw = getauxval(AT_EXECFD);
  const bool has_execfd = errno == 0;
  if (has_execfd) {
    // The kernel installs it without close-on-exec; it must not reach toolbox.
    ::fcntl(static_cast<int>(execfd_raw), F_SETFD, FD_CLOEXEC);
  } else if (argc < 2 || argv[1][0] == '-') {
    // 2. Run by hand: the small command line.
    const std::string_view a = argc >= 2 ? argv[1] : "";
    if (a == "--help" || a == "-h") return usage(STDOUT_FILENO, 0);
    if (a == "--version") {
      dprintf(STDOUT_FILENO, "%s %s\n", kName, TOOLBOX_VERSION);
      return 0;
    }
    if (a == "--explain") return explain(argc, argv);
    if (argc >= 2) dprintf(STDERR_FILENO, "%s: unknown option '%s'\n", kName, argv[1]);
    return usage(STDERR_FILENO, kExitUsage);
  }

  // 3. Decode the kernel's argument vector.
  const std::optional<int> execfd =
      has_execfd ? std::optional<int>(static_cast<int>(execfd_raw)) : std::nullopt;
  struct utsname uts {};
  const bool reports_p = ::uname(&uts) != 0 || kernel_reports_preserve_argv0(uts.release);
  auto inv = decode_kernel_argv(argc, argv, execfd, getauxval(AT_FLAGS), reports_p);
  if (!inv) fail(kExitCannotRun, argc >= 2 ? argv[1] : "?", inv.error().message);
  const std::string file(inv->filename);

  // AT_SECURE: set-user-ID, set-group-ID or file capabilities took effect (with
  // the C flag the kernel takes them from the marked binary). The handler and the
  // loader it runs would then act with privileges on the caller's environment.
  if (getauxval(AT_SECURE) != 0)
    fail(kExitCannotRun, file, "started with privileges (AT_SECURE): the handler does not run a set-user-ID, "
                               "set-group-ID or capability-carrying binary");

  // 4. Without O we open the file ourselves (the entry was registered by someone else).
  int fd = -1;
  if (execfd) {
    fd = *execfd;
  } else {
    auto opened = open_regular_at(AT_FDCWD, file.c_str());
    if (!opened) fail(exit_code_for(opened.error().code), file, opened.error().message);
    fd = *opened;
  }

  Decision d = decide(file, fd, kDefaultHostRoot, false);
  if (debug_enabled()) {
    // Which handler file the kernel runs: with the F flag it is the one opened at
    // registration, which `toolbox binfmt status` compares with the installed one.
    char exe[4096] = {};
    struct stat st {};
    const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n >= 0 && ::stat("/proc/self/exe", &st) == 0)
      dprintf(STDERR_FILENO, "handler: %s %llu:%llu\n", exe, static_cast<unsigned long long>(st.st_dev),
              static_cast<unsigned long long>(st.st_ino));
    print_plan(STDERR_FILENO, file, d.info, &d.plan);
  }

  // 5. The loader opens the program again: it must be readable, not only executable.
  if (::faccessat(AT_FDCWD, file.c_str(), R_OK, AT_EACCESS) != 0)
    fail(kExitCannotRun, file,
         std::string("the loader cannot read it (") + std::strerror(errno) + "); make it readable");
  // The file that runs is the file verified: the loader opens our descriptor as
  // /proc/self/fd/N (where /proc is mounted), not the name, which may have been
  // replaced since. The descriptor stays open for that exec only; toolbox
  // closes it at start-up (toolbox/sys/self.cpp). A loader without --argv0 would
  // make that name the program's argv[0]: it gets the name, as before. Only a
  // verified file is toolbox, which closes it: any other program would keep the
  // descriptor and the variable for all its children, which it would not have
  // without the handler.
  char fd_link[32];
  std::snprintf(fd_link, sizeof fd_link, "/proc/self/fd/%d", fd);
  std::optional<int> program_fd;
  if (d.info.marker == Marker::verified && d.plan.loader_has_argv0 && ::access(fd_link, F_OK) == 0 &&
      ::fcntl(fd, F_SETFD, 0) == 0)
    program_fd = fd;
  else
    ::close(fd);

  say_preload(file, d.plan);

  // 6. Exec the loader; never the marked file itself, which would come back here.
  ExecVector x = build_exec(d.plan, *inv, envp, program_fd);
  std::vector<char*> cargv, cenvp;
  for (std::string& s : x.argv) cargv.push_back(s.data());
  cargv.push_back(nullptr);
  for (std::string& s : x.envp) cenvp.push_back(s.data());
  cenvp.push_back(nullptr);
  ::execve(x.path.c_str(), cargv.data(), cenvp.data());
  const int err = errno;
  fail(exit_code_for(err), file, "cannot execute the loader '" + x.path + "': " + std::strerror(err));
}
