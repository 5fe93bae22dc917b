// The download prompt's texts, skopeo's vector and JSON, and the answers
// (reference §3.2 step 6): pure pieces, to the byte.
#include "catch.h"

#include "core/download_prompt.h"

using namespace tbx::core;

TEST_CASE("download prompt: ' ... MB' until the size is known, then go-units HumanSize", "[prompt]") {
  CHECK(std::string(kDownloadHeader) == "Image required to create Toolbx container.\n");
  CHECK(download_prompt("quay.io/toolbx/arch-toolbox:latest", std::nullopt) ==
        "Download quay.io/toolbx/arch-toolbox:latest ( ... MB)? [y/N]: ");
  CHECK(download_prompt("registry.fedoraproject.org/fedora-toolbox:40", 294100000.0) ==
        "Download registry.fedoraproject.org/fedora-toolbox:40 (294.1MB)? [y/N]: ");
}

TEST_CASE("skopeo inspect: the vector and LayersData sizes", "[prompt]") {
  CHECK(skopeo_inspect_argv("quay.io/a/b:1") == Argv{"skopeo", "inspect", "--format", "json", "docker://quay.io/a/b:1"});
  CHECK(parse_skopeo_size(R"({"Name":"x","LayersData":[{"Size":100000000},{"Size":94100000}]})") == 194100000.0);
  CHECK(!parse_skopeo_size(R"({"Name":"x","LayersData":[]})"));
  CHECK(!parse_skopeo_size(R"({"Name":"x"})"));
  CHECK(!parse_skopeo_size(R"({"LayersData":[{"MIMEType":"x"}]})"));
  CHECK(!parse_skopeo_size("time=... level=fatal msg=\"Error parsing image name\""));
  CHECK(!parse_skopeo_size(""));
}

TEST_CASE("answers: y, yes, n, no in any case; empty is no; others ask again", "[prompt]") {
  for (const char* yes : {"y", "Y", "yes", "YES", "Yes", " y ", "y\r"}) CHECK(parse_yes_no(yes) == true);
  for (const char* no : {"", "n", "N", "no", "No", "  "}) CHECK(parse_yes_no(no) == false);
  for (const char* again : {"yep", "nope", "1", "y y", "q"}) CHECK(!parse_yes_no(again));
}
