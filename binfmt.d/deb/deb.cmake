# The Debian package, built by CPack's DEB generator from the same install rules
# as `cmake --install` (docs/packaging.md; why CPack and not a debian/ tree:
# docs/design.md, "Packaging"). `cpack -G DEB` in a build directory configured
# with -DCMAKE_INSTALL_PREFIX=/usr makes toolbox_VERSION_ARCH.deb.
set(TOOLBOX_DEB_MAINTAINER "toolbox developers <toolbox@example.org>" CACHE STRING
  "The Maintainer field of the Debian package")
set(toolbox_deb_dir "${CMAKE_CURRENT_LIST_DIR}/debian")

# Files only the package carries (Debian policy: copyright, changelog, the
# lintian overrides), in a component that a plain `cmake --install` leaves out.
string(TIMESTAMP TOOLBOX_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
set(TOOLBOX_DEB_VERSION "${TOOLBOX_VERSION}")
configure_file("${toolbox_deb_dir}/changelog.in" "${CMAKE_BINARY_DIR}/deb/changelog" @ONLY)
execute_process(COMMAND gzip -9nc INPUT_FILE "${CMAKE_BINARY_DIR}/deb/changelog"
  OUTPUT_FILE "${CMAKE_BINARY_DIR}/deb/changelog.gz" COMMAND_ERROR_IS_FATAL ANY)
install(FILES "${toolbox_deb_dir}/copyright" "${CMAKE_BINARY_DIR}/deb/changelog.gz"
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/toolbox COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES "${toolbox_deb_dir}/lintian-overrides" RENAME toolbox
  DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides COMPONENT deb EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME toolbox)
set(CPACK_PACKAGE_VERSION "${TOOLBOX_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES ON)
# Everything in one package, the package-only files included.
set(CPACK_COMPONENTS_ALL Unspecified deb)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
if(TOOLBOX_ARCH STREQUAL "aarch64")
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
else()
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
endif()
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${TOOLBOX_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Tool for interactive command line environments on Linux")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION_SUMMARY}
A re-implementation of Toolbx: mutable development containers on top of
Podman, with Toolbx's commands, options, messages and exit codes. The host's
toolbox binary runs inside every container through a small static binfmt_misc
handler, so the host needs no /run/host symlink.")
# The run-time libraries come from dpkg-shlibdeps (glibc: toolbox links all
# else statically); podman runs the containers, uidmap makes rootless work.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "podman, uidmap")
# systemd-binfmt or binfmt-support registers the entry at boot; flatpak-spawn
# (flatpak-xdg-utils) forwards commands from containers to the host, as in
# upstream's packaging.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd | binfmt-support, flatpak-xdg-utils")
# Both install /usr/bin/toolbox.
set(CPACK_DEBIAN_PACKAGE_CONFLICTS podman-toolbox)
set(CPACK_DEBIAN_PACKAGE_REPLACES podman-toolbox)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${toolbox_deb_dir}/conffiles"
  "${toolbox_deb_dir}/postinst" "${toolbox_deb_dir}/prerm" "${toolbox_deb_dir}/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
