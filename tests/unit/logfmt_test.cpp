// The entry point's log lines (core/logfmt.h), as `podman logs` shows them.
#include "catch.h"

#include "core/logfmt.h"

using namespace tbx::core;

TEST_CASE("parse_log_line: logfmt progress lines and plain error lines") {
  const LogLine d = parse_log_line(R"(level=debug msg="Creating /run/.toolboxenv")");
  CHECK(d.level == "debug");
  CHECK(d.msg == "Creating /run/.toolboxenv");
  const LogLine w = parse_log_line(R"(level=warning msg="Failed to update the time zone")");
  CHECK(w.level == "warning");
  const LogLine e = parse_log_line("Error: TOOLBX_FAIL_ENTRY_POINT is set");
  CHECK(e.level.empty());
  CHECK(e.msg == "TOOLBX_FAIL_ENTRY_POINT is set");
  const LogLine p = parse_log_line("This environment variable should only be set when testing.");
  CHECK(p.level.empty());
  CHECK(p.msg == "This environment variable should only be set when testing.");
}

TEST_CASE("add_entry_point_errors keeps the error lines only, in order") {
  std::string errors;
  add_entry_point_errors("level=info msg=\"x\"\nError: first\nsecond\n", errors);
  add_entry_point_errors("level=debug msg=\"y\"\nthird", errors);
  CHECK(errors == "first\nsecond\nthird");
}
