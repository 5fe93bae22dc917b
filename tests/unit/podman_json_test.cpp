// Podman's JSON, as recorded from podman 4.3.1 on Debian 12 (tests/data/podman/
// *-4.3.json, made by `podman import` of a Debian root, see list_rm_rmi.sh),
// and hand-made files in the shape of Podman 1.x (*-1.x-handmade.json: "ID",
// "Names" as a string, "Created" as a string, the state string in "Status"
// and a number in "State"; images with lower-case keys). Also the argument
// vectors of list, rm and rmi, to the byte.
#include <string>
#include <utility>
#include <vector>

#include "catch.h"

#include "core/list.h"
#include "core/podman.h"
#include "core/remove.h"
#include "fixture.h"

using namespace tbx::core;

TEST_CASE("podman 4.3 ps: IDs, first names, State strings, Unix times, labels", "[podman-json]") {
  auto ps = parse_ps_json(fixture("podman/ps-4.3.json"));
  REQUIRE(ps);
  REQUIRE(ps->size() == 3);
  const ContainerSummary& plain = (*ps)[0];
  CHECK(plain.id == "f7fb851ea9a3777315943f45f471b2ed635d5f6af031201f5a2de5756a0bb2a0");
  CHECK(plain.name == "fixture-plain-exited");
  CHECK(plain.image == "localhost/debian-plain:11");
  CHECK(plain.state == "exited");  // "Status" holds "Exited (0) 5 seconds ago"
  CHECK(plain.created == 1796105379);
  CHECK(plain.created_text.empty());
  CHECK(plain.labels.empty());  // "Labels": null
  CHECK_FALSE(is_toolbx(plain.labels));
  CHECK((*ps)[1].name == "fixture-toolbox-created");
  CHECK((*ps)[1].state == "created");
  CHECK(is_toolbx((*ps)[1].labels));
  CHECK((*ps)[2].name == "fixture-toolbox-running");
  CHECK((*ps)[2].state == "running");
  CHECK((*ps)[2].image == "localhost/debian-toolbox:bullseye");
}

TEST_CASE("podman 4.3 images: one entry per name, nameless images have no Names", "[podman-json]") {
  auto images = parse_images_json(fixture("podman/images-4.3.json"));
  REQUIRE(images);
  REQUIRE(images->size() == 4);
  const ImageSummary& nameless = (*images)[0];
  CHECK(nameless.id == "62b58d1391c8582e89e0c80a4efc638bdbbd996f01ca0d7bf0ecf26e7e3e0ecd");
  CHECK(nameless.names.empty());
  CHECK(nameless.labels == Labels{{"com.github.debarshiray.toolbox", "true"}});
  CHECK(is_toolbx(nameless.labels));
  CHECK((*images)[1].names == std::vector<std::string>{"localhost/debian-plain:11"});
  CHECK_FALSE(is_toolbx((*images)[1].labels));
  // The image with two names comes twice, with the same ID and both names.
  CHECK((*images)[2].id == (*images)[3].id);
  CHECK((*images)[3].names == std::vector<std::string>{"localhost/debian-toolbox:11", "localhost/debian-toolbox:bullseye"});
  CHECK((*images)[2].created == 1796105366);
  CHECK((*images)[2].created_text.empty());
}

TEST_CASE("podman 4.3 inspect: container labels, image labels, the empty answer for a missing object", "[podman-json]") {
  auto toolbx = parse_container_inspect_json(fixture("podman/inspect-container-toolbox-4.3.json"));
  REQUIRE(toolbx);
  CHECK(toolbx->name == "fixture-toolbox-running");
  CHECK(toolbx->running);
  CHECK(toolbx->state == "running");
  CHECK(is_toolbx(toolbx->labels));
  auto plain = parse_container_inspect_json(fixture("podman/inspect-container-plain-4.3.json"));
  REQUIRE(plain);
  CHECK(plain->state == "exited");
  CHECK_FALSE(plain->running);
  CHECK_FALSE(is_toolbx(plain->labels));

  auto image = parse_image_labels_json(fixture("podman/inspect-image-toolbox-4.3.json"));
  REQUIRE(image);
  CHECK(is_toolbx(*image));
  auto plain_image = parse_image_labels_json(fixture("podman/inspect-image-plain-4.3.json"));
  REQUIRE(plain_image);
  CHECK_FALSE(is_toolbx(*plain_image));
  auto tags = parse_image_repo_tags_json(fixture("podman/inspect-image-toolbox-4.3.json"));
  REQUIRE(tags);
  CHECK(*tags == std::vector<std::string>{"localhost/debian-toolbox:11", "localhost/debian-toolbox:bullseye"});

  // `podman inspect` of a missing container prints "[]" and exits 125.
  auto missing = parse_container_inspect_json(fixture("podman/inspect-missing-4.3.json"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ENOENT);
}

TEST_CASE("Podman 1.x ps: ID, Names as a string, Created as a string, the state in Status", "[podman-json]") {
  auto ps = parse_ps_json(fixture("podman/ps-1.x-handmade.json"));
  REQUIRE(ps);
  REQUIRE(ps->size() == 3);
  const ContainerSummary& c = (*ps)[0];
  CHECK(c.id == "a5d3c26c8c8c6b3f0f27e3b6e1d8c3f2d1e0b9a8f7e6d5c4b3a2918f7e6d5c4b");
  CHECK(c.name == "fedora-toolbox-31");
  CHECK(c.state == "Up 3 hours ago");  // "State" is a number there
  CHECK(c.created == 0);
  CHECK(c.created_text == "2 weeks ago");
  CHECK(is_toolbx(c.labels));
  CHECK_FALSE(is_toolbx((*ps)[1].labels));
  CHECK((*ps)[2].state == "Created");
  CHECK((*ps)[2].created_text == "About an hour ago");
}

TEST_CASE("ps: a Created number past int64 is no time, not undefined behaviour", "[podman-json]") {
  // fuzz/podman_ps found the float case (UBSan: outside the range of 'long').
  for (const char* created : {"5.59633e+79", "-1e300", "18446744073709551615", "1.5e9"}) {
    INFO(created);
    auto ps = parse_ps_json(std::string(R"([{"Id": "a", "Names": ["x"], "Created": )") + created + "}]");
    REQUIRE(ps);
    REQUIRE(ps->size() == 1);
    CHECK((*ps)[0].created == (std::string(created) == "1.5e9" ? 1500000000 : 0));
  }
}

TEST_CASE("inspect: State.Pid is a PID or 0, never negative or wrapped", "[podman-json]") {
  // The run cache and the readiness wait use it as a PID (fuzz/podman_inspect's invariant).
  for (const auto& [pid, want] : std::vector<std::pair<std::string, int>>{
           {"1234", 1234}, {"0", 0}, {"-5", 0}, {"4294967295", 0}, {"2147483648", 0}, {"2147483647", 2147483647}}) {
    INFO(pid);
    auto c = parse_container_inspect_json(R"([{"Id": "a", "Name": "x", "State": {"Pid": )" + pid + "}}]");
    REQUIRE(c);
    CHECK(c->pid == want);
  }
}

TEST_CASE("Podman 1.x images: lower-case keys, Created as a string", "[podman-json]") {
  auto images = parse_images_json(fixture("podman/images-1.x-handmade.json"));
  REQUIRE(images);
  REQUIRE(images->size() == 3);
  CHECK((*images)[0].id == "4a6adf1f2a96adf5ea0c02b61f9fa574306f77fc522f39c2ce6bb164daead882");
  CHECK((*images)[0].created_text == "2019-11-06T11:36:10.586442Z");
  CHECK((*images)[0].created == 0);
  CHECK(is_toolbx((*images)[0].labels));
  CHECK((*images)[1].names.size() == 2);
  CHECK_FALSE(is_toolbx((*images)[2].labels));
}

TEST_CASE("broken and empty podman JSON", "[podman-json]") {
  CHECK_FALSE(parse_ps_json("[{"));
  CHECK_FALSE(parse_ps_json("{}"));
  CHECK_FALSE(parse_images_json("not json"));
  auto none = parse_ps_json("null");  // taken as no containers
  REQUIRE(none);
  CHECK(none->empty());
  auto empty = parse_images_json("[]");
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("labels: either label, and only the value true", "[podman-json]") {
  CHECK(is_toolbx({{"com.github.containers.toolbox", "true"}}));
  CHECK(is_toolbx({{"com.github.debarshiray.toolbox", "true"}}));
  CHECK_FALSE(is_toolbx({{"com.github.containers.toolbox", "false"}}));
  CHECK_FALSE(is_toolbx({{"com.github.containers.toolbox", "TRUE"}}));
  CHECK_FALSE(is_toolbx({{"com.redhat.component", "fedora-toolbox"}}));
  CHECK_FALSE(is_toolbx({}));
}

TEST_CASE("argument vectors of list, rm and rmi", "[argv]") {
  Podman p;
  CHECK(podman_images_argv(p) == Argv{"podman", "--log-level", "error", "images", "--format", "json"});
  CHECK(podman_ps_argv(p) ==
        Argv{"podman", "--log-level", "error", "ps", "--all", "--format", "json", "--sort", "names"});
  CHECK(podman_rm_argv(p, false, "box") == Argv{"podman", "--log-level", "error", "rm", "box"});
  CHECK(podman_rm_argv(p, true, "box") == Argv{"podman", "--log-level", "error", "rm", "--force", "box"});
  CHECK(podman_rmi_argv(p, false, "localhost/x:1") == Argv{"podman", "--log-level", "error", "rmi", "localhost/x:1"});
  CHECK(podman_rmi_argv(p, true, "2ff412fa2d50") ==
        Argv{"podman", "--log-level", "error", "rmi", "--force", "2ff412fa2d50"});
  CHECK(podman_inspect_argv(p, ObjectKind::container, "box") ==
        Argv{"podman", "--log-level", "error", "inspect", "--format", "json", "--type", "container", "box"});
  CHECK(podman_inspect_argv(p, ObjectKind::image, "img") ==
        Argv{"podman", "--log-level", "error", "inspect", "--format", "json", "--type", "image", "img"});
  p.log_level = "debug";  // --log-podman
  CHECK(podman_rm_argv(p, true, "box") == Argv{"podman", "--log-level", "debug", "rm", "--force", "box"});
}

TEST_CASE("podman rm and rmi exit statuses", "[remove]") {
  auto status = [](int code, int signal = 0) {
    ExitStatus s;
    s.code = code;
    s.signal = signal;
    return s;
  };
  CHECK(removal_status(ObjectKind::container, status(0), "box"));
  auto message = [&](ObjectKind k, ExitStatus s, const std::string& name) {
    auto r = removal_status(k, s, name);
    REQUIRE_FALSE(r);
    return r.error().message;
  };
  CHECK(message(ObjectKind::container, status(1), "box") == "container box not found");
  CHECK(message(ObjectKind::container, status(2), "box") == "container box is running");
  CHECK(message(ObjectKind::container, status(125), "box") == "failed to remove container box");
  CHECK(message(ObjectKind::container, status(130, 2), "box") == "failed to remove container box");
  CHECK(message(ObjectKind::image, status(1), "img") == "image img not found");
  CHECK(message(ObjectKind::image, status(2), "img") == "image img has dependent children");
  CHECK(message(ObjectKind::image, status(125), "img") == "failed to remove image img");
}

#include "core/exec_argv.h"
#include "core/forward.h"

TEST_CASE("forwarding to the host: flatpak-spawn with the allowlist", "[forward]") {
  const char* env[] = {"HOME=/home/u", "SECRET=1", "TERM=xterm", "DISPLAY=", nullptr};
  const auto kept = tbx::core::preserved_environment(env);
  CHECK(kept == std::vector<std::string>{"DISPLAY=", "HOME=/home/u", "TERM=xterm"});
  CHECK(tbx::core::forward_argv("flatpak-spawn", "/usr/bin/toolbox", kept, {"list", "-c"}) ==
        tbx::core::Argv{"flatpak-spawn", "--env=DISPLAY=", "--env=HOME=/home/u", "--env=TERM=xterm", "--host",
                        "/usr/bin/toolbox", "list", "-c"});
}
