// The one process runner. It takes argument vectors only (never a shell string)
// and tells apart "could not start X" (an Error: "podman(1) not found") from
// "X ran and exited N" (data: ExitStatus).
#pragma once

#include <string>
#include <vector>

#include "toolbox/result.h"
#include "toolbox/unique_fd.h"

namespace tbx::core {

using Argv = std::vector<std::string>;

struct ExitStatus {
  int code = 0;       // exit code, or 128 + signal number
  int signal = 0;     // the terminating signal, 0 if it exited
  bool success() const { return code == 0 && signal == 0; }
};

struct RunOptions {
  bool capture_stdout = false;
  bool capture_stderr = false;
  bool discard_stderr = false;
  std::vector<std::string> extra_env;  // NAME=VALUE added to (or replacing in) our environment
  bool ignore_interrupts = false;      // parent ignores SIGINT/SIGQUIT while waiting, as system(3)
  // For a program that daemonises and outlives us: stdin, stdout and stderr
  // are /dev/null and no other descriptor is inherited, not even one our own
  // parent left without O_CLOEXEC. A daemon holding a pipe of whoever ran us
  // keeps it open forever: `$(toolbox run ...)` would never see end-of-file.
  // Overrides the capture and discard options.
  bool detach = false;
};

struct RunResult {
  ExitStatus status;
  std::string out;
  std::string err;
};

// A running child whose output we read while doing other things. Killed (SIGTERM)
// and reaped when it goes out of scope, so no child outlives its owner.
class Child {
 public:
  Child() = default;
  explicit Child(int pid) : pid_(pid) {}
  Child(Child&& o) noexcept : pid_(o.pid_) { o.pid_ = -1; }
  Child& operator=(Child&&) = delete;
  Child(const Child&) = delete;
  ~Child();
  ExitStatus wait();
  void terminate();
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
};

struct PipedChild {
  Child child;
  UniqueFd out, err;
};

// Starts argv with stdout and stderr on pipes, stdin from /dev/null.
tbx::Result<PipedChild> spawn_piped(const Argv& argv);

// One read of what is ready on a child's pipe, appended to `into` (or
// discarded); at end of file (or a read error) the pipe is closed and false
// returned. For the poll loops that wait on a PipedChild and on other things.
bool drain_pipe(UniqueFd& fd, std::string* into = nullptr);

// Looks `name` up in $PATH (or takes it as is when it has a '/').
tbx::Result<std::string> find_program(const std::string& name);

// Runs argv to completion. argv[0] is looked up in $PATH.
tbx::Result<RunResult> run(const Argv& argv, const RunOptions& options = {});

// Replaces this process with argv (execv); returns only on failure.
tbx::Result<void> exec_replace(const Argv& argv);

}  // namespace tbx::core
