// NVIDIA on the host side of enter and run (reference §5.1 steps 6 and 8): a
// Container Device Interface spec of the host's driver, handed to the entry
// point in <runtime dir>/toolbox/cdi-nvidia.json before the container starts,
// and its environment added to `podman exec`.
//
// Upstream Toolbx generates the spec with NVML through nvidia-container-toolkit's
// Go packages. We link no NVML; NVIDIA's own `nvidia-ctk cdi generate` writes
// the same kind of spec, so we run it when the proprietary driver is loaded
// and nvidia-ctk is installed. Anything else is "platform unsupported", which
// upstream, too, passes over in silence.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/process.h"
#include "init/cdi.h"
#include "toolbox/result.h"

namespace tbx::core {

// Present while the proprietary NVIDIA kernel module is loaded.
inline constexpr char kNvidiaDriverVersionFile[] = "/proc/driver/nvidia/version";

// The spec as JSON on stdout; its progress lines go to stderr.
Argv nvidia_cdi_generate_argv();

// The environment entries of every edit of the spec, each once.
std::vector<std::string> cdi_environment(const init::cdi::Spec& spec);

struct NvidiaCdiSpec {
  std::string json;              // as nvidia-ctk wrote it
  std::vector<std::string> env;  // cdi_environment() of it
};

// std::nullopt without the driver (no `driver_version_file`) or without
// nvidia-ctk in $PATH. Errors carry upstream's messages.
Result<std::optional<NvidiaCdiSpec>> generate_nvidia_cdi_spec(const std::string& driver_version_file = kNvidiaDriverVersionFile);

// Writes the spec for the entry point (atomically, 0644), creating the
// runtime directory if needed.
Result<void> save_nvidia_cdi_spec(const std::string& path, const NvidiaCdiSpec& spec);

// The environment of the spec a running container was started with; empty
// when there is none or it does not parse (the entry point then failed).
std::vector<std::string> saved_cdi_environment(const std::string& path);

}  // namespace tbx::core
