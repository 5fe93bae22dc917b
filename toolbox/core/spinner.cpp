#include "core/spinner.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "sys/user.h"
#include "sys/write_all.h"

namespace tbx::core {

namespace {

using sys::write_all;

// A signal handler can reach nothing else: the terminal of the one spinner
// that runs (-1 when none) and the actions it replaced. Set before the
// handlers are installed, cleared after they are removed.
std::atomic<int> g_spinner_fd{-1};
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_old_actions[3];
bool g_installed[3];

// Async-signal-safe: write(2), sigaction(2), raise(3).
void on_signal(int sig) {
  const int saved_errno = errno;
  if (const int fd = g_spinner_fd.exchange(-1); fd >= 0) write_all(fd, kSpinnerEnd);
  for (std::size_t i = 0; i < std::size(kSignals); ++i)
    if (kSignals[i] == sig) ::sigaction(sig, &g_old_actions[i], nullptr);
  errno = saved_errno;
  ::raise(sig);  // now with the old action: the default one ends us
}

void install_handlers(int fd) {
  g_spinner_fd = fd;
  struct sigaction sa{};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (std::size_t i = 0; i < std::size(kSignals); ++i) {
    struct sigaction old{};
    ::sigaction(kSignals[i], nullptr, &old);
    // An ignored signal stays ignored (a caller that waits for a child).
    g_installed[i] = old.sa_handler != SIG_IGN && ::sigaction(kSignals[i], &sa, &g_old_actions[i]) == 0;
  }
}

void remove_handlers() {
  for (std::size_t i = 0; i < std::size(kSignals); ++i)
    if (g_installed[i]) ::sigaction(kSignals[i], &g_old_actions[i], nullptr);
  g_spinner_fd = -1;
}

bool colour_wanted() {
  const char* term = std::getenv("TERM");
  return std::getenv("NO_COLOR") == nullptr && (term == nullptr || std::strcmp(term, "dumb") != 0);
}

}  // namespace

std::string spinner_frame(std::string_view prefix, char c, bool colour) {
  std::string f = "\r\033[K\r";
  f += prefix;
  if (colour) f += "\033[37m";
  f += c;
  if (colour) f += "\033[0m";
  return f;
}

Spinner::Spinner(int fd, std::string prefix, bool enabled, std::chrono::milliseconds interval)
    : fd_(fd), prefix_(std::move(prefix)), colour_(colour_wanted()), interval_(interval) {
  if (!enabled || !sys::is_terminal(fd_) || g_spinner_fd >= 0) return;
  install_handlers(fd_);
  write_all(fd_, kSpinnerStart);
  thread_ = std::thread([this] { loop(); });
}

Spinner::~Spinner() { stop(); }

void Spinner::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  // A signal may have erased the line already; then it is not erased twice.
  if (g_spinner_fd.exchange(-1) >= 0) write_all(fd_, kSpinnerEnd);
  remove_handlers();
}

void Spinner::loop() {
  // The handler runs in the main thread only; it then takes the terminal
  // (g_spinner_fd to -1), and this thread draws no frame after it.
  sigset_t block;
  sigemptyset(&block);
  for (int sig : kSignals) sigaddset(&block, sig);
  ::pthread_sigmask(SIG_BLOCK, &block, nullptr);
  std::unique_lock<std::mutex> lock(mutex_);
  for (std::size_t i = 0; !stopping_ && g_spinner_fd >= 0; i = (i + 1) % kSpinnerChars.size()) {
    write_all(fd_, spinner_frame(prefix_, kSpinnerChars[i], colour_));
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace tbx::core
