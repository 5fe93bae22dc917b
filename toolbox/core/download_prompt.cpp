#include "core/download_prompt.h"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "core/list_format.h"
#include "sys/write_all.h"

namespace tbx::core {

namespace {

using sys::write_all;

// Replaces the prompt line (and whatever the user has typed on it) with
// `prompt`. Typed-ahead input is discarded, as upstream does: with echo off
// for the moment of the switch, nothing typed then lands in the middle of
// the new line.
void rewrite_prompt(int in, int out, const std::string& prompt) {
  termios saved{};
  const bool tty = ::tcgetattr(in, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
    quiet.c_cc[VMIN] = 1;
    quiet.c_cc[VTIME] = 0;
    ::tcsetattr(in, TCSANOW, &quiet);
    ::tcflush(in, TCIFLUSH);
  }
  write_all(out, "\r\033[K" + prompt);
  if (tty) {
    ::tcflush(in, TCIFLUSH);
    ::tcsetattr(in, TCSANOW, &saved);
  }
}

// skopeo as a child whose output is gathered while the prompt waits.
struct SizeQuery {
  std::optional<PipedChild> child;
  std::string out;
};

}  // namespace

std::string download_prompt(const std::string& image, std::optional<double> size) {
  return "Download " + image + " (" + (size ? human_size(*size) : std::string(" ... MB")) + ")? [y/N]: ";
}

Argv skopeo_inspect_argv(const std::string& image) {
  return {"skopeo", "inspect", "--format", "json", "docker://" + image};
}

std::optional<double> parse_skopeo_size(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("LayersData") || !j["LayersData"].is_array()) return std::nullopt;
  double total = 0;
  for (const auto& l : j["LayersData"])
    if (l.is_object() && l.contains("Size") && l["Size"].is_number()) total += l["Size"].get<double>();
  if (!(total > 0)) return std::nullopt;
  return total;
}

std::optional<bool> parse_yes_no(const std::string& line) {
  const std::size_t b = line.find_first_not_of(" \t\r");
  const std::size_t e = line.find_last_not_of(" \t\r");
  std::string a = b == std::string::npos ? "" : line.substr(b, e - b + 1);
  for (char& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (a == "y" || a == "yes") return true;
  if (a.empty() || a == "n" || a == "no") return false;
  return std::nullopt;
}

Result<bool> ask_for_download(const std::string& image) {
  const int in = STDIN_FILENO, out = STDOUT_FILENO;
  std::fflush(stdout);
  write_all(out, kDownloadHeader);
  std::optional<double> size;
  write_all(out, download_prompt(image, size));

  SizeQuery q;
  if (auto c = spawn_piped(skopeo_inspect_argv(image)))
    q.child.emplace(std::move(*c));
  else
    spdlog::debug("Not asking skopeo for the size of {}: {}", image, c.error().message);

  std::string typed;
  for (;;) {
    pollfd fds[3] = {{in, POLLIN, 0}, {-1, POLLIN, 0}, {-1, POLLIN, 0}};
    if (q.child) {
      fds[1].fd = q.child->out ? q.child->out.get() : -1;
      fds[2].fd = q.child->err ? q.child->err.get() : -1;
    }
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return make_error(errno, std::string("waiting for an answer: ") + std::strerror(errno));
    }
    if (q.child) {
      if (fds[1].revents != 0) drain_pipe(q.child->out, &q.out);
      if (fds[2].revents != 0) drain_pipe(q.child->err);  // skopeo's complaints: no registry, ...
      if (!q.child->out && !q.child->err) {
        const ExitStatus st = q.child->child.wait();
        q.child.reset();
        if (st.success()) size = parse_skopeo_size(q.out);
        spdlog::debug("skopeo inspect of {}: exit {}, size {}", image, st.code, size ? human_size(*size) : "unknown");
        if (size) rewrite_prompt(in, out, download_prompt(image, size));
      }
    }
    if (fds[0].revents == 0) continue;
    char buf[256];
    const ssize_t n = ::read(in, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {  // end of input: no
      write_all(out, "\n");
      return false;
    }
    typed.append(buf, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = typed.find('\n')) != std::string::npos;) {
      const std::string line = typed.substr(0, nl);
      typed.erase(0, nl + 1);
      if (auto answer = parse_yes_no(line)) return *answer;  // ~SizeQuery ends a skopeo still running
      write_all(out, download_prompt(image, size));
    }
  }
}

}  // namespace tbx::core
