// `toolbox list`: go-units' HumanDuration table, Go text/tabwriter's layout
// and the whole output for the recorded podman 4.3 JSON, byte for byte as
// Debian's podman-toolbox 0.0.99.3 printed it for the same storage.
#include "catch.h"

#include "core/list_format.h"
#include "fixture.h"

using namespace tbx::core;
using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

namespace {

// When the fixtures were recorded, plus `after`.
Clock::time_point at(std::int64_t unix_time, std::chrono::nanoseconds after) {
  return Clock::time_point(std::chrono::seconds(unix_time)) + std::chrono::duration_cast<Clock::duration>(after);
}

}  // namespace

TEST_CASE("HumanDuration: go-units' own test table", "[list]") {
  constexpr auto day = 24h;
  constexpr auto week = 7 * day;
  constexpr auto month = 30 * day;
  constexpr auto year = 365 * day;
  const std::vector<std::pair<std::chrono::nanoseconds, const char*>> table{
      {450ms, "Less than a second"},
      {1s, "1 second"},
      {45s, "45 seconds"},
      {46s, "46 seconds"},
      {59s, "59 seconds"},
      {60s, "About a minute"},
      {1min, "About a minute"},
      {3min, "3 minutes"},
      {35min, "35 minutes"},
      {35min + 40s, "35 minutes"},
      {45min, "45 minutes"},
      {45min + 40s, "45 minutes"},
      {46min, "46 minutes"},
      {59min, "59 minutes"},
      {1h, "About an hour"},
      {1h + 29min, "About an hour"},
      {1h + 31min, "2 hours"},
      {1h + 59min, "2 hours"},
      {3h, "3 hours"},
      {3h + 29min, "3 hours"},
      {3h + 31min, "4 hours"},
      {3h + 59min, "4 hours"},
      {3h + 60min, "4 hours"},
      {24h, "24 hours"},
      {1 * day + 12h, "36 hours"},
      {2 * day, "2 days"},
      {7 * day, "7 days"},
      {13 * day + 5h, "13 days"},
      {2 * week, "2 weeks"},
      {2 * week + 4 * day, "2 weeks"},
      {3 * week, "3 weeks"},
      {4 * week, "4 weeks"},
      {4 * week + 3 * day, "4 weeks"},
      {1 * month, "4 weeks"},
      {1 * month + 2 * week, "6 weeks"},
      {2 * month, "2 months"},
      {2 * month + 2 * week, "2 months"},
      {3 * month, "3 months"},
      {3 * month + 1 * week, "3 months"},
      {5 * month + 2 * week, "5 months"},
      {13 * month, "13 months"},
      {23 * month, "23 months"},
      {24 * month, "24 months"},
      {24 * month + 2 * week, "2 years"},
      {3 * year + 2 * month, "3 years"},
  };
  for (const auto& [d, words] : table) {
    INFO(d.count() << " ns");
    CHECK(human_duration(d) == words);
  }
  // Edges: just below a whole second, a clock that went backwards.
  CHECK(human_duration(999999999ns) == "Less than a second");
  CHECK(human_duration(1999999999ns) == "1 second");
  CHECK(human_duration(-5s) == "Less than a second");
}

TEST_CASE("CREATED: Unix times in words plus ago, Podman 1 strings verbatim", "[list]") {
  CHECK(created_cell(1796105366, "", at(1796105366, 12min + 30s)) == "12 minutes ago");
  CHECK(created_cell(1796105366, "", at(1796105366, 300ms)) == "Less than a second ago");
  CHECK(created_cell(0, "2 weeks ago", at(1796105366, 0s)) == "2 weeks ago");
  CHECK(created_cell(0, "2019-11-06T11:36:10.586442Z", Clock::now()) == "2019-11-06T11:36:10.586442Z");
}

TEST_CASE("tabwriter: widest cell plus two, last cell unpadded, escapes count", "[list]") {
  CHECK(tabwrite({}) == "");
  CHECK(tabwrite({{"a", "bb", "c"}, {"ddd", "e", "ffff"}}) == "a    bb  c\nddd  e   ffff\n");
  CHECK(tabwrite({{"only"}}) == "only\n");
  // An empty cell is padded as well.
  CHECK(tabwrite({{"", "x"}, {"yy", "z"}}) == "    x\nyy  z\n");
  // Code points, not bytes, as Go counts.
  CHECK(tabwrite({{"\xc3\xa9", "x"}, {"ab", "y"}}) == "\xc3\xa9   x\nab  y\n");
  // Lines with fewer cells end the column block (Go's format()).
  CHECK(tabwrite({{"aaaa", "b"}, {"c"}, {"d", "e"}}) == "aaaa  b\nc\nd  e\n");
  CHECK(tabwrite({{"\033[1;32m" "ab", "c\033[0m"}, {"\033[0;00m" "abcd", "e\033[0m"}}) ==
        "\033[1;32m" "ab    c\033[0m\n" "\033[0;00m" "abcd  e\033[0m\n");
}

TEST_CASE("Toolbx objects: images once per ID, Toolbx labels only", "[list]") {
  auto images = parse_images_json(fixture("podman/images-4.3.json"));
  REQUIRE(images);
  const auto t = toolbx_images(*images);
  REQUIRE(t.size() == 2);
  CHECK(t[0].id == "62b58d1391c8582e89e0c80a4efc638bdbbd996f01ca0d7bf0ecf26e7e3e0ecd");
  CHECK(t[1].id == "2ff412fa2d5004c834eed4a22bbc3ea28e269ddd3a7ed0b37046e3aad87caf9a");
  auto ps = parse_ps_json(fixture("podman/ps-4.3.json"));
  REQUIRE(ps);
  const auto c = toolbx_containers(*ps);
  REQUIRE(c.size() == 2);
  CHECK(c[0].name == "fixture-toolbox-created");
  CHECK(c[1].name == "fixture-toolbox-running");
}

TEST_CASE("image rows: one per name, <none> for nameless ones, sorted by name in byte order", "[list]") {
  std::vector<ImageSummary> images(3);
  images[0].id = "bbbbbbbbbbbbbbbbbbbb";
  images[0].names = {"z.io/b:1", "a.io/b:1"};
  images[0].created_text = "x";
  images[1].id = "aaaaaaaaaaaaaaaaaaaa";
  images[1].created_text = "y";
  images[2].id = "cccc";
  images[2].names = {"Localhost/c:1"};
  images[2].created_text = "z";
  const auto rows = image_rows(images, Clock::now());
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].name == "<none>");  // '<' sorts before letters
  CHECK(rows[0].id == "aaaaaaaaaaaa");
  CHECK(rows[1].name == "Localhost/c:1");  // upper case before lower case
  CHECK(rows[1].id == "cccc");
  CHECK(rows[2].name == "a.io/b:1");
  CHECK(rows[2].id == "bbbbbbbbbbbb");
  CHECK(rows[3].name == "z.io/b:1");
  CHECK(rows[3].created == "x");
}

TEST_CASE("toolbox list of the recorded podman 4.3 storage, as podman-toolbox printed it", "[list]") {
  auto images = parse_images_json(fixture("podman/images-4.3.json"));
  auto ps = parse_ps_json(fixture("podman/ps-4.3.json"));
  REQUIRE(images);
  REQUIRE(ps);
  const auto now = at(1796105379, 12min + 5s);
  const auto irows = image_rows(toolbx_images(*images), now);
  const auto crows = container_rows(toolbx_containers(*ps), now);
  REQUIRE(crows.size() == 2);
  CHECK_FALSE(crows[0].running);
  CHECK(crows[1].running);

  const std::string images_table =
      "IMAGE ID      IMAGE NAME                         CREATED\n"
      "62b58d1391c8  <none>                             12 minutes ago\n"
      "2ff412fa2d50  localhost/debian-toolbox:11        12 minutes ago\n"
      "2ff412fa2d50  localhost/debian-toolbox:bullseye  12 minutes ago\n";
  const std::string containers_table =
      "CONTAINER ID  CONTAINER NAME           CREATED         STATUS   IMAGE NAME\n"
      "cdcae535a848  fixture-toolbox-created  12 minutes ago  created  localhost/debian-toolbox:11\n"
      "58a2c8a8a1fb  fixture-toolbox-running  12 minutes ago  running  localhost/debian-toolbox:bullseye\n";
  CHECK(format_list(irows, crows, false) == images_table + "\n" + containers_table);
  CHECK(format_list(irows, {}, false) == images_table);
  CHECK(format_list({}, crows, false) == containers_table);
  CHECK(format_list({}, {}, false) == "");

  // On a terminal (recorded with script(1)): only the containers table has colours.
  CHECK(format_list(irows, crows, true) ==
        images_table + "\n" +
            "\033[0;00mCONTAINER ID  CONTAINER NAME           CREATED         STATUS   IMAGE NAME\033[0m\n"
            "\033[0;00mcdcae535a848  fixture-toolbox-created  12 minutes ago  created  localhost/debian-toolbox:11\033[0m\n"
            "\033[1;32m58a2c8a8a1fb  fixture-toolbox-running  12 minutes ago  running  "
            "localhost/debian-toolbox:bullseye\033[0m\n");
}

TEST_CASE("toolbox list of Podman 1.x JSON: verbatim CREATED, no running colour", "[list]") {
  auto images = parse_images_json(fixture("podman/images-1.x-handmade.json"));
  auto ps = parse_ps_json(fixture("podman/ps-1.x-handmade.json"));
  REQUIRE(images);
  REQUIRE(ps);
  const auto now = Clock::now();
  const auto crows = container_rows(toolbx_containers(*ps), now);
  CHECK(format_list(image_rows(toolbx_images(*images), now), crows, false) ==
        "IMAGE ID      IMAGE NAME                                        CREATED\n"
        "8c5e0075ddaf  localhost/fedora-toolbox-user:29                  2020-03-03T10:32:20.503064Z\n"
        "8c5e0075ddaf  localhost/fedora-toolbox-user:latest              2020-03-03T10:32:20.503064Z\n"
        "4a6adf1f2a96  registry.fedoraproject.org/f29/fedora-toolbox:29  2019-11-06T11:36:10.586442Z\n"
        "\n"
        "CONTAINER ID  CONTAINER NAME     CREATED            STATUS          IMAGE NAME\n"
        "a5d3c26c8c8c  fedora-toolbox-31  2 weeks ago        Up 3 hours ago  registry.fedoraproject.org/f31/fedora-toolbox:31\n"
        "c0ffee00c0ff  fedora-toolbox-30  About an hour ago  Created         registry.fedoraproject.org/f30/fedora-toolbox:30\n");
  for (const ContainerRow& r : crows) CHECK_FALSE(r.running);
}

TEST_CASE("image sizes as go-units HumanSize", "[list]") {
  CHECK(tbx::core::human_size(294100000) == "294.1MB");
  CHECK(tbx::core::human_size(999) == "999B");
  CHECK(tbx::core::human_size(1000) == "1kB");
  CHECK(tbx::core::human_size(1234567890) == "1.235GB");
}
