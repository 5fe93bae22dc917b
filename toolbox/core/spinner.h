// The spinner Toolbx shows while `podman pull` and `podman create` run
// (reference §3.2 step 7, §3.3): briandowns/spinner v1.23 with its char set 9,
// a frame every 500 ms, on stdout, only when stdout is a terminal. Its bytes
// were recorded from Debian's podman-toolbox 0.0.99.3 on a terminal:
//   ESC[?25l                                        hide the cursor, once
//   CR ESC[K CR <prefix> ESC[37m <char> ESC[0m      each frame
//   ESC[?25h CR ESC[K                               at the end: the line is gone
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace tbx::core {

inline constexpr std::string_view kSpinnerChars = "|/-\\";
inline constexpr std::chrono::milliseconds kSpinnerInterval{500};

// One frame, as written (pure; colour as fatih/color does it: off with
// NO_COLOR or TERM=dumb).
std::string spinner_frame(std::string_view prefix, char c, bool colour);
inline constexpr std::string_view kSpinnerStart = "\033[?25l";
inline constexpr std::string_view kSpinnerEnd = "\033[?25h\r\033[K";

// Animates `prefix` on fd from construction to stop() or destruction, in a
// thread of its own (the caller is blocked in the process runner meanwhile).
// Writes nothing at all when fd is not a terminal or `enabled` is false. While
// it spins, SIGINT, SIGTERM and SIGHUP first erase the line and show the
// cursor again, then act as before (the terminal sends SIGINT to podman and
// us alike; a cursor left hidden would outlive us).
class Spinner {
 public:
  Spinner(int fd, std::string prefix, bool enabled = true,
          std::chrono::milliseconds interval = kSpinnerInterval);
  ~Spinner();
  Spinner(const Spinner&) = delete;
  Spinner& operator=(const Spinner&) = delete;

  // Stops the animation and erases the line; idempotent.
  void stop();
  bool active() const { return thread_.joinable(); }

 private:
  void loop();

  int fd_;
  std::string prefix_;
  bool colour_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tbx::core
