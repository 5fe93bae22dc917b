// Image reference helpers, with Toolbx's rules (reference §3.1).
#pragma once

#include <string>
#include <string_view>

namespace tbx::core {

// "has a domain": contains '/' and the part before the first '/' contains '.'
// or ':' or is "localhost".
bool image_has_domain(std::string_view image);
// The last path component, without tag or digest.
std::string image_basename(std::string_view image);
// The tag after the first ':' that follows the domain; empty if none.
std::string image_tag(std::string_view image);
std::string image_domain(std::string_view image);
// ^[a-f0-9]{6,64}$
bool image_could_be_id(std::string_view image);
// ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$
bool is_valid_container_name(std::string_view name);

}  // namespace tbx::core
