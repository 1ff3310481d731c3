# Install-time part of the agent's install rules (app/agent/CMakeLists.txt, component "agent"):
# the systemd unit and /etc/cairn/agent.conf. Runs inside cmake_install.cmake, for
# `cmake --install` and for cpack alike; honours DESTDIR.
# Inputs: CAIRN_AGENT_RESOURCES (this folder), CAIRN_AGENT_STAGING (a scratch folder in the build
# tree), CAIRN_SYSTEMD_UNIT_DIR (cache variable), CMAKE_INSTALL_PREFIX, and
# $ENV{CAIRN_PACKAGE_UNIT_DIR}, which cpack sets per package type (cmake/Packaging.cmake).
#
# Packages: the unit goes to the distribution's folder (/lib/systemd/system for .deb,
# /usr/lib/systemd/system for .rpm) and agent.conf to /etc/cairn; dpkg and rpm protect an edited
# agent.conf on upgrade.
# Plain `cmake --install BUILD --prefix PREFIX`: the unit goes to CAIRN_SYSTEMD_UNIT_DIR (default
# /usr/local/lib/systemd/system, systemd's folder for units the administrator installed; a
# relative value is taken below PREFIX) with ExecStart pointing at PREFIX/bin/cairn-agent, and
# agent.conf to /etc/cairn unless one is already there (an existing file is never overwritten).

if(DEFINED ENV{CAIRN_PACKAGE_UNIT_DIR})
    set(cairn_unit_dir "$ENV{CAIRN_PACKAGE_UNIT_DIR}")
    set(cairn_packaging TRUE)
else()
    set(cairn_unit_dir "${CAIRN_SYSTEMD_UNIT_DIR}")
    set(cairn_packaging FALSE)
endif()
if(NOT IS_ABSOLUTE "${cairn_unit_dir}")
    set(cairn_unit_dir "${CMAKE_INSTALL_PREFIX}/${cairn_unit_dir}")
endif()
set(cairn_conf_dir /etc/cairn)

# The unit names /usr/local/cairn, the packages' prefix; a plain install elsewhere gets its own.
file(READ "${CAIRN_AGENT_RESOURCES}/cairn-agent.service" cairn_unit)
string(REPLACE "/usr/local/cairn/" "${CMAKE_INSTALL_PREFIX}/" cairn_unit "${cairn_unit}")
file(WRITE "${CAIRN_AGENT_STAGING}/cairn-agent.service" "${cairn_unit}")

# Absolute destinations, announced the way CMake's own install rules do it (CPack reads the list;
# archive generators refuse them).
set(cairn_absolute "${cairn_unit_dir}/cairn-agent.service")
set(cairn_install_conf TRUE)
if(NOT cairn_packaging AND EXISTS "$ENV{DESTDIR}${cairn_conf_dir}/agent.conf")
    message(STATUS "Keeping: $ENV{DESTDIR}${cairn_conf_dir}/agent.conf (already there; the default is "
                   "${CAIRN_AGENT_RESOURCES}/agent.conf)")
    set(cairn_install_conf FALSE)
else()
    list(APPEND cairn_absolute "${cairn_conf_dir}/agent.conf")
endif()
list(APPEND CMAKE_ABSOLUTE_DESTINATION_FILES ${cairn_absolute})
if(CMAKE_WARN_ON_ABSOLUTE_INSTALL_DESTINATION)
    message(WARNING "ABSOLUTE path INSTALL DESTINATION : ${cairn_absolute}")
endif()
if(CMAKE_ERROR_ON_ABSOLUTE_INSTALL_DESTINATION)
    message(FATAL_ERROR "ABSOLUTE path INSTALL DESTINATION forbidden (by caller): ${cairn_absolute}")
endif()

file(INSTALL DESTINATION "${cairn_unit_dir}" TYPE FILE
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
     FILES "${CAIRN_AGENT_STAGING}/cairn-agent.service")
if(cairn_install_conf)
    file(INSTALL DESTINATION "${cairn_conf_dir}" TYPE FILE
         PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
         FILES "${CAIRN_AGENT_RESOURCES}/agent.conf")
endif()
