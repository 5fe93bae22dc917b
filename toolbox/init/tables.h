// The data of init-container (reference §4.2): what is redirected, bound and
// written. The recipe in init/recipe.cpp walks these tables.
#pragma once

#include <string_view>

namespace tbx::init {

// /etc files that become symbolic links into the host's /etc (step 5).
struct Redirect {
  std::string_view path;
  std::string_view target;
  bool keep_any_symlink;  // an existing symlink, whatever its target, is left alone
};
inline constexpr Redirect kRedirects[] = {
    {"/etc/host.conf", "/run/host/etc/host.conf", true},
    {"/etc/hosts", "/run/host/etc/hosts", true},           // podman was told --no-hosts
    {"/etc/localtime", "/run/host/etc/localtime", false},
    {"/etc/resolv.conf", "/run/host/etc/resolv.conf", false},  // podman was told --dns none
};

// Host paths bound into the container when they exist (step 8).
struct BindMount {
  std::string_view destination;
  std::string_view source;
  bool rslave;
  std::string_view why;
};
inline constexpr BindMount kBindMounts[] = {
    {"/etc/machine-id", "/run/host/etc/machine-id", false, "journalctl and D-Bus see the host's machine"},
    {"/run/libvirt", "/run/host/run/libvirt", false, "virsh reaches the host's libvirtd"},
    {"/run/systemd/journal", "/run/host/run/systemd/journal", false, "logger and systemd-cat log to the host"},
    {"/run/systemd/resolve", "/run/host/run/systemd/resolve", false, "nss-resolve and the stub resolver work"},
    {"/run/systemd/sessions", "/run/host/run/systemd/sessions", false, "loginctl sees the sessions"},
    {"/run/systemd/system", "/run/host/run/systemd/system", false, "sd_booted() is true"},
    {"/run/systemd/users", "/run/host/run/systemd/users", false, "loginctl sees the users"},
    {"/run/udev/data", "/run/host/run/udev/data", false, "libudev enumerates devices"},
    {"/run/udev/tags", "/run/host/run/udev/tags", false, "libudev enumerates devices"},
    {"/tmp", "/run/host/tmp", true, "X11 sockets and shared temporary files"},
    {"/var/lib/flatpak", "/run/host/var/lib/flatpak", false, "the host's Flatpak installations"},
    {"/var/lib/libvirt", "/run/host/var/lib/libvirt", false, "virt-manager sees the host's machines"},
    {"/var/lib/systemd/coredump", "/run/host/var/lib/systemd/coredump", false, "coredumpctl"},
    {"/var/log/journal", "/run/host/var/log/journal", false, "the persistent host journal"},
    {"/var/mnt", "/run/host/var/mnt", true, "paths under /var/mnt as on the host"},
};

inline constexpr std::string_view kKerberosFile = "/etc/krb5.conf.d/kcm_default_ccache";
inline constexpr std::string_view kKerberosSnippet =
    "# Written by Toolbx\n"
    "# https://containertoolbx.org/\n"
    "#\n"
    "# # To disable the KCM credential cache, comment out the following lines.\n"
    "\n"
    "[libdefaults]\n"
    "    default_ccache_name = KCM:\n";

// Step 15: the directories of an NVIDIA CDI spec's update-ldcache hook.
inline constexpr std::string_view kLdSoConfFile = "/etc/ld.so.conf.d/toolbx-nvidia.conf";
inline constexpr std::string_view kRpmMacrosFile = "/usr/lib/rpm/macros.d/macros.toolbox";
inline constexpr std::string_view kRpmMacros =
    "# Written by Toolbx\n"
    "# https://containertoolbx.org/\n"
    "\n"
    "%_netsharedpath /dev:/media:/mnt:/proc:/sys:/tmp:/var/lib/flatpak:/var/lib/libvirt\n";

// Where distributions keep p11-kit-client.so (step 17).
inline constexpr std::string_view kP11KitClientPaths[] = {
    "/usr/lib64/pkcs11/p11-kit-client.so", "/usr/lib/pkcs11/p11-kit-client.so",
    "/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-client.so", "/usr/lib/aarch64-linux-gnu/pkcs11/p11-kit-client.so"};

}  // namespace tbx::init
