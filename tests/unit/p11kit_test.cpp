// The p11-kit server of enter and run (reference §5.1 step 7): its argv and
// environment entry to the byte, and ensure_p11kit_server() against a fake
// p11-kit on PATH that records how it was started.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catch.h"
#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/exec_argv.h"
#include "core/p11kit.h"
#include "paths/runtime.h"
#include "test_dir.h"
#include "toolbox/unique_fd.h"

using namespace tbx::core;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Sets PATH for one test and restores it.
struct ScopedPath {
  std::string old;
  explicit ScopedPath(const std::string& path) {
    const char* p = std::getenv("PATH");
    old = p != nullptr ? p : "";
    ::setenv("PATH", path.c_str(), 1);
  }
  ~ScopedPath() { ::setenv("PATH", old.c_str(), 1); }
};

// A p11-kit that logs its arguments and its descriptors (where each points)
// to $dir/log, exits with $P11KIT_FAKE_STATUS, and, exiting 0, creates the
// --name file (stat(2) is all the check needs) unless $P11KIT_FAKE_NO_SOCKET
// is set.
void write_fake_p11kit(TestDir& d) {
  d.write("bin/p11-kit",
          "#!/bin/sh\n"
          "log=" + (d.path / "log").string() + "\n"
          "echo run >>\"$log\"\n"
          "printf 'arg %s\\n' \"$@\" >>\"$log\"\n"
          // In a command substitution: a redirection of the loop would change
          // the shell's own descriptors while they are listed.
          "fds=$(for f in /proc/$$/fd/*; do echo \"fd ${f##*/} $(readlink \"$f\")\"; done)\n"
          "echo \"$fds\" >>\"$log\"\n"
          "echo \"cwd $(pwd)\" >>\"$log\"\n"
          "echo \"sigign $(grep '^SigIgn:' /proc/$$/status | cut -f2)\" >>\"$log\"\n"
          "[ \"${P11KIT_FAKE_STATUS:-0}\" != 0 ] || [ -n \"$P11KIT_FAKE_NO_SOCKET\" ] || : >\"$3\"\n"
          "exit \"${P11KIT_FAKE_STATUS:-0}\"\n");
  ::chmod((d.path / "bin/p11-kit").c_str(), 0755);
}

}  // namespace

TEST_CASE("p11-kit server: the argv and the exec environment entry", "[p11kit]") {
  CHECK(p11kit_server_argv("/run/user/1000/toolbox/pkcs11") ==
        Argv{"p11-kit", "server", "--name", "/run/user/1000/toolbox/pkcs11", "--provider", "p11-kit-trust.so",
             "pkcs11:model=p11-kit-trust?write-protected=yes"});
  CHECK(p11kit_server_address_env("/run/toolbox/pkcs11") == "P11_KIT_SERVER_ADDRESS=unix:path=/run/toolbox/pkcs11");
}

TEST_CASE("p11-kit server: socket and lock in the toolbox runtime directory", "[p11kit]") {
  CHECK(tbx::paths::toolbox_runtime_dir(1000, "/run/user/1000") == "/run/user/1000/toolbox");
  CHECK(tbx::paths::toolbox_runtime_dir(0, "/run/user/0") == "/run/toolbox");
  CHECK(tbx::paths::p11kit_socket_path(tbx::paths::toolbox_runtime_dir(1000, "/run/user/1000")) == "/run/user/1000/toolbox/pkcs11");
  CHECK(tbx::paths::p11kit_lock_path(tbx::paths::toolbox_runtime_dir(0, "/run/user/0")) == "/run/toolbox/pkcs11.lock");
}

TEST_CASE("podman exec: P11_KIT_SERVER_ADDRESS after the preserved variables", "[exec][p11kit]") {
  ExecSpec s;
  s.env = {"HOME=/home/u", "TERM=xterm"};
  s.p11kit_socket = "/run/user/1000/toolbox/pkcs11";
  s.user = "u";
  s.workdir = "/home/u";
  s.container = "c";
  s.login = true;
  s.command = {"true"};
  CHECK(podman_exec_argv(s) ==
        Argv{"podman", "--log-level", "error", "exec", "--detach-keys", "", "--env=HOME=/home/u", "--env=TERM=xterm",
             "--env=P11_KIT_SERVER_ADDRESS=unix:path=/run/user/1000/toolbox/pkcs11", "--interactive",
             "--preserve-fds", "0", "--user", "u", "--workdir", "/home/u", "c", "capsh", "--caps=", "--", "--login",
             "-c", "exec \"$@\"", "bash", "true"});
}

TEST_CASE("p11-kit server: started once, detached, without the lock", "[p11kit]") {
  TestDir d;
  write_fake_p11kit(d);
  ScopedPath path((d.path / "bin").string() + ":/usr/bin:/bin");
  // Made by ensure_p11kit_server(), as on the first command since boot.
  const std::string rt = (d.path / "rt/toolbox").string();
  const std::string socket = rt + "/pkcs11";
  // A descriptor our own parent could leave us without O_CLOEXEC.
  int p[2];
  REQUIRE(::pipe(p) == 0);
  tbx::UniqueFd leak_r(p[0]), leak_w(p[1]);
  struct stat pipe_st;
  REQUIRE(::fstat(leak_w.get(), &pipe_st) == 0);
  const std::string leaked = "pipe:[" + std::to_string(pipe_st.st_ino) + "]";

  // A caller that ignores SIGINT (as run does around a child) and sits in a
  // directory the daemon must not keep busy.
  struct sigaction ignore{}, old_int{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGINT, &ignore, &old_int);
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(d.path);
  const auto started = ensure_p11kit_server(rt);
  std::filesystem::current_path(cwd);
  ::sigaction(SIGINT, &old_int, nullptr);
  CHECK(started == std::optional<std::string>(socket));
  struct stat st;
  REQUIRE(::stat(rt.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  const std::string log = slurp(d.path / "log");
  INFO("the fake p11-kit's log:\n" << log << "the leaked pipe: " << leaked);
  CHECK(log.find("arg server\narg --name\narg " + socket +
                 "\narg --provider\narg p11-kit-trust.so\narg pkcs11:model=p11-kit-trust?write-protected=yes\n") !=
        std::string::npos);
  // A daemon must hold none of our pipes, nor the lock.
  CHECK(log.find("fd 0 /dev/null\n") != std::string::npos);
  CHECK(log.find("fd 1 /dev/null\n") != std::string::npos);
  CHECK(log.find("fd 2 /dev/null\n") != std::string::npos);
  CHECK(log.find(leaked) == std::string::npos);
  CHECK(log.find("pkcs11.lock") == std::string::npos);
  // Nor our working directory, nor the signals we ignore.
  CHECK(log.find("cwd /\n") != std::string::npos);
  const std::size_t ign = log.find("sigign ");
  REQUIRE(ign != std::string::npos);
  CHECK((std::stoull(log.substr(ign + 7, 16), nullptr, 16) & (1ULL << (SIGINT - 1))) == 0);

  // The warm path: the socket is there, nothing is started.
  CHECK(ensure_p11kit_server(rt) == std::optional<std::string>(socket));
  CHECK(slurp(d.path / "log") == log);
}

TEST_CASE("p11-kit server: missing or failing means no variable", "[p11kit]") {
  TestDir d;
  write_fake_p11kit(d);
  const std::string rt = (d.path / "rt").string();
  d.mkdir("rt");
  {
    ScopedPath path((d.path / "nowhere").string());
    CHECK_FALSE(ensure_p11kit_server(rt).has_value());
  }
  ScopedPath path((d.path / "bin").string() + ":/usr/bin:/bin");
  ::setenv("P11KIT_FAKE_STATUS", "1", 1);
  CHECK_FALSE(ensure_p11kit_server(rt).has_value());
  ::unsetenv("P11KIT_FAKE_STATUS");
  ::setenv("P11KIT_FAKE_NO_SOCKET", "1", 1);
  CHECK_FALSE(ensure_p11kit_server(rt).has_value());
  ::unsetenv("P11KIT_FAKE_NO_SOCKET");
  CHECK(ensure_p11kit_server(rt) == std::optional<std::string>(rt + "/pkcs11"));
}
