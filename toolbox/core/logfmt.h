// The entry point's log lines as `podman logs` shows them: logrus's logfmt
// (level=debug msg="...") for its progress, plain "Error: ..." lines for its
// failure. enter and run relay the former and report the latter.
#pragma once

#include <string>

namespace tbx::core {

struct LogLine {
  std::string level;  // empty: not a log line, so an error of the entry point
  std::string msg;
};

LogLine parse_log_line(const std::string& line);

// Logs the line at its own level (debug when unknown), prefixed "> ".
void relay_log_line(const LogLine& l);

// Appends the error lines of `text` (one per line) to `errors`.
void add_entry_point_errors(const std::string& text, std::string& errors);

}  // namespace tbx::core
