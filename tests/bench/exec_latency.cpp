// toolbox-bench-exec: the wall time of whole exec-to-exit runs of a few commands,
// measured side by side so that they share the machine's state.
//
//   toolbox-bench-exec [-n ROUNDS] -- LABEL CMD [ARG...] [-- LABEL CMD [ARG...]]...
//
// The commands run round-robin, ROUNDS times each (default 200) after 10
// warm-up rounds, each through posix_spawnp(3) and waitpid(2), with stdin,
// stdout and stderr on /dev/null; the clock is CLOCK_MONOTONIC around the pair.
// Per label it prints the median, 10th and 90th percentile in microseconds, and
// for each command after the first its median's ratio to the first one's and
// the difference of the medians. An argument "--" always separates commands.
//
// It prints figures and never judges them. Exit status: 0 when every run exited
// 0; 1 when a command could not be started, exited non-zero or was killed;
// 2 for bad usage. It is linked statically, so that it also runs in old roots
// (chroot) and its own start-up costs the same everywhere.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace {

constexpr int kWarmupRounds = 10;
constexpr int kDefaultRounds = 200;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct Command {
  std::string label;
  std::vector<char*> argv;      // NULL-terminated, pointing into main's argv
  std::vector<double> micros;   // one per measured round
};

int usage(std::FILE* out, int code) {
  std::fprintf(out,
               "Usage: toolbox-bench-exec [-n ROUNDS] -- LABEL CMD [ARG...] [-- LABEL CMD [ARG...]]...\n"
               "\n"
               "Runs the commands round-robin, ROUNDS times each (default %d) after %d warm-up\n"
               "rounds, and prints the median, p10 and p90 wall time of each in microseconds;\n"
               "every command after the first is compared with the first.\n"
               "\n"
               "Exit status: 0, or 1 when a command failed to start or exited non-zero,\n"
               "2 for bad usage.\n",
               kDefaultRounds, kWarmupRounds);
  return code;
}

double now_micros() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// One run; the elapsed microseconds, or a negative value after printing why it failed.
double run_once(const Command& c, const posix_spawn_file_actions_t* actions) {
  const double start = now_micros();
  pid_t pid;
  const int err = ::posix_spawnp(&pid, c.argv[0], actions, nullptr, c.argv.data(), environ);
  if (err != 0) {
    std::fprintf(stderr, "toolbox-bench-exec: %s: cannot start '%s': %s\n", c.label.c_str(), c.argv[0],
                 std::strerror(err));
    return -1;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      std::fprintf(stderr, "toolbox-bench-exec: waitpid: %s\n", std::strerror(errno));
      return -1;
    }
  }
  const double elapsed = now_micros() - start;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return elapsed;
  if (WIFEXITED(status))
    std::fprintf(stderr, "toolbox-bench-exec: %s: '%s' exited with status %d\n", c.label.c_str(), c.argv[0],
                 WEXITSTATUS(status));
  else
    std::fprintf(stderr, "toolbox-bench-exec: %s: '%s' was killed by signal %d\n", c.label.c_str(), c.argv[0],
                 WTERMSIG(status));
  return -1;
}

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& sorted, double p) {
  std::size_t rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.5);
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

double median(const std::vector<double>& sorted) {
  const std::size_t n = sorted.size();
  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

}  // namespace

int main(int argc, char** argv) {
  // 1. Options, then the commands, each introduced by "--".
  int rounds = kDefaultRounds;
  int i = 1;
  for (; i < argc && std::string_view(argv[i]) != "--"; ++i) {
    const std::string_view a = argv[i];
    if (a == "-h" || a == "--help") return usage(stdout, 0);
    if (a == "-n" && i + 1 < argc) {
      char* end = nullptr;
      const long n = std::strtol(argv[++i], &end, 10);
      if (*argv[i] == '\0' || *end != '\0' || n < 1 || n > 1000000) {
        std::fprintf(stderr, "toolbox-bench-exec: -n wants a number of rounds from 1 to 1000000\n");
        return usage(stderr, kExitUsage);
      }
      rounds = static_cast<int>(n);
      continue;
    }
    std::fprintf(stderr, "toolbox-bench-exec: unexpected argument '%s'\n", argv[i]);
    return usage(stderr, kExitUsage);
  }
  std::vector<Command> commands;
  for (; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--") {
      commands.emplace_back();
      continue;
    }
    if (commands.back().label.empty())
      commands.back().label = argv[i];
    else
      commands.back().argv.push_back(argv[i]);
  }
  if (commands.empty()) return usage(stderr, kExitUsage);
  for (Command& c : commands) {
    if (c.label.empty() || c.argv.empty()) {
      std::fprintf(stderr, "toolbox-bench-exec: every '--' needs a LABEL and a command\n");
      return usage(stderr, kExitUsage);
    }
    c.argv.push_back(nullptr);
    c.micros.reserve(static_cast<std::size_t>(rounds));
  }

  // 2. The children's stdin, stdout and stderr: /dev/null, opened once.
  const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) {
    std::fprintf(stderr, "toolbox-bench-exec: /dev/null: %s\n", std::strerror(errno));
    return kExitFailed;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (int fd = 0; fd <= 2; ++fd) posix_spawn_file_actions_adddup2(&actions, null_fd, fd);

  // 3. Round-robin, so that every command sees the same caches and frequencies.
  for (int round = 0; round < kWarmupRounds + rounds; ++round) {
    for (Command& c : commands) {
      const double t = run_once(c, &actions);
      if (t < 0) return kExitFailed;
      if (round >= kWarmupRounds) c.micros.push_back(t);
    }
  }
  posix_spawn_file_actions_destroy(&actions);
  ::close(null_fd);

  // 4. The figures.
  std::printf("%d rounds after %d warm-up rounds, commands interleaved\n", rounds, kWarmupRounds);
  std::printf("%-24s %12s %12s %12s\n", "label", "median (us)", "p10 (us)", "p90 (us)");
  std::vector<double> medians;
  for (Command& c : commands) {
    std::sort(c.micros.begin(), c.micros.end());
    medians.push_back(median(c.micros));
    std::printf("%-24s %12.1f %12.1f %12.1f\n", c.label.c_str(), medians.back(), percentile(c.micros, 10),
                percentile(c.micros, 90));
  }
  for (std::size_t k = 1; k < commands.size(); ++k)
    std::printf("%s vs %s: ratio %.3f, median difference %+.3f ms\n", commands[k].label.c_str(),
                commands[0].label.c_str(), medians[k] / medians[0], (medians[k] - medians[0]) / 1000.0);
  return 0;
}
