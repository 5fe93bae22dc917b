// The spinner's frames, and what it writes to a pipe and to a pseudo-terminal
// (reference §3.2 step 7, §3.3).
#include "catch.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "core/spinner.h"

using namespace tbx::core;

TEST_CASE("spinner frames: upstream's bytes, char set 9 every 500 ms", "[spinner]") {
  CHECK(kSpinnerChars == "|/-\\");
  CHECK(kSpinnerInterval == std::chrono::milliseconds(500));
  CHECK(spinner_frame("Creating container x: ", '|', true) == "\r\033[K\rCreating container x: \033[37m|\033[0m");
  CHECK(spinner_frame("Pulling y: ", '\\', false) == "\r\033[K\rPulling y: \\");
  CHECK(kSpinnerStart == "\033[?25l");
  CHECK(kSpinnerEnd == "\033[?25h\r\033[K");
}

TEST_CASE("spinner: writes nothing when the descriptor is not a terminal", "[spinner]") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  {
    Spinner s(p[1], "Pulling x: ", true, std::chrono::milliseconds(1));
    CHECK(!s.active());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::close(p[1]);
  char c;
  CHECK(::read(p[0], &c, 1) == 0);
  ::close(p[0]);
}

TEST_CASE("spinner on a pseudo-terminal: hides the cursor, turns, erases its line", "[spinner]") {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  REQUIRE(master >= 0);
  REQUIRE(::grantpt(master) == 0);
  REQUIRE(::unlockpt(master) == 0);
  const int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  REQUIRE(slave >= 0);
  termios raw{};
  REQUIRE(::tcgetattr(slave, &raw) == 0);
  ::cfmakeraw(&raw);  // bytes as written, no CR/LF translation
  REQUIRE(::tcsetattr(slave, TCSANOW, &raw) == 0);
  {
    Spinner s(slave, "P: ", true, std::chrono::milliseconds(10));
    CHECK(s.active());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string got;
  char buf[4096];
  for (ssize_t n; (n = ::read(master, buf, sizeof buf)) > 0;) {
    got.append(buf, static_cast<std::size_t>(n));
    if (got.size() >= kSpinnerEnd.size() && got.compare(got.size() - kSpinnerEnd.size(), kSpinnerEnd.size(), kSpinnerEnd) == 0)
      break;
  }
  ::close(slave);
  ::close(master);
  REQUIRE(got.rfind(std::string(kSpinnerStart), 0) == 0);
  const bool colour = got.find("\033[37m") != std::string::npos;
  std::size_t at = kSpinnerStart.size();
  for (char c : {'|', '/', '-'}) {
    const std::string f = spinner_frame("P: ", c, colour);
    CHECK(got.compare(at, f.size(), f) == 0);
    at += f.size();
  }
  CHECK(got.compare(got.size() - kSpinnerEnd.size(), kSpinnerEnd.size(), kSpinnerEnd) == 0);
}
