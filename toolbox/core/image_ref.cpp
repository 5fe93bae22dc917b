#include "core/image_ref.h"

namespace tbx::core {

namespace {

std::string_view without_domain(std::string_view image) {
  if (!image_has_domain(image)) return image;
  return image.substr(image.find('/') + 1);
}

}  // namespace

bool image_has_domain(std::string_view image) {
  const std::size_t slash = image.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view d = image.substr(0, slash);
  return d.find('.') != std::string_view::npos || d.find(':') != std::string_view::npos || d == "localhost";
}

std::string image_domain(std::string_view image) {
  if (!image_has_domain(image)) return "";
  return std::string(image.substr(0, image.find('/')));
}

std::string image_basename(std::string_view image) {
  std::string_view rest = without_domain(image);
  if (const std::size_t at = rest.find('@'); at != std::string_view::npos) rest = rest.substr(0, at);
  if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos) rest = rest.substr(0, colon);
  const std::size_t slash = rest.rfind('/');
  return std::string(slash == std::string_view::npos ? rest : rest.substr(slash + 1));
}

std::string image_tag(std::string_view image) {
  std::string_view rest = without_domain(image);
  if (const std::size_t at = rest.find('@'); at != std::string_view::npos) rest = rest.substr(0, at);
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return "";
  return std::string(rest.substr(colon + 1));
}

bool image_could_be_id(std::string_view image) {
  if (image.size() < 6 || image.size() > 64) return false;
  for (char c : image)
    if (!((c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'))) return false;
  return true;
}

bool is_valid_container_name(std::string_view name) {
  if (name.empty()) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front())) return false;
  for (char c : name)
    if (!alnum(c) && c != '_' && c != '.' && c != '-') return false;
  return true;
}

}  // namespace tbx::core
