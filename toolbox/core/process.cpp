#include "core/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "toolbox/unique_fd.h"

extern char** environ;

namespace tbx::core {

namespace {

std::string program_name(const std::string& p) {
  const std::size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

bool is_executable_file(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

std::vector<char*> c_argv(const Argv& argv) {
  std::vector<char*> v;
  v.reserve(argv.size() + 1);
  for (const std::string& s : argv) v.push_back(const_cast<char*>(s.c_str()));
  v.push_back(nullptr);
  return v;
}

}  // namespace

Child::~Child() {
  if (pid_ > 0) {
    terminate();
    wait();
  }
}

void Child::terminate() {
  if (pid_ > 0) ::kill(pid_, SIGTERM);
}

ExitStatus Child::wait() {
  ExitStatus es;
  if (pid_ <= 0) return es;
  int st = 0;
  while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (WIFEXITED(st)) es.code = WEXITSTATUS(st);
  if (WIFSIGNALED(st)) {
    es.signal = WTERMSIG(st);
    es.code = 128 + es.signal;
  }
  return es;
}

tbx::Result<PipedChild> spawn_piped(const Argv& argv) {
  if (argv.empty()) return make_error(EINVAL, "empty command");
  TBX_TRY(const std::string exe, find_program(argv[0]), "running " + argv[0]);
  int o[2], e[2];
  if (::pipe2(o, O_CLOEXEC) != 0) return make_error(errno, std::string("pipe: ") + std::strerror(errno));
  UniqueFd out_r(o[0]), out_w(o[1]);
  if (::pipe2(e, O_CLOEXEC) != 0) return make_error(errno, std::string("pipe: ") + std::strerror(errno));
  UniqueFd err_r(e[0]), err_w(e[1]);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_w.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, err_w.get(), STDERR_FILENO);
  std::vector<char*> cargv = c_argv(argv);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, exe.c_str(), &fa, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return make_error(rc, program_name(argv[0]) + "(1) could not be started: " + std::strerror(rc));
  return PipedChild{Child(pid), std::move(out_r), std::move(err_r)};
}

bool drain_pipe(UniqueFd& fd, std::string* into) {
  char buf[8192];
  const ssize_t n = ::read(fd.get(), buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) {
    fd.reset();
    return false;
  }
  if (into != nullptr) into->append(buf, static_cast<std::size_t>(n));
  return true;
}

tbx::Result<std::string> find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (is_executable_file(name)) return name;
    return make_error(ENOENT, program_name(name) + "(1) not found");
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t colon = dirs.find(':', start);
    if (colon == std::string::npos) colon = dirs.size();
    std::string dir = dirs.substr(start, colon - start);
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + name;
    if (is_executable_file(candidate)) return candidate;
    start = colon + 1;
  }
  return make_error(ENOENT, name + "(1) not found");
}

tbx::Result<RunResult> run(const Argv& argv, const RunOptions& options) {
  if (argv.empty()) return make_error(EINVAL, "empty command");
  TBX_TRY(const std::string exe, find_program(argv[0]), "running " + argv[0]);

  int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  if (options.capture_stdout && !options.detach && ::pipe2(out_pipe, O_CLOEXEC) != 0)
    return make_error(errno, std::string("pipe: ") + std::strerror(errno));
  UniqueFd out_r(out_pipe[0]), out_w(out_pipe[1]);
  if (options.capture_stderr && !options.detach && ::pipe2(err_pipe, O_CLOEXEC) != 0)
    return make_error(errno, std::string("pipe: ") + std::strerror(errno));
  UniqueFd err_r(err_pipe[0]), err_w(err_pipe[1]);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (options.detach) {
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    // glibc 2.34: close_range(2) in the child (a walk of /proc/self/fd before Linux 5.9).
    posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
    // Nor our working directory: a daemon there would keep a removable disk busy.
    posix_spawn_file_actions_addchdir_np(&fa, "/");
  }
  // A daemon also gets default signal dispositions and an empty mask, not
  // what the caller happened to ignore or block.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  if (options.detach) {
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  if (out_w) posix_spawn_file_actions_adddup2(&fa, out_w.get(), STDOUT_FILENO);
  if (err_w) posix_spawn_file_actions_adddup2(&fa, err_w.get(), STDERR_FILENO);
  else if (options.discard_stderr && !options.detach)
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> cargv = c_argv(argv);
  // The child's environment: ours, with extra_env replacing variables of the same name.
  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view var(*e);
    const std::string_view name = var.substr(0, var.find('='));
    bool replaced = false;
    for (const std::string& x : options.extra_env)
      if (std::string_view(x).substr(0, x.find('=')) == name) replaced = true;
    if (!replaced) env_storage.emplace_back(var);
  }
  for (const std::string& x : options.extra_env) env_storage.push_back(x);
  std::vector<char*> cenv = c_argv(env_storage);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, exe.c_str(), &fa, &attr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return make_error(rc, program_name(argv[0]) + "(1) could not be started: " + std::strerror(rc));
  Child child(pid);
  // The terminal's SIGINT reaches the whole foreground group; the child decides.
  struct sigaction ignore{}, old_int{}, old_quit{};
  ignore.sa_handler = SIG_IGN;
  if (options.ignore_interrupts) {
    ::sigaction(SIGINT, &ignore, &old_int);
    ::sigaction(SIGQUIT, &ignore, &old_quit);
  }
  out_w.reset();
  err_w.reset();

  RunResult result;
  // Read both pipes together so neither child stream can fill up and block.
  std::vector<pollfd> fds;
  if (out_r) fds.push_back({out_r.get(), POLLIN, 0});
  if (err_r) fds.push_back({err_r.get(), POLLIN, 0});
  while (!fds.empty()) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size();) {
      if (fds[i].revents == 0) {
        ++i;
        continue;
      }
      char buf[65536];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (fds[i].fd == out_r.get() ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
        ++i;
      } else if (n < 0 && errno == EINTR) {
        ++i;
      } else {
        fds.erase(fds.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  result.status = child.wait();
  if (options.ignore_interrupts) {
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGQUIT, &old_quit, nullptr);
  }
  return result;
}

tbx::Result<void> exec_replace(const Argv& argv) {
  if (argv.empty()) return make_error(EINVAL, "empty command");
  TBX_TRY(const std::string exe, find_program(argv[0]), "running " + argv[0]);
  std::vector<char*> cargv = c_argv(argv);
  ::execv(exe.c_str(), cargv.data());
  return make_error(errno, "cannot execute " + exe + ": " + std::strerror(errno));
}

}  // namespace tbx::core
