#include "core/nvidia.h"

#include <spdlog/spdlog.h>

#include <set>

#include "sys/fs.h"

namespace tbx::core {

Argv nvidia_cdi_generate_argv() { return {"nvidia-ctk", "cdi", "generate", "--format=json"}; }


std::vector<std::string> cdi_environment(const init::cdi::Spec& spec) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& e : init::cdi::all_edits(spec).env)
    if (seen.insert(e).second) out.push_back(e);
  return out;
}

Result<std::optional<NvidiaCdiSpec>> generate_nvidia_cdi_spec(const std::string& driver_version_file) {
  if (!sys::path_exists(driver_version_file)) {
    spdlog::debug("Generating Container Device Interface for NVIDIA: no {}, skipping", driver_version_file);
    return std::optional<NvidiaCdiSpec>();
  }
  const Argv argv = nvidia_cdi_generate_argv();
  if (!find_program(argv[0])) {
    spdlog::debug("Generating Container Device Interface for NVIDIA: {} not found, skipping", argv[0]);
    return std::optional<NvidiaCdiSpec>();
  }
  RunOptions o;
  o.capture_stdout = true;
  o.capture_stderr = true;
  auto r = run(argv, o);
  if (!r) return make_error(r.error().code, "failed to generate Container Device Interface for NVIDIA: " + r.error().message);
  if (!r->status.success()) {
    spdlog::debug("Generating Container Device Interface for NVIDIA: {} exited with {}: {}", argv[0], r->status.code, r->err);
    // NVML's text for NVML_ERROR_LIB_RM_VERSION_MISMATCH, which nvidia-ctk passes on.
    if (r->err.find("Driver/library version mismatch") != std::string::npos)
      return make_error(EIO, "the proprietary NVIDIA driver's kernel and user space don't match\n"
                             "Check the host operating system and systemd journal.");
    // nvidia-ctk says why on its last line; without it the user cannot tell.
    std::string why = r->err;
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    why = why.substr(why.rfind('\n') + 1);
    if (why.empty()) why = argv[0] + " exited with " + std::to_string(r->status.code);
    return make_error(EIO, "failed to generate Container Device Interface for NVIDIA: " + why);
  }
  auto spec = init::cdi::parse_spec(r->out);
  if (!spec) return with_context(std::move(spec).error(), "failed to get Container Device Interface containerEdits for NVIDIA");
  return std::optional<NvidiaCdiSpec>(NvidiaCdiSpec{std::move(r->out), cdi_environment(*spec)});
}

Result<void> save_nvidia_cdi_spec(const std::string& path, const NvidiaCdiSpec& spec) {
  const std::string dir = path.substr(0, path.rfind('/'));
  if (auto r = sys::make_dirs(dir, 0700); !r)
    return with_context(std::move(r).error(), "failed to write Container Device Interface to file");
  if (auto r = sys::write_file_atomic(path, spec.json, 0644); !r)
    return with_context(std::move(r).error(), "failed to write Container Device Interface to file");
  return {};
}

std::vector<std::string> saved_cdi_environment(const std::string& path) {
  const auto text = sys::read_file(path);
  if (!text) return {};
  const auto spec = init::cdi::parse_spec(*text);
  if (!spec) return {};
  return cdi_environment(*spec);
}

}  // namespace tbx::core
