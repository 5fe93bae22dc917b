// toolbox-test-userns COMMAND...: runs COMMAND in a new user and mount
// namespace where UIDs and GIDs 0-65535 map to themselves (unshare -r maps
// only 0, and newuidmap refuses root an identity range). Run as real root:
// the parent writes the maps, which needs CAP_SETUID in the parent namespace.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

bool write_file(const std::string& path, const char* text) {
  const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = write(fd, text, std::strlen(text)) == static_cast<ssize_t>(std::strlen(text));
  close(fd);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "Usage: toolbox-test-userns COMMAND...\n");
    return 2;
  }
  int to_child[2], to_parent[2];
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(to_parent, O_CLOEXEC) != 0) return 1;
  const pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid == 0) {
    char c = 0;
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
      std::perror("toolbox-test-userns: unshare");
      _exit(1);
    }
    (void)!write(to_parent[1], "u", 1);
    if (read(to_child[0], &c, 1) != 1 || c != 'm') _exit(1);
    // Our own mounts stay ours.
    mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    execvp(argv[1], argv + 1);
    std::perror("toolbox-test-userns: exec");
    _exit(127);
  }
  char c = 0;
  if (read(to_parent[0], &c, 1) != 1) return 1;
  const std::string proc = "/proc/" + std::to_string(pid);
  const bool ok = write_file(proc + "/uid_map", "0 0 65536") && write_file(proc + "/gid_map", "0 0 65536");
  (void)!write(to_child[1], ok ? "m" : "x", 1);
  if (!ok) std::perror("toolbox-test-userns: writing the maps");
  int st = 0;
  while (waitpid(pid, &st, 0) < 0) {
  }
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
