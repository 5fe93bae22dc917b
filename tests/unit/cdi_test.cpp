// The NVIDIA CDI spec of init-container step 15 (init/cdi.h), on hand-made
// specs in tests/data/cdi/ written from the CDI format and the shape of
// `nvidia-ctk cdi generate --format=json` output (1.17: nvidia-cdi-hook; 1.14
// and older: "nvidia-ctk hook"), and broken variants named after what they break.
#include <sys/mount.h>

#include "catch.h"

#include <algorithm>

#include "fixture.h"
#include "init/cdi.h"

using namespace tbx::init::cdi;

namespace {

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

bool has_note(const Plan& p, const std::string& part) {
  return std::any_of(p.notes.begin(), p.notes.end(), [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

Plan plan_of(const std::string& json) {
  auto spec = parse_spec(json);
  REQUIRE(spec);
  auto plan = make_plan(applied_edits(*spec));
  REQUIRE(plan);
  return *plan;
}

tbx::Error plan_error(const std::string& json) {
  auto spec = parse_spec(json);
  REQUIRE(spec);
  auto plan = make_plan(applied_edits(*spec));
  REQUIRE_FALSE(plan);
  return plan.error();
}

}  // namespace

TEST_CASE("nvidia-ctk 1.17 spec: fields of the spec, the devices and the edits", "[cdi]") {
  auto spec = parse_spec(fixture("cdi/nvidia-ctk-1.17.json"));
  REQUIRE(spec);
  CHECK(spec->cdi_version == "0.5.0");
  CHECK(spec->kind == "nvidia.com/gpu");
  REQUIRE(spec->devices.size() == 3);
  CHECK(spec->devices[0].name == "0");
  CHECK(spec->devices[2].name == "all");
  CHECK(spec->devices[0].edits.device_nodes.size() == 3);
  CHECK(spec->devices[0].edits.hooks.size() == 2);
  CHECK(spec->edits.env == std::vector<std::string>{"NVIDIA_VISIBLE_DEVICES=void"});
  REQUIRE(spec->edits.mounts.size() == 10);
  const Mount& m = spec->edits.mounts[3];
  CHECK(m.host_path == "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.550.120");
  CHECK(m.container_path == "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.550.120");
  CHECK(m.type.empty());
  CHECK(m.options == std::vector<std::string>{"ro", "nosuid", "nodev", "bind"});
  REQUIRE(spec->edits.hooks.size() == 3);
  CHECK(spec->edits.hooks[2].hook_name == "createContainer");
  CHECK(spec->edits.hooks[2].path == "/usr/bin/nvidia-cdi-hook");
  CHECK(spec->edits.hooks[2].args[1] == "update-ldcache");

  const ContainerEdits all = all_edits(*spec);
  CHECK(all.device_nodes.size() == 4 + 3 * 3);
  CHECK(all.hooks.size() == 3 + 2 + 1 + 1);
}

TEST_CASE("nvidia-ctk 1.17 spec: the plan", "[cdi]") {
  const Plan p = plan_of(fixture("cdi/nvidia-ctk-1.17.json"));
  REQUIRE(p.mounts.size() == 10);
  CHECK(p.mounts[3].source == "/run/host/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.550.120");
  CHECK(p.mounts[3].target == "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.550.120");
  CHECK(p.mounts[3].flags.set == (MS_RDONLY | MS_NOSUID | MS_NODEV));
  CHECK(p.mounts[3].flags.clear == 0);
  CHECK(p.mounts[3].flags.propagation == 0);
  CHECK(p.mounts[3].flags.ignored.empty());
  CHECK(p.mounts[6].target == "/run/nvidia-persistenced/socket");
  CHECK(p.mounts[6].flags.set == (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));

  // The three libraries of the top-level hook; not the devices' DRM links
  // under /dev, which is the host's (as upstream, only top-level edits apply).
  REQUIRE(p.symlinks.size() == 3);
  CHECK(p.symlinks[0].target == "libcuda.so.1");
  CHECK(p.symlinks[0].link == "/usr/lib/x86_64-linux-gnu/libcuda.so");
  for (const auto& l : p.symlinks) CHECK(l.link.rfind("/dev/", 0) != 0);

  CHECK(p.update_ldcache);
  CHECK(p.ld_folders == std::vector<std::string>{"/usr/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu/vdpau"});

  // Only logged: hooks we do not implement, and the device nodes.
  CHECK(has_note(p, "enable-cuda-compat"));
  CHECK_FALSE(has_note(p, "chmod"));  // a device's hook
  CHECK(has_note(p, "device node /dev/nvidiactl"));
}

TEST_CASE("older nvidia-ctk hook form, duplicate ldcache folders", "[cdi]") {
  const Plan p = plan_of(fixture("cdi/duplicate-ldcache-folders.json"));
  CHECK(p.update_ldcache);
  CHECK(p.ld_folders ==
        std::vector<std::string>{"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/x86_64-linux-gnu/vdpau"});
  REQUIRE(p.symlinks.size() == 1);
  CHECK(p.symlinks[0].link == "/usr/lib64/libcuda.so");

  CHECK(ld_so_conf_text({"/usr/lib64", "/usr/lib", "/usr/lib64"}) ==
        "# Written by Toolbx\n# https://containertoolbx.org/\n\n/usr/lib64\n/usr/lib\n");
}

TEST_CASE("ldconfig's argument vector", "[cdi]") {
  const std::vector<std::string> dirs = {"/usr/lib64", "/opt/nvidia"};
  CHECK(ldconfig_argv(true, true, dirs) == tbx::core::Argv{"ldconfig"});
  CHECK(ldconfig_argv(false, true, dirs) == tbx::core::Argv{"ldconfig", "-N"});
  CHECK(ldconfig_argv(true, false, dirs) == tbx::core::Argv{"ldconfig", "/usr/lib64", "/opt/nvidia"});
  CHECK(ldconfig_argv(false, false, dirs) == tbx::core::Argv{"ldconfig", "-N", "/usr/lib64", "/opt/nvidia"});
}

TEST_CASE("unloadable specs: empty, null, bad JSON, wrong types", "[cdi]") {
  CHECK_FALSE(parse_spec(fixture("cdi/empty.json")));
  CHECK(parse_spec(fixture("cdi/empty.json")).error().message == "missing data");
  CHECK_FALSE(parse_spec(" \n"));
  CHECK_FALSE(parse_spec("null"));
  CHECK_FALSE(parse_spec("[]"));
  CHECK_FALSE(parse_spec(fixture("cdi/bad-json.json")));
  CHECK(parse_spec(fixture("cdi/bad-json.json")).error().message == "not valid JSON");
  auto wrong = parse_spec(R"({"containerEdits": {"mounts": {"hostPath": "/a"}}})");
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().message == "spec.containerEdits.mounts is not an array");
  auto wrong_arg = parse_spec(R"({"devices": [{"name": "0", "containerEdits": {"hooks": [{"args": ["x", 1]}]}}]})");
  REQUIRE_FALSE(wrong_arg);
  CHECK(wrong_arg.error().message == "spec.devices[0].containerEdits.hooks[0].args holds a non-string");
  // Fields of newer CDI versions are not ours to refuse.
  CHECK(parse_spec(R"({"cdiVersion": "1.1.0", "annotations": {"a": "b"}, "containerEdits": {"netDevices": []}})"));
}

TEST_CASE("invalid mounts", "[cdi]") {
  const tbx::Error e = plan_error(fixture("cdi/mount-without-container-path.json"));
  CHECK(e.message ==
        std::string(kInvalidMount) + ": empty containerPath (hostPath /usr/bin/nvidia-smi)");
  CHECK(starts_with(plan_error(R"({"containerEdits": {"mounts": [{"containerPath": "/x"}]}})").message, kInvalidMount));
}

TEST_CASE("mount types and options", "[cdi]") {
  const Plan p = plan_of(R"({"containerEdits": {"mounts": [
      {"hostPath": "tmpfs", "containerPath": "/a", "type": "tmpfs"},
      {"hostPath": "relative/dir", "containerPath": "/b", "type": "bind", "options": ["rbind", "ro", "rw", "rprivate", "z"]},
      {"hostPath": "/c", "containerPath": "/b"}]}})");
  REQUIRE(p.mounts.size() == 1);  // tmpfs ignored; the second /b is a repeat
  CHECK(has_note(p, "unknown mount type tmpfs"));
  CHECK(p.mounts[0].source == "/run/host/relative/dir");
  CHECK(p.mounts[0].flags.set == 0);
  CHECK(p.mounts[0].flags.clear == MS_RDONLY);
  CHECK(p.mounts[0].flags.propagation == (MS_PRIVATE | MS_REC));
  CHECK(p.mounts[0].flags.ignored == std::vector<std::string>{"z"});
}

TEST_CASE("invalid hooks", "[cdi]") {
  const tbx::Error bad_link = plan_error(fixture("cdi/hook-bad-link.json"));
  CHECK(bad_link.message == std::string(kSymlinksFailed) +
                                ": invalid --link argument: libcuda.so.1:/usr/lib/x86_64-linux-gnu/libcuda.so not in "
                                "'<target>::<link>' format");
  auto hook = [](const std::string& fields) { return R"({"containerEdits": {"hooks": [{)" + fields + "}]}}"; };
  CHECK(plan_error(hook(R"("hookName": "createContainer", "path": "/h", "args": ["nvidia-cdi-hook", "create-symlinks", "--link", "a::b"])"))
            .message == std::string(kSymlinksFailed) + ": invalid --link argument: link b is not an absolute path");
  CHECK(plan_error(hook(R"("hookName": "createContainer", "path": "/h", "args": ["nvidia-cdi-hook", "create-symlinks", "--link"])"))
            .message == std::string(kSymlinksFailed) + ": missing --link argument");
  CHECK(plan_error(hook(R"("hookName": "createContainer", "path": "/h", "args": ["nvidia-cdi-hook", "update-ldcache", "--folder"])"))
            .message == std::string(kLdcacheFailed) + ": missing --folder argument");
  CHECK(plan_error(hook(R"("hookName": "onCreate", "path": "/h")")).message ==
        std::string(kInvalidHook) + ": hook name 'onCreate' is not an OCI hook");
  CHECK(plan_error(hook(R"("hookName": "createContainer")")).message ==
        std::string(kInvalidHook) + ": createContainer hook with an empty path");
  CHECK(starts_with(plan_error(hook(R"("hookName": "prestart", "path": "/h", "env": ["NOEQUALS"])")).message, kInvalidHook));

  // Valid but not ours: other hook names, other programs, other subcommands.
  const Plan p = plan_of(R"({"containerEdits": {"hooks": [
      {"hookName": "prestart", "path": "/h", "args": ["nvidia-cdi-hook", "update-ldcache", "--folder", "/x"]},
      {"hookName": "createContainer", "path": "/h", "args": ["other-hook", "create-symlinks", "--link", "a::/b"]},
      {"hookName": "createContainer", "path": "/h", "args": ["nvidia-ctk", "create-symlinks", "--link", "a::/b"]},
      {"hookName": "createContainer", "path": "/h"}]}})");
  CHECK(p.symlinks.empty());
  CHECK_FALSE(p.update_ldcache);
  CHECK(p.notes.size() == 4);
  CHECK(has_note(p, "unknown hook name prestart"));
}

TEST_CASE("paths a spec makes init-container create: absolute, clean, not the host's", "[cdi]") {
  auto mount_to = [](const std::string& path) {
    return R"({"cdiVersion": "0.5.0", "kind": "nvidia.com/gpu", "containerEdits": {"mounts": [{"hostPath": "/h", "containerPath": ")" +
           path + R"("}]}})";
  };
  auto link_at = [](const std::string& path) {
    return R"({"cdiVersion": "0.5.0", "kind": "nvidia.com/gpu", "containerEdits": {"hooks": [{"hookName": "createContainer", "path": "/h", "args": ["nvidia-cdi-hook", "create-symlinks", "--link", "t::)" +
           path + R"("]}]}})";
  };
  auto folder = [](const std::string& path) {
    return R"({"cdiVersion": "0.5.0", "kind": "nvidia.com/gpu", "containerEdits": {"hooks": [{"hookName": "createContainer", "path": "/h", "args": ["nvidia-cdi-hook", "update-ldcache", "--folder", ")" +
           path + R"("]}]}})";
  };
  CHECK(plan_of(mount_to("/usr/lib/libx.so")).mounts.size() == 1);
  CHECK(plan_error(mount_to("usr/lib/libx.so")).message.find("not an absolute path") != std::string::npos);
  CHECK(plan_error(mount_to("/usr/lib/../../etc/shadow")).message.find("'..' component") != std::string::npos);
  CHECK(plan_error(mount_to("/run/host/etc/passwd")).message.find("host's file system") != std::string::npos);
  CHECK(plan_error(mount_to("/run/host")).message.find("host's file system") != std::string::npos);
  CHECK(plan_of(mount_to("/run/hostname")).mounts.size() == 1);
  CHECK(plan_error(link_at("/run/host/usr/lib/x")).message.find("invalid --link argument") != std::string::npos);
  CHECK(plan_error(link_at("/usr/./lib/x")).message.find("'.' component") != std::string::npos);
  CHECK(plan_error(folder("/usr/lib\\ninclude /tmp/*.conf")).message.find("newline") != std::string::npos);
  CHECK(plan_error(folder("lib")).message.find("invalid --folder argument") != std::string::npos);
}
