#include "core/list_format.h"

#include <cstdint>
#include <cstdio>

#include <algorithm>
#include <set>

namespace tbx::core {

namespace {

using std::chrono::nanoseconds;

// Go's Duration.Seconds(), Minutes() and Hours(): whole units plus the rest as
// a fraction, in float64.
double in_units(nanoseconds d, std::int64_t unit) {
  const std::int64_t n = d.count();
  return static_cast<double>(n / unit) + static_cast<double>(n % unit) / static_cast<double>(unit);
}

constexpr std::int64_t kSecond = 1000000000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;

// Code points, as Go's tabwriter counts a cell's width (utf8.RuneCount).
std::size_t width_of(const std::string& s) {
  std::size_t n = 0;
  for (const char ch : s)
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
  return n;
}

constexpr char kBoldGreen[] = "\033[1;32m";
constexpr char kDefault[] = "\033[0;00m";  // same as kReset, but as long as kBoldGreen
constexpr char kReset[] = "\033[0m";

// Go text/tabwriter's format(): a column block is a run of consecutive lines
// that have a tab-terminated cell in that column; its width is that of its
// widest cell plus the padding. Cells of `lines` but the last of each line are
// tab-terminated.
class TabWriter {
 public:
  explicit TabWriter(const std::vector<std::vector<std::string>>& lines) : lines_(lines) {}

  std::string run() {
    format(0, lines_.size());
    return std::move(out_);
  }

 private:
  static constexpr std::size_t kPadding = 2;

  // Number of tab-terminated cells of line i.
  std::size_t terminated(std::size_t i) const { return lines_[i].empty() ? 0 : lines_[i].size() - 1; }

  void write_lines(std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      const std::vector<std::string>& line = lines_[i];
      for (std::size_t j = 0; j < line.size(); ++j) {
        out_ += line[j];
        if (j < widths_.size()) out_.append(widths_[j] - width_of(line[j]), ' ');
      }
      out_ += '\n';
    }
  }

  void format(std::size_t line0, std::size_t line1) {
    const std::size_t column = widths_.size();
    for (std::size_t cur = line0; cur < line1; ++cur) {
      if (column >= terminated(cur)) continue;
      // A line with a cell in this column: the block of this column starts here.
      write_lines(line0, cur);
      line0 = cur;
      std::size_t width = 0;  // minwidth 0
      for (; cur < line1 && column < terminated(cur); ++cur)
        width = std::max(width, width_of(lines_[cur][column]) + kPadding);
      widths_.push_back(width);
      format(line0, cur);
      widths_.pop_back();
      line0 = cur;
      if (cur == line1) break;
    }
    write_lines(line0, line1);
  }

  const std::vector<std::vector<std::string>>& lines_;
  std::vector<std::size_t> widths_;
  std::string out_;
};

}  // namespace

std::string human_duration(nanoseconds d) {
  if (const int seconds = static_cast<int>(in_units(d, kSecond)); seconds < 1) return "Less than a second";
  else if (seconds == 1) return "1 second";
  else if (seconds < 60) return std::to_string(seconds) + " seconds";
  if (const int minutes = static_cast<int>(in_units(d, kMinute)); minutes == 1) return "About a minute";
  else if (minutes < 60) return std::to_string(minutes) + " minutes";
  const int hours = static_cast<int>(in_units(d, kHour) + 0.5);
  if (hours == 1) return "About an hour";
  if (hours < 48) return std::to_string(hours) + " hours";
  if (hours < 24 * 7 * 2) return std::to_string(hours / 24) + " days";
  if (hours < 24 * 30 * 2) return std::to_string(hours / 24 / 7) + " weeks";
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24 / 30) + " months";
  return std::to_string(static_cast<int>(in_units(d, kHour)) / 24 / 365) + " years";
}

std::string created_cell(std::int64_t created, const std::string& created_text,
                         std::chrono::system_clock::time_point now) {
  if (!created_text.empty()) return created_text;
  const auto then = std::chrono::system_clock::time_point(std::chrono::seconds(created));
  return human_duration(std::chrono::duration_cast<nanoseconds>(now - then)) + " ago";
}

std::string short_id(const std::string& id) { return id.substr(0, 12); }

std::vector<ImageSummary> toolbx_images(const std::vector<ImageSummary>& all) {
  std::vector<ImageSummary> out;
  std::set<std::string> seen;
  for (const ImageSummary& i : all) {
    if (!seen.insert(i.id).second) continue;
    if (is_toolbx(i.labels)) out.push_back(i);
  }
  return out;
}

std::vector<ContainerSummary> toolbx_containers(const std::vector<ContainerSummary>& all) {
  std::vector<ContainerSummary> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [](const ContainerSummary& c) { return is_toolbx(c.labels); });
  return out;
}

std::vector<ImageRow> image_rows(const std::vector<ImageSummary>& images, std::chrono::system_clock::time_point now) {
  std::vector<ImageRow> rows;
  for (const ImageSummary& i : images) {
    const std::string created = created_cell(i.created, i.created_text, now);
    if (i.names.empty()) rows.push_back({short_id(i.id), "<none>", created});
    for (const std::string& n : i.names) rows.push_back({short_id(i.id), n, created});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const ImageRow& a, const ImageRow& b) { return a.name < b.name; });
  return rows;
}

std::vector<ContainerRow> container_rows(const std::vector<ContainerSummary>& containers,
                                         std::chrono::system_clock::time_point now) {
  std::vector<ContainerRow> rows;
  for (const ContainerSummary& c : containers)
    rows.push_back({short_id(c.id), c.name, created_cell(c.created, c.created_text, now), c.state, c.image,
                    c.state == "running"});
  return rows;
}

std::string tabwrite(const std::vector<std::vector<std::string>>& lines) { return TabWriter(lines).run(); }

std::string format_list(const std::vector<ImageRow>& images, const std::vector<ContainerRow>& containers,
                        bool colour) {
  std::string out;
  if (!images.empty()) {
    std::vector<std::vector<std::string>> lines{{"IMAGE ID", "IMAGE NAME", "CREATED"}};
    for (const ImageRow& r : images) lines.push_back({r.id, r.name, r.created});
    out += tabwrite(lines);
  }
  if (!images.empty() && !containers.empty()) out += '\n';
  if (!containers.empty()) {
    // The escapes are part of the first and last cells, as in Toolbx: the
    // tabwriter counts them, and all first cells carry 7 of them, so the
    // columns line up the same on the terminal.
    const std::string before = colour ? kDefault : "";
    const std::string after = colour ? kReset : "";
    std::vector<std::vector<std::string>> lines{
        {before + "CONTAINER ID", "CONTAINER NAME", "CREATED", "STATUS", "IMAGE NAME" + after}};
    for (const ContainerRow& r : containers) {
      const std::string start = colour ? (r.running ? kBoldGreen : kDefault) : "";
      lines.push_back({start + r.id, r.name, r.created, r.status, r.image + after});
    }
    out += tabwrite(lines);
  }
  return out;
}

std::string human_size(double bytes) {
  static const char* const units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  std::size_t i = 0;
  while (bytes >= 1000.0 && i + 1 < sizeof units / sizeof units[0]) {
    bytes /= 1000.0;
    ++i;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g%s", bytes, units[i]);
  return buf;
}

}  // namespace tbx::core
