# Packaging: CPack settings for the cairn-agent .deb and .rpm (included from the top-level
# CMakeLists.txt after the install rules). Build them in a configured build tree with
#   cmake --build BUILD --target cairn-agent && (cd BUILD && cpack)        # both
#   (cd BUILD && cpack -G DEB)                                             # one
# Layout of the package (CPACK_PACKAGING_INSTALL_PREFIX /usr/local/cairn):
#   /usr/local/cairn/bin/cairn-agent
#   /usr/local/cairn/share/doc/cairn-agent/README.md
#   /lib/systemd/system/cairn-agent.service (.deb) or /usr/lib/systemd/system/… (.rpm)
#   /etc/cairn/agent.conf (a dpkg conffile; %config(noreplace) in the rpm)
# The install rules are the agent's (app/agent/CMakeLists.txt, component "agent"); the
# maintainer scripts are in resources/agent/packaging. Only the agent is packaged: the server's
# install rules have no component yet.

set(CPACK_PACKAGE_NAME cairn)
set(CPACK_PACKAGE_VENDOR Cairn)
set(CPACK_PACKAGE_CONTACT "Cairn maintainers <packages@cairn.example>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Cairn backup agent")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr/local/cairn)
# The unit and the maintainer scripts name /usr/local/cairn: the packages cannot be relocated.
set(CPACK_PACKAGE_RELOCATABLE OFF)
set(CPACK_GENERATOR DEB RPM)
set(CPACK_SOURCE_GENERATOR "")
set(CPACK_STRIP_FILES OFF)

set(CPACK_COMPONENTS_ALL agent)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_COMPONENT_AGENT_DISPLAY_NAME "Cairn backup agent")
set(CPACK_COMPONENT_AGENT_DESCRIPTION
    "The program on every machine Cairn, a deduplicating and encrypted backup\nservice, protects. Enrolled with a Cairn server, it runs as the systemd\nservice cairn-agent, backs up and restores files as the server's policies\nsay, and runs the policies' pre/post commands.")

set(cairn_packaging_dir ${PROJECT_SOURCE_DIR}/resources/agent/packaging)

# Debian: dependencies from the libraries the binary links (dpkg-shlibdeps).
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_AGENT_PACKAGE_NAME cairn-agent)
set(CPACK_DEBIAN_AGENT_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_AGENT_PACKAGE_CONTROL_EXTRA
    ${cairn_packaging_dir}/deb/conffiles
    ${cairn_packaging_dir}/deb/postinst
    ${cairn_packaging_dir}/deb/prerm
    ${cairn_packaging_dir}/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# RPM: dependencies from the libraries' sonames (rpmbuild's AutoReq), which RHEL-like
# distributions resolve to their own Qt, OpenSSL, zstd, curl and SQLite packages.
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_AGENT_PACKAGE_NAME cairn-agent)
set(CPACK_RPM_PACKAGE_GROUP "Applications/Archiving")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_PACKAGE_AUTOPROV OFF)
# No /usr/lib/.build-id links: there is no debuginfo package for them to serve.
set(CPACK_RPM_SPEC_MORE_DEFINE "%define _build_id_links none")
set(CPACK_RPM_AGENT_USER_FILELIST "%config(noreplace) /etc/cairn/agent.conf")
# Folders the distribution's own packages own.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/local /usr/lib/systemd /usr/lib/systemd/system)
set(CPACK_RPM_AGENT_POST_INSTALL_SCRIPT_FILE ${cairn_packaging_dir}/rpm/post.sh)
set(CPACK_RPM_AGENT_PRE_UNINSTALL_SCRIPT_FILE ${cairn_packaging_dir}/rpm/preun.sh)
set(CPACK_RPM_AGENT_POST_UNINSTALL_SCRIPT_FILE ${cairn_packaging_dir}/rpm/postun.sh)

# The unit's folder differs between the two (Debian /lib, RHEL /usr/lib) while the install rules
# are shared. cpack runs this file before each generator and the agent's install script
# (resources/agent/install-agent-files.cmake) reads the variable.
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_BINARY_DIR}/CairnCPackPerGenerator.cmake)
file(CONFIGURE OUTPUT ${CPACK_PROJECT_CONFIG_FILE} @ONLY CONTENT [[
# Generated from cmake/Packaging.cmake: run by cpack before each package generator.
if(CPACK_GENERATOR STREQUAL "RPM")
    set(ENV{CAIRN_PACKAGE_UNIT_DIR} /usr/lib/systemd/system)
else()
    set(ENV{CAIRN_PACKAGE_UNIT_DIR} /lib/systemd/system)
endif()
]])

include(CPack)
