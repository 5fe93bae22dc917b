// The host side of NVIDIA CDI (core/nvidia.h): the nvidia-ctk vector, the
// spec's environment, and generation through the process runner. No NVIDIA
// driver or nvidia-ctk runs on the test machines, so a stand-in script in
// $PATH prints the fixture spec (tests/data/cdi/) as `nvidia-ctk cdi generate`
// would, and a file of ours plays /proc/driver/nvidia/version.
#include <sys/stat.h>

#include "catch.h"

#include <cstdlib>

#include "core/nvidia.h"
#include "paths/runtime.h"
#include "test_dir.h"

#ifndef TOOLBOX_TEST_DATA
#error "TOOLBOX_TEST_DATA must name tests/data"
#endif

using namespace tbx::core;

namespace {

// Makes `dir` all of $PATH for the scope.
struct PathOnly {
  std::string old;
  explicit PathOnly(const std::string& dir) : old(std::getenv("PATH") ? std::getenv("PATH") : "") {
    ::setenv("PATH", dir.c_str(), 1);
  }
  ~PathOnly() { ::setenv("PATH", old.c_str(), 1); }
};

void fake_nvidia_ctk(TestDir& d, const std::string& body) {
  d.write("bin/nvidia-ctk", "#!/bin/sh\n" + body);
  REQUIRE(::chmod((d.path / "bin/nvidia-ctk").c_str(), 0755) == 0);
}

}  // namespace

TEST_CASE("nvidia-ctk's vector and the spec's path", "[nvidia]") {
  CHECK(nvidia_cdi_generate_argv() == Argv{"nvidia-ctk", "cdi", "generate", "--format=json"});
  CHECK(tbx::paths::cdi_spec_path(tbx::paths::toolbox_runtime_dir(1000, "/run/user/1000")) == "/run/user/1000/toolbox/cdi-nvidia.json");
  CHECK(tbx::paths::cdi_spec_path(tbx::paths::toolbox_runtime_dir(0, "/run/user/0")) == "/run/toolbox/cdi-nvidia.json");
}

TEST_CASE("the spec's environment: every edit's, each once", "[nvidia]") {
  auto spec = tbx::init::cdi::parse_spec(R"({"containerEdits": {"env": ["A=1", "B=2"]},
      "devices": [{"name": "0", "containerEdits": {"env": ["A=1", "C=3"]}}]})");
  REQUIRE(spec);
  CHECK(cdi_environment(*spec) == std::vector<std::string>{"A=1", "B=2", "C=3"});
}

TEST_CASE("generation: nothing without the driver or without nvidia-ctk", "[nvidia]") {
  TestDir d;
  fake_nvidia_ctk(d, "exit 99\n");
  PathOnly p((d.path / "bin").string());
  auto none = generate_nvidia_cdi_spec((d.path / "no-driver").string());
  REQUIRE(none);
  CHECK_FALSE(*none);

  d.write("version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.120\n");
  PathOnly empty((d.path / "empty").string());
  auto no_ctk = generate_nvidia_cdi_spec((d.path / "version").string());
  REQUIRE(no_ctk);
  CHECK_FALSE(*no_ctk);
}

TEST_CASE("generation through nvidia-ctk, saving, reading back", "[nvidia]") {
  TestDir d;
  d.write("version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.120\n");
  fake_nvidia_ctk(d, "[ \"$*\" = 'cdi generate --format=json' ] || exit 3\n"
                     "echo 'level=info msg=\"Auto-detected mode as nvml\"' >&2\n"
                     "exec /bin/cat '" TOOLBOX_TEST_DATA "/cdi/nvidia-ctk-1.17.json'\n");
  PathOnly p((d.path / "bin").string());
  auto spec = generate_nvidia_cdi_spec((d.path / "version").string());
  REQUIRE(spec);
  REQUIRE(*spec);
  CHECK((*spec)->env == std::vector<std::string>{"NVIDIA_VISIBLE_DEVICES=void"});
  CHECK((*spec)->json.find("\"kind\": \"nvidia.com/gpu\"") != std::string::npos);

  const std::string file = (d.path / "rt/toolbox/cdi-nvidia.json").string();
  REQUIRE(save_nvidia_cdi_spec(file, **spec));
  struct stat st;
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0644);
  CHECK(saved_cdi_environment(file) == std::vector<std::string>{"NVIDIA_VISIBLE_DEVICES=void"});
  CHECK(saved_cdi_environment((d.path / "none.json").string()).empty());
}

TEST_CASE("generation failures carry upstream's messages", "[nvidia]") {
  TestDir d;
  d.write("version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.120\n");
  PathOnly p((d.path / "bin").string());

  fake_nvidia_ctk(d, "echo 'failed to initialize NVML: Driver/library version mismatch' >&2\nexit 1\n");
  auto mismatch = generate_nvidia_cdi_spec((d.path / "version").string());
  REQUIRE_FALSE(mismatch);
  CHECK(mismatch.error().message ==
        "the proprietary NVIDIA driver's kernel and user space don't match\nCheck the host operating system and systemd journal.");

  fake_nvidia_ctk(d, "echo 'no devices' >&2\nexit 1\n");
  auto failed = generate_nvidia_cdi_spec((d.path / "version").string());
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message == "failed to generate Container Device Interface for NVIDIA: no devices");

  fake_nvidia_ctk(d, "echo '{'\n");
  auto garbage = generate_nvidia_cdi_spec((d.path / "version").string());
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().message == "failed to get Container Device Interface containerEdits for NVIDIA: not valid JSON");
}
