// The text of a file under tests/data (TOOLBOX_TEST_DATA), for the parsers'
// tests; a missing fixture fails the test.
#pragma once

#include "catch.h"

#include <string>

#include "sys/fs.h"

#ifndef TOOLBOX_TEST_DATA
#error "TOOLBOX_TEST_DATA must name tests/data"
#endif

inline std::string fixture(const std::string& rel) {
  auto text = tbx::sys::read_file(std::string(TOOLBOX_TEST_DATA) + "/" + rel);
  INFO(rel << ": " << (text ? "" : text.error().message));
  REQUIRE(text);
  return *text;
}
