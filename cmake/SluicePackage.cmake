# The installable SDK: `cmake --install build --prefix P` puts the headers, libsluice, the test kit, the
# `sluice` binary and the plugins under P, and a CMake package so that an outside project does
# find_package(sluice) and sluice_add_plugin(...) (see docs/plugin-guide.md).
include(CMakePackageConfigHelpers)

# The SDK ABI version a plugin must be built against (kSdkAbiVersion in sluice/plugin.hpp).
file(STRINGS ${PROJECT_SOURCE_DIR}/engine/include/sluice/plugin.hpp SLUICE_ABI_LINE
     REGEX "kSdkAbiVersion = [0-9]+;")
string(REGEX REPLACE ".*kSdkAbiVersion = ([0-9]+);.*" "\\1" SLUICE_SDK_ABI_VERSION "${SLUICE_ABI_LINE}")

set(SLUICE_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/sluice)
install(EXPORT sluiceTargets NAMESPACE sluice:: DESTINATION ${SLUICE_CMAKE_INSTALL_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sluiceConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/sluiceConfig.cmake
                              INSTALL_DESTINATION ${SLUICE_CMAKE_INSTALL_DIR}
                              PATH_VARS SLUICE_PLUGIN_INSTALL_DIR)
# A plugin must be rebuilt for every engine whose SDK ABI differs; within 0.x, minor versions may change it.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sluiceConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sluiceConfig.cmake ${PROJECT_BINARY_DIR}/sluiceConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/SluicePlugin.cmake
        DESTINATION ${SLUICE_CMAKE_INSTALL_DIR})
