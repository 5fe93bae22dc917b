// libFuzzer targets over what toolbox reads from other programs and files: one
// source, one executable per target (TOOLBOX_FUZZ_TARGET picks it), so that
// each gets its own corpus (tests/fuzz/corpus/<target>/) and its own budget.
//   podman_ps, podman_images, podman_inspect  podman's --format json output
//   skopeo                                    skopeo inspect's JSON (the download prompt's size)
//   cdi                                       a CDI spec, through make_plan() (init-container runs it as root)
//   config                                    toolbox.conf(5) text
//   kernel_argv                               the argv binfmt_misc gives the handler
// The invariants come from the format's own rule (RFC 8259, the kernel's
// fs/binfmt_misc.c, the CDI spec's absolute paths), not from the code under test.
// A broken one is a __builtin_trap(); ASan and UBSan catch the rest.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "core/download_prompt.h"
#include "core/list_format.h"
#include "core/podman.h"
#include "init/cdi.h"
#include "kernel_argv.h"

namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz-%s: %s\n", TOOLBOX_FUZZ_TARGET_NAME, what);
  __builtin_trap();
}

// RFC 8259: a parser that accepts a document accepts only valid JSON, checked
// by nlohmann's validating accept() (no DOM built, a separate code path from parse()).
void expect_valid_json(const std::string& text) {
  if (!nlohmann::json::accept(text)) broken("a parser accepted text that is not JSON");
}

[[maybe_unused]] void fuzz_podman_ps(const std::string& text) {
  auto r = tbx::core::parse_ps_json(text);
  if (!r) return;
  expect_valid_json(text);
}

[[maybe_unused]] void fuzz_podman_images(const std::string& text) {
  auto r = tbx::core::parse_images_json(text);
  if (!r) return;
  expect_valid_json(text);
}

[[maybe_unused]] void fuzz_podman_inspect(const std::string& text) {
  auto r = tbx::core::parse_container_inspect_json(text);
  if (!r) return;
  expect_valid_json(text);
  // State.Pid is a host PID or 0: never negative (the run cache and the
  // readiness wait use it as a PID).
  if (r->pid < 0) broken("a negative State.Pid");
}

[[maybe_unused]] void fuzz_skopeo(const std::string& text) {
  const auto size = tbx::core::parse_skopeo_size(text);
  if (!size) return;
  expect_valid_json(text);
  // A size the prompt can print: a positive, finite number of bytes.
  if (!std::isfinite(*size) || *size <= 0) broken("a size that is not a positive finite number");
  (void)tbx::core::human_size(*size);
}

// The CDI spec: container paths are absolute (CDI spec, "containerPath ...
// must be an absolute path"); whatever make_plan() accepts must be so.
[[maybe_unused]] void fuzz_cdi(const std::string& text) {
  auto spec = tbx::init::cdi::parse_spec(text);
  if (!spec) return;
  expect_valid_json(text);
  (void)tbx::init::cdi::all_edits(*spec);
  auto plan = tbx::init::cdi::make_plan(tbx::init::cdi::applied_edits(*spec));
  if (!plan) {
    if (plan.error().message.empty()) broken("make_plan failed without a message");
    return;
  }
  for (const auto& m : plan->mounts)
    if (m.target.empty() || m.target.front() != '/') broken("a planned mount with a relative target");
  for (const auto& s : plan->symlinks)
    if (s.link.empty() || s.link.front() != '/') broken("a planned symlink at a relative path");
  (void)tbx::init::cdi::ld_so_conf_text(plan->ld_folders);
}

// toolbox.conf: a later file wins key by key, so merging text over itself
// gives what merging it once does, and a failed merge says which file.
[[maybe_unused]] void fuzz_config(const std::string& text) {
  tbx::core::ConfigValues base{"base-distro", "base-release", "base-image"};
  auto once = tbx::core::merge_config_text(base, text, "fuzz.conf");
  if (!once) {
    if (once.error().message.find("fuzz.conf") == std::string::npos) broken("a config error that does not name the file");
    return;
  }
  auto twice = tbx::core::merge_config_text(*once, text, "fuzz.conf");
  if (!twice) broken("text merged once fails the second time");
  if (twice->distro != once->distro || twice->release != once->release || twice->image != once->image)
    broken("merging the same text twice changed the result");
}

// Input: a flags byte (bit 0: AT_FLAGS_PRESERVE_ARGV0, bit 1: an AT_EXECFD),
// then NUL-separated strings as argv. fs/binfmt_misc.c builds
// [interpreter, filename, argv0 (with P), argv[1..]]: checked against that.
[[maybe_unused]] void fuzz_kernel_argv(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;
  const unsigned long at_flags = data[0] & 1u;
  const std::optional<int> execfd = (data[0] & 2u) != 0 ? std::optional<int>(3) : std::nullopt;
  std::vector<std::string> strings;
  std::string cur;
  for (std::size_t i = 1; i < size && strings.size() < 64; ++i) {
    if (data[i] == 0) {
      strings.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(static_cast<char>(data[i]));
    }
  }
  if (size > 1 && strings.size() < 64) strings.push_back(cur);
  std::vector<char*> argv;
  for (std::string& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  const int argc = static_cast<int>(strings.size());
  auto r = handler::decode_kernel_argv(argc, argv.data(), execfd, at_flags);
  const bool has_filename = argc >= 2 && !strings[1].empty();
  if (r.ok() != has_filename) broken("decoded without a filename, or refused one");
  if (!r.ok()) return;
  if (r->filename != strings[1]) broken("filename is not argv[1]");
  if (r->execfd != execfd) broken("AT_EXECFD not passed through");
  const bool preserved = at_flags != 0 && argc >= 3;
  if (r->argv0_preserved != preserved) broken("argv0_preserved wrong");
  const int first = preserved ? 3 : 2;
  if (r->argv0 != (preserved ? strings[2] : strings[1])) broken("argv0 wrong");
  if (r->args.size() != static_cast<std::size_t>(argc - first)) broken("wrong number of arguments");
  for (std::size_t i = 0; i < r->args.size(); ++i)
    if (std::string_view(r->args[i]) != strings[first + i]) broken("an argument changed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
#if TOOLBOX_FUZZ_TARGET == 0
  fuzz_podman_ps(text);
#elif TOOLBOX_FUZZ_TARGET == 1
  fuzz_podman_images(text);
#elif TOOLBOX_FUZZ_TARGET == 2
  fuzz_podman_inspect(text);
#elif TOOLBOX_FUZZ_TARGET == 3
  fuzz_skopeo(text);
#elif TOOLBOX_FUZZ_TARGET == 4
  fuzz_cdi(text);
#elif TOOLBOX_FUZZ_TARGET == 5
  fuzz_config(text);
#elif TOOLBOX_FUZZ_TARGET == 6
  (void)text;
  fuzz_kernel_argv(data, size);
#else
#error "TOOLBOX_FUZZ_TARGET: 0 to 6"
#endif
  return 0;
}
