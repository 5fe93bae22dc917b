// Distro, release, image and container-name rules of Toolbx (reference §3.1),
// with the exact hints users see.
#include "catch.h"

#include "core/distro.h"
#include "core/image_ref.h"

using namespace tbx::core;

namespace {

std::string hint(const std::string& distro, const std::string& release) {
  auto r = parse_release(distro, release);
  return r ? "ok:" + *r : r.error().message;
}

const HostOs kDebian12{"debian", "12"};
const HostOs kFedora40{"fedora", "40"};
const HostOs kUnknown{"gentoo", "2.15"};

}  // namespace

TEST_CASE("release rules per distro", "[distro]") {
  CHECK(hint("fedora", "40") == "ok:40");
  CHECK(hint("fedora", "f36") == "ok:36");
  CHECK(hint("fedora", "F36") == "ok:36");
  CHECK(hint("fedora", "0") == "The release must be a positive integer.");
  CHECK(hint("fedora", "-1") == "The release must be a positive integer.");
  CHECK(hint("fedora", "rawhide") == "The release must be a positive integer.");
  CHECK(hint("rhel", "8.10") == "ok:8.10");
  CHECK(hint("rhel", "9.4") == "ok:9.4");
  CHECK(hint("rhel", "8") == "The release must be in the '<major>.<minor>' format.");
  // Unparseable as a float: the format (podman-toolbox 0.0.99.3 and 0.3 alike).
  CHECK(hint("rhel", "8.3.1") == "The release must be in the '<major>.<minor>' format.");
  CHECK(hint("rhel", "8.x") == "The release must be in the '<major>.<minor>' format.");
  CHECK(hint("rhel", " 8.1") == "The release must be in the '<major>.<minor>' format.");
  CHECK(hint("rhel", "1.0e999") == "The release must be in the '<major>.<minor>' format.");
  CHECK(hint("rhel", "-8.1") == "The release must be a positive number.");
  CHECK(hint("rhel", "0.0") == "The release must be a positive number.");
  CHECK(hint("ubuntu", "24.04") == "ok:24.04");
  CHECK(hint("ubuntu", "4.10") == "ok:4.10");
  CHECK(hint("ubuntu", "24") == "The release must be in the 'YY.MM' format.");
  CHECK(hint("ubuntu", "24.04.1") == "The release must be in the 'YY.MM' format.");
  CHECK(hint("ubuntu", "3.10") == "The release year must be 4 or more.");
  CHECK(hint("ubuntu", "100.04") == "The release year cannot have more than two digits.");
  CHECK(hint("ubuntu", "04.10") == "The release year cannot have a leading zero.");
  CHECK(hint("ubuntu", "24.13") == "The release month must be between 01 and 12.");
  CHECK(hint("ubuntu", "24.4") == "The release month must have two digits.");
  CHECK(hint("arch", "") == "ok:latest");
  CHECK(hint("arch", "rolling") == "ok:latest");
  CHECK(hint("arch", "2024") == "The release must be 'latest'.");
  CHECK(hint("debian", "11") == "ok:11");
  CHECK(hint("debian", "testing") == "ok:testing");
  CHECK(hint("debian", "unstable") == "ok:unstable");
  CHECK(hint("debian", "bookworm") == "The release must be a positive integer, 'testing' or 'unstable'.");
}

TEST_CASE("host defaults: the host's distro, or Fedora 44", "[distro]") {
  CHECK(host_defaults(kDebian12).distro == "debian");
  CHECK(host_defaults(kDebian12).release == "12");
  CHECK(host_defaults({"debian", ""}).release == "testing");
  CHECK(host_defaults(kFedora40).release == "40");
  CHECK(host_defaults({"arch", ""}).release == "latest");
  CHECK(host_defaults(kUnknown).distro == "fedora");
  CHECK(host_defaults(kUnknown).release == "44");
}

TEST_CASE("os-release parsing", "[distro]") {
  const HostOs os = parse_os_release("NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
  CHECK(os.id == "debian");
  CHECK(os.version_id == "12");
}

TEST_CASE("resolution: defaults, options, configuration", "[distro]") {
  auto r = resolve_container_and_image({}, {}, kDebian12);
  REQUIRE(r.ok());
  CHECK(r->container == "debian-toolbox-12");
  CHECK(r->image == "debian-toolbox:12");
  auto f = resolve_container_and_image({"", "fedora", "", "39"}, {}, kDebian12);
  REQUIRE(f.ok());
  CHECK(f->container == "fedora-toolbox-39");
  CHECK(f->image == "fedora-toolbox:39");
  auto rh = resolve_container_and_image({"", "rhel", "", "8.10"}, {}, kDebian12);
  REQUIRE(rh.ok());
  CHECK(rh->container == "rhel-toolbox-8.10");
  CHECK(rh->image == "toolbox:8.10");
  CHECK(distro_registry("rhel", "8.10") == "registry.access.redhat.com/ubi8/");
  auto a = resolve_container_and_image({"", "arch", "", ""}, {}, kDebian12);
  REQUIRE(a.ok());
  CHECK(a->container == "arch-toolbox-latest");
  auto named = resolve_container_and_image({"mine", "", "", ""}, {}, kDebian12);
  CHECK(named->container == "mine");
  auto img = resolve_container_and_image({"", "", "quay.io/me/bar:1", ""}, {}, kDebian12);
  REQUIRE(img.ok());
  CHECK(img->container == "bar-1");
  CHECK(img->release == "1");
  auto ubi = resolve_container_and_image({"", "", "registry.access.redhat.com/ubi8/toolbox:8.10", ""}, {}, kDebian12);
  CHECK(ubi->container == "rhel-toolbox-8.10");
  const std::string id(64, 'a');
  CHECK(resolve_container_and_image({"", "", id, ""}, {}, kDebian12)->container == id);
  // Configuration: distro and release, and image when no option overrides it.
  auto cfg = resolve_container_and_image({}, {"fedora", "40", ""}, kDebian12);
  REQUIRE(cfg.ok());
  CHECK(cfg->container == "fedora-toolbox-40");
  auto cimg = resolve_container_and_image({}, {"", "", "quay.io/x/custom:7"}, kDebian12);
  CHECK(cimg->image == "quay.io/x/custom:7");
  CHECK(cimg->container == "custom-7");
  auto over = resolve_container_and_image({"", "", "", "11"}, {"", "", "quay.io/x/custom:7"}, kDebian12);
  CHECK(over->image == "debian-toolbox:11");
}

TEST_CASE("resolution errors are Toolbx's three-line usage errors", "[distro]") {
  auto bad = resolve_container_and_image({"", "gentoo", "", ""}, {}, kDebian12);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message ==
        "invalid argument for '--distro'\nDistribution gentoo is unsupported.\nRun 'toolbox --help' for usage.");
  auto need = resolve_container_and_image({"", "fedora", "", ""}, {}, kDebian12);
  REQUIRE_FALSE(need.ok());
  CHECK(need.error().message ==
        "option '--release' is needed\nDistribution fedora doesn't match the host.\nRun 'toolbox --help' for usage.");
  auto rel = resolve_container_and_image({"", "", "", "foo"}, {}, kDebian12);
  REQUIRE_FALSE(rel.ok());
  CHECK(rel.error().message == "invalid argument for '--release'\nThe release must be a positive integer, 'testing' "
                               "or 'unstable'.\nRun 'toolbox --help' for usage.");
  auto base = resolve_container_and_image({"", "", "quay.io/", ""}, {}, kDebian12);
  REQUIRE_FALSE(base.ok());
  CHECK(base.error().message == "invalid argument for '--image'\nImages must have basenames.\nRun 'toolbox --help' for usage.");
}

TEST_CASE("image reference helpers", "[image]") {
  CHECK(image_has_domain("quay.io/toolbx/arch-toolbox"));
  CHECK(image_has_domain("localhost/debian-toolbox:11"));
  CHECK(image_has_domain("host:5000/x"));
  CHECK_FALSE(image_has_domain("fedora-toolbox:40"));
  CHECK_FALSE(image_has_domain("library/fedora"));
  CHECK(image_basename("registry.fedoraproject.org/fedora-toolbox:40") == "fedora-toolbox");
  CHECK(image_basename("host:5000/a/b:1") == "b");
  CHECK(image_tag("host:5000/a/b:1") == "1");
  CHECK(image_tag("fedora-toolbox") == "");
  CHECK(image_domain("quay.io/x/y") == "quay.io");
  CHECK(image_could_be_id("abcdef"));
  CHECK_FALSE(image_could_be_id("abcde"));
  CHECK_FALSE(image_could_be_id("ABCDEF"));
  CHECK(is_valid_container_name("a.b_c-1"));
  CHECK_FALSE(is_valid_container_name("-a"));
  CHECK_FALSE(is_valid_container_name("a b"));
  CHECK_FALSE(is_valid_container_name(""));
}
