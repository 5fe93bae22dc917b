// Creating a Toolbx container: image lookup and pull (reference §3.2), the
// host facts for the podman create vector (§3.3), and running it.
#pragma once

#include <string>

#include "core/podman.h"
#include "toolbox/result.h"

namespace tbx::core {

struct CreateRequest {
  Podman podman;
  std::string container;
  std::string image;  // as resolved: "debian-toolbox:11", "quay.io/x/y:1", an ID
  std::string authfile;
  bool assume_yes = false;
  std::string toolbox_path;  // $TOOLBOX_PATH or our own path
  std::string default_container;  // what `toolbox enter` without a name enters
};

// Upstream's getEnterCommand: how to enter `container`, without its name when
// it is the default one.
inline std::string enter_command(const std::string& container, const std::string& default_container) {
  return container == default_container ? "toolbox enter" : "toolbox enter " + container;
}

// Finds the image locally or pulls it (asking first, on a terminal); returns
// the name to create from, or "" when the user declined the download.
Result<std::string> ensure_image(const CreateRequest& r);

// Fails if the container exists; otherwise ensures the image and creates it.
// Returns false when the user declined the download.
Result<bool> create_container(const CreateRequest& r);

bool container_exists(const Podman& p, const std::string& name);

}  // namespace tbx::core
